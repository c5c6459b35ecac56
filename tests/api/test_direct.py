"""The direct path answers as the whole way does, byte for byte, on both stores.

Two apps over one engine: the usual one (direct path on) and one with it off. Every
request is sent to both and the answers compared: status, headers and body. The
requests are reads and refusals (nothing they do changes what the next one sees), from
the common question to each kind of refusal; a spy says which ones the direct path
answered itself, so the comparison is known to cover it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from apiclient import Api

from graph_engine import demo
from graph_engine.api import direct as direct_module
from graph_engine.api.app import create_app

CAN_INVITE = """query($i: ID!, $o: ID!) {
  canInvite(inviteeId: $i, organisationId: $o) { allowed code reason }
}"""
FULL_DECISION = """query Decide($i: ID!, $o: ID!) {
  canInvite(inviteeId: $i, organisationId: $o) {
    allowed code reason path { nodes { id label name } relationships { type startId endId role } }
    fix { action userIds description }
  }
}"""
TWO_OPERATIONS = "query A { me { id } } query B { me { name } }"
# Thirteen levels: one over the depth limit.
DEEP = "{ me " + "{ environment { users { nodes " * 4 + "{ id" + " } } } }" * 4 + " } }"


def body(query: str, variables: dict[str, Any] | None = None, **more: Any) -> bytes:
    return json.dumps({"query": query, "variables": variables, **more}).encode()


def cases(tokens: dict[str, str], operator: str) -> list[tuple[str, bool, bytes, dict[str, str]]]:
    """(name, answered directly, body, headers) of every request compared."""
    carla = {"authorization": f"Bearer {tokens['carla']}"}
    anna = {"authorization": f"Bearer {tokens['anna']}"}
    ask = {"i": demo.USERS[3].id, "o": demo.CUSTOMER_ORG}
    graphql_response = {"accept": "application/graphql-response+json"}
    return [
        # Answered directly: decisions, nested objects, null fields, errors of a field.
        ("canInvite, allowed", True, body(CAN_INVITE, ask), anna),
        (
            "canInvite, denied",
            True,
            body(CAN_INVITE, {"i": "usr_anna", "o": demo.CUSTOMER_ORG}),
            carla,
        ),
        ("canInvite, whole", True, body(FULL_DECISION, ask, operationName="Decide"), anna),
        (
            "canInvite, unknown invitee",
            True,
            body(CAN_INVITE, {"i": "usr_nobody", "o": demo.CUSTOMER_ORG}),
            anna,
        ),
        ("canInvite, no token", True, body(CAN_INVITE, ask), {}),
        (
            "canInvite, bad token",
            True,
            body(CAN_INVITE, ask),
            {"authorization": "Bearer ges_nonsense"},
        ),
        ("canInvite, graphql-response", True, body(CAN_INVITE, ask), {**anna, **graphql_response}),
        ("me", True, body("{ me { id name email role environment { id name } } }"), carla),
        ("me, operator", True, body("{ me { id } }"), {"authorization": f"Bearer {operator}"}),
        ("two operations, one named", True, body(TWO_OPERATIONS, operationName="B"), carla),
        ("a variable of the wrong type", True, body(CAN_INVITE, {"i": 5, "o": ["x"]}), anna),
        (
            "a variable missing",
            True,
            body(CAN_INVITE, {"i": "usr_anna"}),
            {**anna, **graphql_response},
        ),
        ("a refused mutation", True, body('mutation { endSession(sessionId: "ses_none") }'), {}),
        ("a client's request id", True, body(CAN_INVITE, ask), {**anna, "x-request-id": "abc-123"}),
        # The server offers no streamed answers: asked for one, it answers in JSON.
        (
            "a stream asked for",
            True,
            body("{ me { id } }"),
            {**carla, "accept": "text/event-stream"},
        ),
        # The whole way: refusals before execution, and what the direct path leaves.
        ("syntax error", False, body("{ me { id "), carla),
        ("unknown field", False, body("{ me { shoeSize } }"), carla),
        ("two operations, none named", False, body(TWO_OPERATIONS), carla),
        ("an operation not there", False, body(TWO_OPERATIONS, operationName="C"), carla),
        ("too deep", False, body(DEEP), carla),
        ("an id too long", False, body(CAN_INVITE, {"i": "x" * 129, "o": "o"}), anna),
        ("a query that is not a string", False, json.dumps({"query": 5}).encode(), carla),
        (
            "variables not an object",
            False,
            json.dumps({"query": "{ me { id } }", "variables": [1]}).encode(),
            carla,
        ),
        ("extensions", False, body("{ me { id } }", extensions={"persistedQuery": {}}), carla),
        ("not JSON", False, b"{ me { id } }", carla),
        ("a NUL", False, body("{ me { id } }", {"x": "a\u0000"}), carla),
        ("a body not an object", False, b"[1, 2]", carla),
        ("another content type", False, b"{ me { id } }", {**carla, "content-type": "text/plain"}),
    ]


@contextlib.asynccontextmanager
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine.test") as http:
            yield http


@pytest.fixture
async def whole_way(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """The same engine, every request the whole way."""
    async with client(create_app(api.engine, close_store=False, direct=False)) as http:
        yield http


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bodies of the requests the direct path answered itself."""
    answered: list[bytes] = []
    original = direct_module.Direct._answer

    async def spied(self: direct_module.Direct, request: Any, prepared: Any, send: Any) -> Any:
        answered.append(await request.body())
        return await original(self, request, prepared, send)

    monkeypatch.setattr(direct_module.Direct, "_answer", spied)
    return answered


