"""Errors as clients see them: one mapping, in one place.

* a :class:`~graph_engine.errors.GraphEngineError` keeps its message and puts its
  code and details in ``extensions``;
* a document that does not parse is ``GRAPHQL_PARSE_FAILED``, one that fails
  validation (unknown field, wrong argument type or enum value, missing variable)
  ``GRAPHQL_VALIDATION_FAILED`` (the codes Apollo Server uses, so clients built
  for it understand them); variables that do not fit their types are
  ``INVALID_INPUT``; a request over a limit keeps the limit's own code;
* anything else is a bug: it is logged with its stack trace on the server and
  the client gets ``INTERNAL`` and a generic message — never the trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLEnumType, GraphQLError, GraphQLSchema, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from graph_engine.api.limits import TOO_COMPLEX
from graph_engine.errors import GraphEngineError, Maintenance, StoreUnavailable, TooManyAttempts
from graph_engine.model import PrincipalKind

log = logging.getLogger("graph_engine.api")
# graphql-core's parser stops at the token limit with this message.
_TOKENS = re.compile(r"Syntax Error: Document contains more than (\d+) tokens")

# graphql-core's words for a value outside an enum, in validation and in variables.
_ENUM = re.compile(r"Value '[^']*' does not exist in '(\w+)' enum|Enum '(\w+)' cannot represent")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


def _enum_values(message: str, schema: GraphQLSchema | None) -> str:
    """The message, with the values of the enum it complains about (a closed set says
    what it holds, so the caller need not open the schema)."""
    found = _ENUM.search(message) if schema is not None else None
    if found is None or schema is None:
        return message
    enum = schema.get_type(found.group(1) or found.group(2))
    if not isinstance(enum, GraphQLEnumType):
        return message
    return f"{message} {enum.name} is one of: {', '.join(enum.values)}."


def format_error(error: GraphQLError, schema: GraphQLSchema | None = None) -> dict[str, Any]:
    """The error as the client sees it; ``schema`` lets a refused enum value list the
    enum's values."""
    formatted: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, GraphEngineError):
        formatted["message"] = original.message
        formatted["extensions"] = original.extensions
    elif original is None or isinstance(original, GraphQLError):
        # Syntax, validation and variable-coercion errors: the request was malformed,
        # unless the error carries its own code (a request over a limit, or a validation
        # error tagged by ValidationCodes).
        extensions = dict(error.extensions or {})
        tokens = _TOKENS.match(error.message)
        if tokens is not None:
            extensions.update(code=TOO_COMPLEX, limit="tokens", max=int(tokens.group(1)))
        elif isinstance(error, GraphQLSyntaxError):
            extensions.setdefault("code", PARSE_FAILED)
        extensions.setdefault("code", "INVALID_INPUT")
        formatted["extensions"] = extensions
        formatted["message"] = _enum_values(error.message, schema)
    else:
        log.error("unexpected error in %s", error.path, exc_info=original)
        formatted["message"] = "internal error; it has been logged"
        formatted["extensions"] = {"code": "INTERNAL"}
    return formatted


class ValidationCodes(SchemaExtension):
    """Tag the errors of a document that fails validation ``GRAPHQL_VALIDATION_FAILED``.

    Only here can they be told from variable-coercion errors, which look alike (no
    path, no original error) and stay ``INVALID_INPUT``. The validation cache keeps
    the same error objects, so a cached failure is tagged already.
    """

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            if error.extensions is None:  # graphql-core always sets a dict; typed loosely
                error.extensions = {}
            error.extensions.setdefault("code", VALIDATION_FAILED)


def is_request_error(error: GraphQLError) -> bool:
    """Whether the error refused the request before anything ran (GraphQL-over-HTTP's
    "request error": parse, validation, variables, a limit) rather than a field's."""
    return error.path is None and (
        error.original_error is None or isinstance(error.original_error, GraphQLError)
    )


class HttpStatus(SchemaExtension):
    """An answer the caller should retry gets a status a client library understands, set
    here and nowhere else: the store out of reach is HTTP 503 with ``Retry-After`` (and
    ``STORE_UNAVAILABLE``); an integration locked out by a maintenance window 503 with
    ``Retry-After`` when the window's end is known;
    a throttled field (``TOO_MANY_ATTEMPTS``) is HTTP 429 with its ``retryAfter`` when
    the answer carries no data (one that does stays 200, as GraphQL over HTTP asks)."""

    def on_execute(self) -> Iterator[None]:
        yield
        set_status(self.execution_context.result, self.execution_context.context.response)


def set_status(result: Any, response: Any) -> None:
    """:class:`HttpStatus`'s rule, on the (sub-)response of the request that ``result``
    answers (strawberry's extension and :mod:`graph_engine.api.direct`)."""
    errors = getattr(result, "errors", None) or []
    originals = [e.original_error for e in errors]
    if any(isinstance(o, StoreUnavailable) for o in originals):
        response.status_code = 503
        response.headers["Retry-After"] = "5"
        return
    for o in originals:
        # An integration's message refused by a maintenance window: 503, so that its
        # sender offers it again later (nothing is stored or queued here); Retry-After
        # only when the window's end is known, the message says when it is not.
        if isinstance(o, Maintenance) and o.details.get("principal") == PrincipalKind.INTEGRATION:
            response.status_code = 503
            if o.details.get("retryAfter") is not None:
                response.headers["Retry-After"] = str(o.details["retryAfter"])
            return
    data = getattr(result, "data", None) or {}
    if any(value is not None for value in data.values()):
        return
    for error in errors:
        if isinstance(error.original_error, TooManyAttempts):
            response.status_code = 429
            response.headers["Retry-After"] = str(error.original_error.details.get("retryAfter", 1))
            return


def first_code(errors: list[dict[str, Any]]) -> str | None:
    for err in errors:
        code = err.get("extensions", {}).get("code")
        if code:
            return str(code)
    return None
