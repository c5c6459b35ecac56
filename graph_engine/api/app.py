"""The ASGI application: Starlette routes, the GraphQL view and the store's lifespan.

One store (and so one Neo4j driver) per process, opened in the lifespan and
closed at shutdown. ``/graphql`` serves the API (GraphiQL on GET from a
browser, its scripts served from the package under ``/static``: no CDN) by the
GraphQL-over-HTTP spec: a client that accepts
``application/graphql-response+json`` gets that media type, and a request that
fails before it runs (parse, validation, variables, a limit) answers it with
HTTP 400 and no ``data``; a client that asks for ``application/json`` (or sends
no ``Accept``) gets HTTP 200 and ``"data": null`` as before. ``/health/live``
says the process answers, ``/health/ready`` (and ``/health``) that the store
answers too, each within a second.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

import mimeparse
import strawberry
from cross_web import HTTPException
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from graph_engine.api.body import BodyGuard
from graph_engine.api.context import Context, bearer_token, request_id
from graph_engine.api.direct import Direct, usable
from graph_engine.api.errors import format_error, is_request_error
from graph_engine.api.limits import Limits
from graph_engine.api.observe import AccessLog, metrics_endpoint
from graph_engine.api.schema import build_schema, schema
from graph_engine.services import Engine

log = logging.getLogger("graph_engine.alerts")

# /health/ready answers within this, store or not.
READY_TIMEOUT_S = 0.8
# The pages' scripts and styles (vendored from npm by scripts/vendor-web).
STATIC = Path(__file__).with_name("static")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


@lru_cache(maxsize=128)
def response_media_type(accept: str | None) -> str:
    """The media type to answer with, by the request's ``Accept`` (q-values honoured).

    No ``Accept``, ``*/*``, a tie, or nothing we offer: ``application/json``, which
    every client reads (the spec's advice for the legacy type). Cached: clients
    send few distinct headers, and this is on every request's path.
    """
    if not accept:
        return JSON
    try:
        # best_match gives a tie to the type listed last.
        best = mimeparse.best_match([GRAPHQL_RESPONSE, JSON], accept)
    except ValueError:  # a malformed header (mimeparse.MimeTypeParseException): the legacy answer
        return JSON
    return str(best) or JSON


class EngineGraphQL(GraphQL[Context, None]):
    """strawberry's ASGI view with our context and our error formatting."""

    def __init__(self, engine: Engine, served: strawberry.Schema = schema) -> None:
        super().__init__(served, graphql_ide="graphiql", allow_queries_via_get=False)
        self.engine = engine
        self.graphql_schema = served._schema  # noqa: SLF001 - strawberry keeps graphql-core's here
        # strawberry's own GraphiQL page loads its scripts from a CDN; ours from /static.
        self.graphiql_page = (STATIC / "graphiql.html").read_text(encoding="utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """strawberry's, but a request it refuses (a ``query`` that is not a string, a
        body of another content type, an unknown operation name …) is answered in
        GraphQL's JSON shape with a stable code, not in plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            code = (
                "METHOD_NOT_ALLOWED"
                if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED
                else ("INVALID_INPUT")
            )
            response = JSONResponse(
                {"errors": [{"message": exc.reason, "extensions": {"code": code}}]},
                status_code=exc.status_code,
            )
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Any) -> HTMLResponse:  # noqa: ARG002
        return HTMLResponse(self.graphiql_page)

    async def get_context(self, request: Any, response: Any) -> Context:
        rid = request_id(request)
        response.headers["X-Request-Id"] = rid
        return Context(
            engine=self.engine,
            request=request,
            response=response,
            token=bearer_token(request),
            request_id=rid,
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        # Carried to create_response, which sees the sub-response but not the request.
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
            # No data entry: the request failed before it ran (see process_result).
            if (
                isinstance(response_data, dict)
                and "data" not in response_data
                and response.status_code < HTTPStatus.BAD_REQUEST  # an error status stays
            ):
                response.status_code = HTTPStatus.BAD_REQUEST
        return response

    def decode_json(self, data: str | bytes) -> object:
        # json.loads raises UnicodeDecodeError (not JSONDecodeError) on bytes that
        # are not UTF-8, which strawberry would let through as a 500.
        try:
            return json.loads(data)
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError("request body is not UTF-8", "", 0) from exc

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        data: GraphQLHTTPResponse = {"data": result.data}
        if (
            result.errors
            and result.data is None
            and all(is_request_error(e) for e in result.errors)
            and response_media_type(request.headers.get("accept")) == GRAPHQL_RESPONSE
        ):
            # A request error has no data entry at all (GraphQL spec, "Response");
            # application/json clients keep the "data": null they have always had.
            del data["data"]
        if result.errors:
            data["errors"] = [format_error(e, self.graphql_schema) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data


def _health_routes(engine: Engine) -> list[Route]:
    async def ready(_: Request) -> Response:
        # Within a second, whatever the store does: a health check must not hang.
        try:
            ok = await asyncio.wait_for(engine.store.ping(), timeout=READY_TIMEOUT_S)
        except TimeoutError:
            ok = False
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "store": engine.store.name},
            status_code=200 if ok else 503,
        )

    async def live(_: Request) -> Response:
        # The process answers: nothing else is asked (a restart would not help the store).
        # Its pid tells the workers behind one port apart.
        return JSONResponse({"status": "ok", "pid": os.getpid()})

    return [
        Route("/health", ready),
        Route("/health/ready", ready),
        Route("/health/live", live),
    ]


def _page_routes() -> list[Route]:
    async def home(_: Request) -> Response:
        return RedirectResponse("/graphql")

    explorer_page = (Path(__file__).with_name("explorer.html")).read_text(encoding="utf-8")

    async def explorer(_: Request) -> Response:
        # One self-contained page (no CDN, no bundle): works without internet access.
        return HTMLResponse(explorer_page)

    return [Route("/", home), Route("/explorer", explorer)]


def _cors(cors_origins: Sequence[str]) -> dict[str, Any]:
    """CORSMiddleware's options, for the middleware stack and the direct path alike."""
    return {
        "allow_origins": list(cors_origins),
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["authorization", "content-type"],
        "max_age": 600,
    }


def _middleware(limits: Limits, cors_origins: Sequence[str], *, tracing: bool) -> list[Middleware]:
    middleware = [Middleware(AccessLog)]
    if tracing:
        middleware.append(Middleware(OpenTelemetryMiddleware))
    middleware.append(Middleware(BodyGuard, limits=limits))
    if cors_origins:
        middleware.insert(1, Middleware(CORSMiddleware, **_cors(cors_origins)))
    return middleware


async def scheduled_alerts(engine: Engine, every: timedelta) -> None:
    """Run every environment's alerts each ``every``, for as long as the server lives. A
    failed run (the store out of reach) is logged and the next one tries again."""
    while True:
        await asyncio.sleep(every.total_seconds())
        try:
            done = await engine.alerts.run_scheduled()
        except Exception:
            log.exception("the scheduled alert run failed; the next one tries again")
        else:
            if done.mails:
                log.info("scheduled alerts: %s mails for %s matches", done.mails, done.matches)


class EngineApp(Starlette):
    """Starlette, with the direct path (:mod:`graph_engine.api.direct`) in front for a
    GraphQL POST; everything else, and what the direct path hands on, the usual way."""

    def __init__(self, direct: Direct | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.direct = direct

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.direct is not None
            and scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == "/graphql"
        ):
            scope["app"] = self
            await self.direct(scope, receive, send, super().__call__)
            return
        await super().__call__(scope, receive, send)


def create_app(
    engine: Engine,
    *,
    on_startup: Callable[[Engine], Awaitable[None]] | None = None,
    on_shutdown: Callable[[Engine], Awaitable[None]] | None = None,
    close_store: bool = True,
    limits: Limits | None = None,
    cors_origins: Sequence[str] = (),
    tracing: bool = False,
    alerts_every: timedelta | None = None,
    direct: bool = True,
) -> Starlette:
    """Build the app around an engine; ``on_startup`` runs once the store is migrated.

    The lifespan closes the store at shutdown unless ``close_store`` is False
    (the store is then someone else's to close, as in the test suite). ``limits``
    bound every request (:mod:`graph_engine.api.limits`); ``cors_origins`` are the
    browser origins allowed to call the API from another site (none by default);
    ``tracing`` makes requests, resolvers and store calls OpenTelemetry spans (the
    tracer provider is the caller's to install: :func:`graph_engine.telemetry.configure_tracing`).
    ``alerts_every`` runs every environment's alerts that often while the app lives
    (:func:`scheduled_alerts`; each match is claimed once, so workers may all run them).
    ``direct`` answers the common GraphQL POST without Starlette's and strawberry's
    layers (:mod:`graph_engine.api.direct`, the same answers); off, every request takes
    the whole way (what the direct path is compared with).
    """
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await engine.store.migrate()
        if on_startup is not None:
            await on_startup(engine)
        alerts = (
            asyncio.create_task(scheduled_alerts(engine, alerts_every))
            if alerts_every is not None
            else None
        )
        try:
            yield
        finally:
            if alerts is not None:
                alerts.cancel()
            if on_shutdown is not None:
                await on_shutdown(engine)
            if close_store:
                await engine.store.close()

    default = limits == Limits() and not tracing
    served = schema if default else build_schema(limits, tracing=tracing)
    graphql = EngineGraphQL(engine, served)
    return EngineApp(
        Direct(
            graphql,
            served,
            limits,
            cors=CORSMiddleware(graphql, **_cors(cors_origins)) if cors_origins else None,
        )
        if direct and usable(served)
        else None,
        middleware=_middleware(limits, cors_origins, tracing=tracing),
        routes=[
            *_page_routes(),
            *_health_routes(engine),
            Route("/metrics", metrics_endpoint(engine)),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
    )
