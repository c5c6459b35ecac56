"""The direct path: a GraphQL POST answered without the layers that do not shape its answer.

A POST to ``/graphql`` otherwise passes Starlette's middleware stack and router,
strawberry's HTTP view (which parses the JSON body a second time) and strawberry's
``Schema.execute`` (seven extension objects and their hooks, made per request) on its way
to graphql-core's ``execute``, which does the work; on the memory store those layers
were four fifths of a ``canInvite``'s server time (benchmarks/README.md).

:class:`Direct` answers the common request itself: a JSON body of at most
``max_body_bytes`` with a ``query`` that parses and validates (its document kept by its
text with the whole way's, :mod:`graph_engine.api.documents`), one query or mutation
chosen as the spec says, within the limits, no stream asked for. It takes the
steps the whole way takes, by the same functions and in the same order: the body check
(:func:`graph_engine.api.body.parse_body`), the view's sub-response and context, the
limits (:func:`graph_engine.api.limits.refusal`), graphql-core's ``execute`` with
strawberry's execution context (or the document's plan, :func:`graph_engine.api.plans.execute`,
which answers as it does), the status rule (:func:`graph_engine.api.errors.set_status`),
the operation's note and error counts (:func:`graph_engine.api.observe.note_operation`),
the view's ``process_result`` and ``create_response``, with CORS on the CORS headers
(CORSMiddleware's own ``send``), the access log
(:func:`graph_engine.api.observe.record_request`). Any other request takes the whole way,
body replayed: one not JSON, a body the guard refuses, a document that does not parse or
validate, an operation not found or over a limit, a subscription, a stream (and every
preflight, GET and page). So every refusal before execution is written by the one
implementation of it, and the direct path writes no error of its own.

It is off when an extension works per field (tracing, schema directives): those need
strawberry's runner. ``tests/api/test_direct.py`` compares both paths' answers byte for
byte, status and headers included.
"""

from __future__ import annotations

import functools
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql import (
    ExecutionResult as GraphQLExecutionResult,
)
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.execution import optimized_is_awaitable
from strawberry.types import ExecutionResult

from graph_engine.api import plans
from graph_engine.api.body import BadBody, parse_body, query_too_large
from graph_engine.api.errors import set_status
from graph_engine.api.limits import Limits, refusal
from graph_engine.api.observe import note_operation, record_request
from graph_engine.api.plans import Plan
from graph_engine.api.schema import EngineSchema

if TYPE_CHECKING:
    from graph_engine.api.app import EngineGraphQL


class Prepared(NamedTuple):
    """What the direct path needs of a request it answers."""

    document: DocumentNode
    plan: Plan | None
    operation: OperationDefinitionNode
    name: str | None
    variables: dict[str, Any] | None


def usable(served: EngineSchema) -> bool:
    """Whether the direct path gives the answers strawberry's would: no extension of
    ``served`` works per field (strawberry runs those as graphql-core middleware; with
    tracing on, the OpenTelemetry extension does)."""
    return not any(
        extension._implements_resolve()  # noqa: SLF001 - strawberry's own test for it
        for extension in served.get_extensions()
    )


