"""Errors as clients see them: one mapping, in one place.

* a :class:`~graph_engine.errors.GraphEngineError` keeps its message and puts its
  code and details in ``extensions``;
* a GraphQL syntax or validation error (wrong argument type, unknown field,
  missing variable) becomes ``INVALID_INPUT``;
* anything else is a bug: it is logged with its stack trace on the server and
  the client gets ``INTERNAL`` and a generic message — never the trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graph_engine.api.limits import TOO_COMPLEX
from graph_engine.errors import GraphEngineError, StoreUnavailable

log = logging.getLogger("graph_engine.api")
# graphql-core's parser stops at the token limit with this message.
_TOKENS = re.compile(r"Syntax Error: Document contains more than (\d+) tokens")


def format_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, GraphEngineError):
        formatted["message"] = original.message
        formatted["extensions"] = original.extensions
    elif original is None or isinstance(original, GraphQLError):
        # Syntax, validation and variable-coercion errors: the request was malformed,
        # unless the error carries its own code (a request over a limit).
        extensions = dict(error.extensions or {})
        tokens = _TOKENS.match(error.message)
        if tokens is not None:
            extensions.update(code=TOO_COMPLEX, limit="tokens", max=int(tokens.group(1)))
        extensions.setdefault("code", "INVALID_INPUT")
        formatted["extensions"] = extensions
    else:
        log.error("unexpected error in %s", error.path, exc_info=original)
        formatted["message"] = "internal error; it has been logged"
        formatted["extensions"] = {"code": "INTERNAL"}
    return formatted


class HttpStatus(SchemaExtension):
    """An answer the caller should retry gets a status a client library understands:
    the store out of reach is HTTP 503 with ``Retry-After`` (and ``STORE_UNAVAILABLE``)."""

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None) or []
        if any(isinstance(e.original_error, StoreUnavailable) for e in errors):
            response = self.execution_context.context.response
            response.status_code = 503
            response.headers["Retry-After"] = "5"


def first_code(errors: list[dict[str, Any]]) -> str | None:
    for err in errors:
        code = err.get("extensions", {}).get("code")
        if code:
            return str(code)
    return None
