"""Per-request context: the engine, the bearer token, the caller behind it and the loaders."""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import strawberry
from starlette.requests import Request
from starlette.responses import Response

from graph_engine.api.loaders import Loaders
from graph_engine.model import InSession, Principal
from graph_engine.services import Engine

T = TypeVar("T")


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id(request: Request) -> str:
    """The client's ``X-Request-Id`` when it is a sane one, else a new random id."""
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else secrets.token_hex(16)


@dataclass
class Context:
    engine: Engine
    request: Request
    response: Response
    token: str | None
    request_id: str = ""
    _caller: Principal | None = field(default=None, init=False)
    _loaders: Loaders | None = field(default=None, init=False)

    @property
    def known_caller(self) -> Principal | None:
        """The caller if the request has authenticated already (no store call)."""
        return self._caller

    @property
    def client(self) -> str | None:
        """The caller's network address as the server sees it (the login throttle's key)."""
        return self.request.client.host if self.request.client else None

    async def caller(self) -> Principal:
        """Authenticate once per request, reading the principal live from the graph."""
        if self._caller is None:
            self._caller = await self.engine.identity.authenticate(self.token)
        return self._caller

    async def caller_with(
        self, read: Callable[[str], Awaitable[InSession[T] | None]]
    ) -> tuple[Principal, T] | None:
        """Authenticate and answer ``read`` in one store round trip (a hot read's path,
        see ``IdentityService.authenticate_with``); None when the request has
        authenticated already or carries an API key: then ``caller()`` and read."""
        if self._caller is not None:
            return None
        found = await self.engine.identity.authenticate_with(self.token, read)
        if found is not None:
            self._caller = found[0]
        return found

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