def answer(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    # A new random request id per request unless the client sent one: compared as present.
    headers = [
        (k, v if k != "x-request-id" or v == "abc-123" else "<random>")
        for k, v in response.headers.multi_items()
    ]
    return response.status_code, headers, response.content


async def test_the_direct_path_answers_as_the_whole_way(
    api: Api, whole_way: httpx.AsyncClient, spy: list[bytes]
) -> None:
    await demo.load_demo(api.engine)
    tokens = {
        "anna": await api.login("anna@boekhouder.example", demo.PASSWORD),
        "carla": await api.login("carla@bakkerij-jansen.example", demo.PASSWORD),
    }
    answered = spy
    seen_codes: set[str] = set()
    for name, direct, content, headers in cases(tokens, api.operator):
        sent = {"content-type": "application/json", **headers}
        before = len(answered)
        mine = await api.http.post("/graphql", content=content, headers=sent)
        theirs = await whole_way.post("/graphql", content=content, headers=sent)
        assert answer(mine) == answer(theirs), name
        assert (len(answered) > before) is direct, name
        assert mine.status_code < 500, name
        if mine.headers["content-type"].startswith("application/") and mine.content[:1] == b"{":
            for error in mine.json().get("errors") or []:
                seen_codes.add(error["extensions"]["code"])
    # The comparison met the answers that matter, not only successes.
    assert {"NOT_FOUND", "UNAUTHENTICATED", "INVALID_INPUT", "GRAPHQL_PARSE_FAILED"} <= seen_codes


async def test_with_cors_on_the_direct_path_answers_as_the_whole_way(
    api: Api, spy: list[bytes]
) -> None:
    """CORS's headers on every answer: the allowed origin echoed, Vary: Origin always."""
    token = api.operator
    origins = ["https://app.example"]
    mine_app = create_app(api.engine, close_store=False, cors_origins=origins)
    theirs_app = create_app(api.engine, close_store=False, cors_origins=origins, direct=False)
    async with client(mine_app) as mine, client(theirs_app) as theirs:
        for origin in ("https://app.example", "https://evil.example", None):
            headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
            if origin:
                headers["origin"] = origin
            before = len(spy)
            content = body("{ maintenanceStatus { state showWarning } }")
            a = await mine.post("/graphql", content=content, headers=headers)
            b = await theirs.post("/graphql", content=content, headers=headers)
            assert answer(a) == answer(b), origin
            assert len(spy) == before + 1, origin
            assert "origin" in a.headers["vary"].lower()
            allowed = a.headers.get("access-control-allow-origin")
            assert allowed == ("https://app.example" if origin == "https://app.example" else None)
