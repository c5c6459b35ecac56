"""The request body, bounded and checked before GraphQL sees it (DESIGN §3.0).

:class:`BodyGuard`, an ASGI middleware, reads the body of every POST up to
``max_body_bytes`` (:class:`graph_engine.api.limits.Limits`) and answers 413
``REQUEST_TOO_LARGE`` over it, and over :func:`query_too_large`'s bounds on the query
text (characters and lines: graphql-core finds each error's line by scanning the text
before it, so a megabyte of newlines before a hundred errors held the server 19 s); and
400 ``INVALID_INPUT`` for a JSON body that is not an object, is not UTF-8, holds a lone
surrogate or a NUL character, a number JSON cannot hold (or Python will not read: more
than 4,300 digits), or nests deeper than the parser goes. The same text rules
(:func:`check_text`) apply to the string literals of a query, which only an escape
can break (:func:`graph_engine.api.limits.bad_literal`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph_engine.api.limits import Limits

# ASGI's types, as the middlewares (this one, graph_engine.api.observe's) take them.
Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class BadBody(ValueError):
    """A request body the API does not take (the message says why)."""


def _reject_constant(name: str) -> Any:
    raise BadBody(f"{name} is not a number JSON can hold")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise BadBody(f"{text} is too large a number")
    return value


def check_text(value: Any, where: str = "the request") -> None:
    """No NUL characters and no lone surrogates in any string of the body."""
    if isinstance(value, str):
        if "\x00" in value:
            raise BadBody(f"{where} holds a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadBody(f"{where} holds an unpaired surrogate (not valid Unicode)") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, where)
            check_text(item, f"{where}.{key}" if where != "the request" else str(key))
    elif isinstance(value, list):
        for item in value:
            check_text(item, where)


def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a GraphQL POST, or :class:`BadBody` saying what is wrong."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody("the body is not UTF-8") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite)
        # A NUL or a lone surrogate gets into a string only by an escape: JSON refuses a
        # raw control character in a string, and UTF-8 cannot hold a lone surrogate.
        if b"\\u" in raw:
            check_text(data)
    except json.JSONDecodeError as exc:
        raise BadBody(f"the body is not JSON: {exc.msg}") from None
    except BadBody:
        raise
    except ValueError:
        # Python reads at most 4,300 digits of an integer (int_max_str_digits).
        raise BadBody("the body holds a number with too many digits") from None
    except RecursionError:
        # `[[[[…` a hundred thousand deep fits in the body's bytes but not in a parser.
        raise BadBody("the body nests too deeply") from None
    if not isinstance(data, dict):
        raise BadBody("the body must be a JSON object with a query")
    return data


def query_too_large(data: dict[str, Any], limits: Limits) -> tuple[str, str, int] | None:
    """Why the body's query text is over its bounds, as (message, limit, max), or None."""
    query = data.get("query")
    if not isinstance(query, str):
        return None
    if len(query) > limits.max_query_chars:
        return (
            f"the query is over {limits.max_query_chars} characters",
            "queryChars",
            limits.max_query_chars,
        )
    lines = query.count("\n") + query.count("\r") + 1
    if lines > limits.max_query_lines:
        return (
            f"the query is over {limits.max_query_lines} lines",
            "queryLines",
            limits.max_query_lines,
        )
    return None


def _error_body(code: str, message: str, **extensions: Any) -> bytes:
    return json.dumps(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    ).encode()


class BodyGuard:
    """ASGI middleware: bound and check the body of every POST before GraphQL sees it.

    Over ``max_body_bytes`` (by ``content-length`` or while reading) answers 413
    ``REQUEST_TOO_LARGE``; a JSON body that is not an object, not UTF-8, holds a NUL
    or a lone surrogate answers 400 ``INVALID_INPUT``. A body that passes is
    replayed unchanged to the app.
    """

    def __init__(self, app: App, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        limit = self.limits.max_body_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(send, 413, "REQUEST_TOO_LARGE", self._too_large(), max=limit)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(send, 413, "REQUEST_TOO_LARGE", self._too_large(), max=limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if headers.get("content-type", "").split(";")[0].strip() == "application/json":
            refused = self._refusal(body)
            if refused is not None:
                await self._refuse(send, *refused[:3], **refused[3])
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _refusal(self, body: bytes) -> tuple[int, str, str, dict[str, Any]] | None:
        """(status, code, message, extensions) for a JSON body the API does not take."""
        try:
            data = parse_body(body)
        except BadBody as exc:
            return 400, "INVALID_INPUT", str(exc), {}
        over = query_too_large(data, self.limits)
        if over is not None:
            message, name, most = over
            return 413, "REQUEST_TOO_LARGE", message, {"limit": name, "max": most}
        return None

    def _too_large(self) -> str:
        return f"the request body is over {self.limits.max_body_bytes} bytes"

    @staticmethod
    async def _refuse(send: Send, status: int, code: str, message: str, **extensions: Any) -> None:
        payload = _error_body(code, message, **extensions)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