class Direct:
    """Answer the common GraphQL POST (see the module docstring); ``fallback`` the rest."""

    def __init__(
        self,
        view: EngineGraphQL,
        served: EngineSchema,
        limits: Limits,
        *,
        cors: CORSMiddleware | None,
    ) -> None:
        self.view = view
        self.limits = limits
        self.cors = cors
        self.schema = view.graphql_schema
        self.executor = served.execution_context_class
        self.documents = served.documents
        self.streams = lru_cache(maxsize=128)(self._streams)

    def _streams(self, accept: str) -> bool:
        """Whether a request with this ``Accept`` asks strawberry for a streamed answer."""
        return self.view._get_stream_transport_from_headers({"accept": accept}) is not None  # noqa: SLF001

    def _wanted(self, scope: Scope) -> bool:
        """Whether the request's headers leave it to the direct path: a JSON body of a
        known length within the limit, no stream asked for."""
        length = -1
        json_body = False
        for key, value in scope["headers"]:
            name = key.lower()
            if name == b"content-length":
                length = int(value) if value.isdigit() else -1
            elif name == b"content-type":
                json_body = value.split(b";")[0].strip() == b"application/json"
            elif name == b"accept" and self.streams(value.decode("latin-1")):
                return False
        return json_body and 0 <= length <= self.limits.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send, fallback: ASGIApp) -> None:
        start = time.perf_counter()
        if not self._wanted(scope):
            await fallback(scope, receive, send)
            return
        body = await self._read(receive)
        if body is None:
            # Gone before its body was read: logged as the whole way logs it.
            record_request(scope, 500, None, start)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        prepared = self._accept(body)
        if prepared is None:
            await fallback(scope, replay, send)
            return
        status = 500
        request_id: str | None = None
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        answering: Send = sending
        if self.cors is not None:
            # CORSMiddleware's own headers (Access-Control-Allow-Origin for an allowed
            # origin, Vary: Origin), as its place in the middleware stack adds them.
            answering = functools.partial(
                self.cors.send, send=sending, request_headers=Headers(scope=scope)
            )

        try:
            status, request_id = await self._answer(Request(scope, replay), prepared, answering)
        except Exception:
            # As Starlette's ServerErrorMiddleware does: a plain 500, the error raised on
            # to the server, which logs it.
            if not started:
                await PlainTextResponse("Internal Server Error", 500)(scope, replay, send)
            raise
        finally:
            record_request(scope, status, request_id, start)

    @staticmethod
    async def _read(receive: Receive) -> bytes | None:
        """The request's body; None when the client went away first."""
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        return b"".join(chunks)

    def _accept(self, body: bytes) -> Prepared | None:
        """What the direct path needs of the request, or None when the whole way answers it."""
        try:
            data = parse_body(body) if len(body) <= self.limits.max_body_bytes else None
        except BadBody:
            data = None
        if data is None or query_too_large(data, self.limits) is not None:
            return None
        query = data.get("query")
        name = data.get("operationName")
        variables = data.get("variables")
        if (
            not isinstance(query, str)
            or not isinstance(name, (str, type(None)))
            or not isinstance(variables, (dict, type(None)))
            or data.get("extensions") is not None
        ):
            return None
        found = self.documents.valid(query)
        if found is None:
            return None
        document = found.document
        operation = get_operation_ast(document, name)
        if operation is None or operation.operation == OperationType.SUBSCRIPTION:
            return None
        if (
            refusal(self.limits, self.schema, document, query, name, variables, found.measured)
            is not None
        ):
            return None
        return Prepared(document, found.plan, operation, name, variables)

    async def _answer(self, request: Request, prepared: Prepared, send: Send) -> tuple[int, str]:
        """Run the operation and send its answer; its status and request id."""
        document, plan, operation, name, variables = prepared
        view = self.view
        sub_response = await view.get_sub_response(request)
        context = await view.get_context(request, sub_response)
        try:
            found = await plans.execute(
                plan,
                self.schema,
                document,
                executor_class=self.executor,
                context_value=context,
                variable_values=variables,
                operation_name=name,
                is_awaitable=optimized_is_awaitable,
                operation_extensions=None,
            )
        except Exception as exc:  # noqa: BLE001 - as strawberry's execute: the error answers
            error = (
                exc if isinstance(exc, GraphQLError) else GraphQLError(str(exc), original_error=exc)
            )
            found = GraphQLExecutionResult(data=None, errors=[error])
        result = ExecutionResult(data=found.data, errors=found.errors)
        set_status(result, sub_response)
        given = name or (operation.name.value if operation.name else None)
        note_operation(context, given, operation.operation.value, result.errors or [])
        response_data = await view.process_result(request, result)
        response = view.create_response(response_data, sub_response)
        await response(request.scope, request.receive, send)
        return response.status_code, context.request_id
