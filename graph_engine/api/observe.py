"""The API's share of observability: per-request metrics, the access log, ``/metrics``.

:class:`Observe` (a strawberry extension) notes what a GraphQL request was (operation
name and type, the caller's principal kind, the first error code) in the request's
state; :class:`AccessLog` (ASGI middleware, outermost) times every request, counts it
and writes its one JSON line. See :mod:`graph_engine.telemetry` for what is exported.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, MutableMapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from graph_engine import telemetry
from graph_engine.api.body import App, Message, Receive, Scope, Send
from graph_engine.api.context import Context, bearer_token
from graph_engine.errors import GraphEngineError
from graph_engine.services import Engine


class Observe(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        ctx = self.execution_context
        try:
            operation_type = ctx.operation_type.value
        except RuntimeError:  # a document strawberry could not read
            operation_type = "invalid"
        note_operation(
            ctx.context,
            ctx.operation_name,
            operation_type,
            getattr(ctx.result, "errors", None) or [],
        )


def note_operation(
    context: Context, name: str | None, operation_type: str, errors: Sequence[Any]
) -> None:
    """What the request was, in its state for the access log, and its errors counted (the
    strawberry path's :class:`Observe` and the direct path, :mod:`graph_engine.api.direct`)."""
    state = context.request.state
    state.operation = name or "anonymous"
    state.operation_type = operation_type
    caller = context.known_caller
    state.principal = "ANONYMOUS" if caller is None else str(caller.kind)
    codes = [_code(e) for e in errors]
    for code in codes:
        telemetry.ERRORS.labels(code).inc()
    state.code = codes[0] if codes else None


def _code(error: Any) -> str:
    original = getattr(error, "original_error", None)
    if isinstance(original, GraphEngineError):
        return original.code
    extensions = getattr(error, "extensions", None) or {}
    return str(extensions.get("code") or ("INVALID_INPUT" if original is None else "INTERNAL"))


class AccessLog:
    """Outermost ASGI middleware: one JSON line and the request metrics, per request."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        request_id: str | None = None

        async def observe(message: Message) -> None:
            nonlocal status, request_id
            if message["type"] == "http.response.start":
                status = message["status"]
                for key, value in message.get("headers", []):
                    if key.lower() == b"x-request-id":
                        request_id = value.decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            record_request(scope, status, request_id, start)


def record_request(
    scope: MutableMapping[str, Any], status: int, request_id: str | None, start: float
) -> None:
    """The request's metrics and its access-log line, once it has been answered."""
    seconds = time.perf_counter() - start
    state = scope.get("state", {})
    operation = state.get("operation")
    if scope["path"] == "/graphql" and operation is not None:
        telemetry.count_request(operation, state.get("operation_type", ""), seconds)
    telemetry.log_access(
        at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        requestId=request_id,
        method=scope.get("method"),
        path=scope["path"],
        status=status,
        # The client's name: a long one is cut, so a line stays a line.
        operation=operation
        if operation is None or len(operation) <= telemetry.OPERATION_NAME_CHARS
        else operation[: telemetry.OPERATION_NAME_CHARS] + "…",
        principal=state.get("principal"),
        code=state.get("code"),
        ms=round(seconds * 1000, 2),
    )


class Gauges:
    """The store-read gauges, read again at most every :data:`telemetry.GAUGE_TTL_S`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read_at = 0.0

    async def refresh(self) -> None:
        if time.monotonic() - self.read_at < telemetry.GAUGE_TTL_S:
            return
        self.read_at = time.monotonic()
        policy = self.engine.identity.sessions
        now = self.engine.clock.now()
        try:
            sessions, windows = await self.engine.store.activity(
                idle_since=now - policy.idle, born_since=now - policy.lifetime
            )
        except GraphEngineError:
            return  # the store is away: the gauges keep their last values
        telemetry.ACTIVE_SESSIONS.set(sessions)
        telemetry.OPEN_WINDOWS.set(windows)


def metrics_endpoint(engine: Engine) -> Any:
    """``/metrics`` for an operator's key only (``Authorization: Bearer …``).

    Open, its counters would undo what the API keeps quiet: a store call that only an
    existing account makes (a reset mail in the outbox) tells a guesser the address has
    an account. Anything but an operator's key or session gets HTTP 401 and nothing else.
    """
    gauges = Gauges(engine)

    async def metrics(request: Request) -> Response:
        try:
            principal = await engine.identity.authenticate(bearer_token(request))
        except GraphEngineError:
            principal = None
        if principal is None or not principal.is_operator:
            return Response(
                "an operator's key is needed\n",
                status_code=401,
                media_type="text/plain",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        await gauges.refresh()
        body, media_type = telemetry.metrics_text()
        return Response(body, media_type=media_type)

    return metrics
