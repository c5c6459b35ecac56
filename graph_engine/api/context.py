"""Per-request context: the engine, the bearer token, the caller behind it and the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from graph_engine.api.loaders import Loaders
from graph_engine.errors import Maintenance
from graph_engine.model import Principal, PrincipalKind
from graph_engine.services import Engine


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@dataclass
class Context:
    engine: Engine
    request: Request
    response: Response
    token: str | None
    _caller: Principal | None = field(default=None, init=False)
    _loaders: Loaders | None = field(default=None, init=False)

    async def caller(self) -> Principal:
        """Authenticate once per request, reading the principal live from the graph."""
        if self._caller is None:
            try:
                self._caller = await self.engine.identity.authenticate(self.token)
            except Maintenance as exc:
                # An integration's message is refused with 503, so that its sender
                # offers it again later: nothing is stored or queued here.
                if exc.details.get("principal") == PrincipalKind.INTEGRATION:
                    self.response.status_code = 503
                raise
        return self._caller

    def act_as(self, principal: Principal) -> None:
        """From here on the request acts as ``principal`` (a login's new session)."""
        self._caller = principal
        self._loaders = None

    @property
    def loaders(self) -> Loaders:
        """The request's loaders; every nested object passes the visibility gate there."""
        if self._loaders is None:
            self._loaders = Loaders(self)
        return self._loaders


Info = strawberry.Info[Context, None]
