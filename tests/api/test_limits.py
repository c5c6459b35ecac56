"""Every request is bounded and every bad body is a 400, on both stores (DESIGN §3.0)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from apiclient import Api
from builders import T0
from graphql import get_introspection_query

from graph_engine.api.app import create_app
from graph_engine.api.limits import Limits
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.services import Engine

NESTED = """query($e: ID!) { environment(id: $e) { users(first: 100) { nodes {
  environment { users(first: 100) { nodes { environment { users(first: 100) {
    nodes { name email } } } } } } } } } }"""


async def crowd(api: Api, users: int = 100) -> str:
    """One environment of ``users`` users, written straight into the store."""
    nodes = [
        NodeRecord(
            "Environment",
            "env_crowd",
            {
                "name": "Crowd",
                "emailDomain": "crowd.example",
                "billing": "PER_PROCESSED_HOUR",
                "createdAt": T0,
            },
        )
    ]
    rels = []
    for i in range(users):
        nodes.append(
            NodeRecord(
                "User",
                f"usr_{i:04}",
                {
                    "email": f"u{i}@crowd.example",
                    "username": f"u{i}",
                    "name": f"User {i}",
                    "active": True,
                    "loginBlocked": False,
                    "mailEnabled": True,
                    "relationshipManager": False,
                    "createdAt": T0,
                },
            )
        )
        rels.append(RelRecord("MEMBER_OF", f"usr_{i:04}", "env_crowd", {"role": "USER"}))
    await api.engine.store.import_graph(GraphData(nodes=tuple(nodes), relationships=tuple(rels)))
    return "env_crowd"


def code(reply: Any) -> str:
    return str(reply.errors[0]["extensions"]["code"])


async def test_the_nested_query_that_stalled_the_server_is_refused_at_once(api: Api) -> None:
    env = await crowd(api)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        reply = await api.fails(NESTED, api.operator, e=env)
        timings.append((time.perf_counter() - start) * 1000)
        assert reply.errors[0]["extensions"] == {
            "code": "QUERY_TOO_COMPLEX",
            "limit": "cost",
            "max": Limits().max_cost,
            "found": reply.errors[0]["extensions"]["found"],
        }
        assert reply.errors[0]["extensions"]["found"] > 1_000_000
    # It took 47.5 s and 32 MB before; refused now before anything runs.
    assert statistics.median(timings) < 50, timings
    # One level of the same is a page, and is served.
    one = await api.ok(
        "query($e: ID!) { environment(id: $e) { users(first: 100) { nodes { name } } } }",
        api.operator,
        e=env,
    )
    assert len(one["environment"]["users"]["nodes"]) == 100


def spreading_twice(fragments: int, *, nested: bool) -> str:
    """A document of fragments that each spread the one before twice (under a kilobyte
    for twenty): expanded, it holds two to the power of its fragments' fields."""
    text = f"{{ me {{ ...F{fragments} }} }}\nfragment F0 on User {{ id name }}\n"
    for k in range(1, fragments + 1):
        inner = f"...F{k - 1} ...F{k - 1}"
        if nested:
            inner += f" environment {{ users {{ nodes {{ ...F{k - 1} }} }} }}"
        text += f"fragment F{k} on User {{ {inner} }}\n"
    return text


@pytest.mark.parametrize(
    ("document", "found", "allowed"),
    [
        # 800 copies of one field: graphql-core compared them pair by pair (0.6 s).
        ("{ " + " ".join(["me { id }"] * 800) + " }", 800, 50),
        # Spread over fragments, each fragment counted once, as written.
        (
            "{ "
            + " ".join(f"...F{i}" for i in range(30))
            + " } "
            + " ".join(
                f"fragment F{i} on Query {{ me {{ id }} me {{ name }} }}" for i in range(30)
            ),
            60,
            50,
        ),
        # Inner fields count too, and aliases by the name they answer under.
        ("{ me { " + " ".join("a: environment { id }" for _ in range(51)) + " } }", 51, 50),
        ("{ me { " + " __typename" * 201 + " } }", 201, 200),
    ],
)
async def test_a_name_selected_over_and_over_is_refused_before_validation(
    api: Api, document: str, found: int, allowed: int
) -> None:
    """Validation checks that same-named fields merge pair by pair; a document that asks
    for one name more than 50 times (`__typename` 200) is refused before it, anonymous or
    not, on both ways a request is answered."""
    for token in (None, api.operator):
        reply = await api.fails(document, token)
        assert reply.errors[0]["extensions"] == {
            "code": "QUERY_TOO_COMPLEX",
            "limit": "repeats",
            "max": allowed,
            "found": found,
        }
        assert reply.data is None
    # Just at the limit is a query like any other.
    fifty = "{ " + " ".join(['__type(name: "User") { name }'] * 50) + " }"
    assert (await api.ok(fifty))["__type"]["name"] == "User"


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        # A megabyte of newlines before a hundred errors held the server 19 s.
        ("\n" * 40_000 + "{ __typename }", "queryChars"),
        (" " * 33_000 + "{ __typename }", "queryChars"),
        ("\n" * 2_000 + "{ __typename }", "queryLines"),
        ("\r\n" * 1_000 + "{ __typename }", "queryLines"),
    ],
)
async def test_a_query_text_over_its_bounds_is_refused_before_it_is_parsed(
    api: Api, query: str, limit: str
) -> None:
    response = await api.http.post("/graphql", json={"query": query})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        "code": "REQUEST_TOO_LARGE",
        "limit": limit,
        "max": getattr(Limits(), "max_query_chars" if limit == "queryChars" else "max_query_lines"),
    }
    # Just within both, with a hundred errors behind the padding: answered, each error
    # at its place, and soon (each place is found by bisection, not by a walk).
    fields = " ".join(f"x{i}" for i in range(150))
    start = time.perf_counter()
    reply = await api.call("\n" * 1_900 + " " * 25_000 + "{ " + fields + " }")
    took = time.perf_counter() - start
    assert reply.errors[0]["locations"] == [{"line": 1901, "column": 25_003}]
    assert reply.errors[1]["locations"] == [{"line": 1901, "column": 25_006}]
    assert took < 1, took


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ('{ findNodes(search: "a", first: %s) { id } }' % ("9" * 4301), {}, "digits"),
        (
            'query($n: Int = %s) { findNodes(search: "a", first: $n) { id } }' % ("9" * 4301),
            {},
            "digits",
        ),
        ("{ x%s }" % ("a" * 5000), {}, "characters"),
        ("query($%s: Int) { __typename }" % ("v" * 200), {}, "characters"),
    ],
)
async def test_names_and_integers_validation_cannot_handle_are_refused_before_it(
    api: Api, query: str, variables: dict[str, Any], message: str
) -> None:
    """An integer of 4,301 digits was an internal error with a stack trace in the log
    (Python reads at most 4,300); a name of kilobytes made validation compare it with
    every name it could have meant."""
    reply = await api.fails(query, **variables)
    assert reply.status == 200
    assert code(reply) == "INVALID_INPUT"
    assert message in reply.errors[0]["message"]
    assert "internal" not in reply.errors[0]["message"]


async def test_a_variable_python_cannot_read_is_a_400_not_a_500(api: Api) -> None:
    body = (
        b'{"query": "query($n: Int!) { findNodes(search: \\"a\\", first: $n) { id } }",'
        b' "variables": {"n": ' + b"9" * 4301 + b"}}"
    )
    response = await api.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
    assert "digits" in response.json()["errors"][0]["message"]


async def test_long_text_is_refused_before_it_is_read_and_never_echoed_whole(api: Api) -> None:
    """A megabyte of text in an argument took 150-350 ms of per-character checks before
    its length was, and some refusals repeated it whole."""
    huge = "a" * 900_000
    login = await api.call(
        'mutation($e: String!) { login(email: $e, password: "x") { token } }',
        e=huge + "@x.example",
    )
    assert login.errors[0]["extensions"]["code"] == "INVALID_INPUT"
    search = await api.call(
        "query($s: String!) { findNodes(search: $s) { id } }", api.operator, s=huge
    )
    assert search.errors[0]["extensions"]["code"] == "INVALID_INPUT"
    reset = await api.call(
        "mutation($e: String!) { requestPasswordReset(email: $e) }", e="b" * 300 + "@x.example"
    )
    assert reset.errors[0]["extensions"]["code"] == "INVALID_INPUT"
    cursor = await api.call(
        "query($a: String!) { outbox(first: 1, after: $a) { nodes { id } } }",
        api.operator,
        a="Z" * 100_000,
    )
    assert cursor.errors[0]["message"] == "malformed cursor"
    for reply in (login, search, reset, cursor):
        assert len(json.dumps(reply.body)) < 2_000


def test_a_list_of_ids_counts_its_duplicates() -> None:
    from graph_engine.errors import InvalidInput  # noqa: PLC0415
    from graph_engine.services.validate import chosen  # noqa: PLC0415

    assert chosen(["d1", "d1", "d2"], "dossierIds", "dossiers", 3) == ["d1", "d2"]
    with pytest.raises(InvalidInput):
        chosen(["d1"] * 4, "dossierIds", "dossiers", 3)


def test_error_places_are_graphql_cores() -> None:
    """The bisecting source answers every position as graphql-core's walk does."""
    from graphql.language import Source  # noqa: PLC0415

    from graph_engine.api.documents import IndexedSource  # noqa: PLC0415

    for body in ("", "a", "\n", "\r\n\r\n", "ab\r\ncd\ref\ngh", "\n\n x \r \r\n y", "x\r"):
        for position in range(len(body) + 1):
            assert IndexedSource(body).get_location(position) == Source(body).get_location(
                position
            ), (body, position)


async def test_the_repeats_limit_is_set_from_the_environment(api: Api) -> None:
    limits = Limits.from_env({"GRAPH_ENGINE_MAX_REPEATS": "3"})
    assert limits.max_repeats == 3
    app = create_app(Engine(api.engine.store, api.engine.clock), close_store=False, limits=limits)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine.test") as http:
            reply = await http.post(
                "/graphql",
                json={"query": "{ me { id } me { id } me { id } me { id } }"},
                headers={"authorization": f"Bearer {api.operator}"},
            )
    assert reply.json()["errors"][0]["extensions"]["limit"] == "repeats"
    assert reply.json()["errors"][0]["extensions"]["max"] == 3


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("nested", "limit", "found"),
    [
        # 2 fields x 2^20 + `me`; from forty fragments on, at the cap where measures stop.
        (False, "cost", 2 * 2**20 + 1),
        (False, "cost", 10**12),
        # Each fragment three selection sets deeper than the one it spreads, `me` one more.
        (True, "depth", 3 * 40 + 1),
    ],
)
async def test_fragments_spread_over_and_over_are_measured_once(
    api: Api, nested: bool, limit: str, found: int
) -> None:
    """Measuring expanded every spread (twenty such fragments, 821 bytes, took an anonymous
    caller 5.6 s of the server's time, each one more twice that); each fragment is measured
    once now, so the refusal is as quick as any."""
    fragments = 20 if found == 2 * 2**20 + 1 else 40
    document = spreading_twice(fragments, nested=nested)
    start = time.perf_counter()
    reply = await api.fails(document)
    took = time.perf_counter() - start
    assert reply.errors[0]["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": limit,
        "max": getattr(Limits(), f"max_{limit}"),
        "found": found,
    }
    assert took < 1, took


@pytest.mark.parametrize(
    ("document", "limit"),
    [
        ("{ " + " ".join(f"a{i}: me {{ id }}" for i in range(1_000)) + " }", "tokens"),
        ("{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }", "aliases"),
        ("mutation { " + " ".join(f"a{i}: logout" for i in range(1_000)) + " }", "aliases"),
        (
            "{ "
            + " ".join(f'n{i}: neighbourhood(id: "x", depth: 3) {{ centerId }}' for i in range(40))
            + " }",
            "aliases",
        ),
        (
            "{ "
            + " ".join(f'n{i}: neighbourhood(id: "x") {{ centerId }}' for i in range(5))
            + " }",
            "cost",
        ),
        (  # each of the 100 ids fetches a page of 200 users: 100 x 200 x 2 fields
            "{ nodes(ids: ["
            + ", ".join(f'"id{i}"' for i in range(100))
            + "]) { ... on Environment { users(first: 200) { nodes { id name } } } } }",
            "cost",
        ),
        (
            "{ me { environment { "
            + "partnerships { nodes { environments { " * 4
            + "id"
            + " } } }" * 4
            + " } } }",
            "depth",
        ),
    ],
)
async def test_a_request_over_a_limit_is_refused_naming_the_limit(
    api: Api, document: str, limit: str
) -> None:
    reply = await api.fails(document, api.operator)
    assert code(reply) == "QUERY_TOO_COMPLEX", reply.errors
    assert reply.errors[0]["extensions"]["limit"] == limit
    assert reply.data is None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'""', "JSON object"),
        (b"null", "JSON object"),
        (b"[1, 2]", "JSON object"),
        (b"1e999999", "too large a number"),
        (b'{"query": "{ me { id } }", "x": NaN}', "JSON can hold"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"query": "{ me { id } }", "variables": {"n": "\\ud800"}}', "unpaired surrogate"),
        (b'{"query": "{ me { id } }", "variables": {"n": "a\\u0000b"}}', "NUL"),
        (b'{"query": "{ me { id } }", "variables": {"\\u0000": 1}}', "NUL"),
        # Unescaped, a NUL (any control character) in a string is not JSON at all.
        (b'{"query": "{ me { id } }", "variables": {"n": "a\x00b"}}', "control character"),
        (b'{"query": "{ me { id } }", "variables": {"n\x00": 1}}', "control character"),
        (b"[" * 200_000, "nests too deeply"),
        (b'{"a":' * 100_000, "nests too deeply"),
        (
            b'{"query": "{ me { id } }", "variables": {"n": ' + b"[" * 5_000 + b"]" * 5_000 + b"}}",
            "nests too deeply",
        ),
    ],
)
async def test_a_body_that_is_not_a_clean_json_object_is_a_400(
    api: Api, body: bytes, reason: str
) -> None:
    before = await api.engine.store.export_graph()
    response = await api.http.post(
        "/graphql",
        content=body,
        headers={"content-type": "application/json", "authorization": f"Bearer {api.operator}"},
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert reason in error["message"]
    assert await api.engine.store.export_graph() == before


@pytest.mark.parametrize(
    ("document", "variables", "code"),
    [
        (
            'mutation($e: String!) { login(email: $e, password: "x") { token } }',
            {"e": "a\ud800@x.example"},
            "INVALID_INPUT",
        ),
        (
            'mutation($n: String!) { createEnvironment(input: {name: $n, emailDomain: "n.example"}) { id } }',
            {"n": "Nul\x00Name"},
            "INVALID_INPUT",
        ),
        # A lone surrogate escape in a string of the document: GraphQL's lexer refuses it.
        ('{ findNodes(search: "\\ud800") { id } }', {}, "GRAPHQL_PARSE_FAILED"),
        (
            'mutation { createEnvironment(input: {name: "Nul\\u0000Name", emailDomain: "n.example"}) { id } }',
            {},
            "INVALID_INPUT",
        ),
        (
            'mutation { runNightlyProcessing(environmentId: "e", process: "\\udc00") { created } }',
            {},
            "GRAPHQL_PARSE_FAILED",
        ),
    ],
)
async def test_nul_and_lone_surrogates_are_refused_and_never_stored(
    api: Api, document: str, variables: dict[str, str], code: str
) -> None:
    before = await api.engine.store.export_graph()
    response = await api.http.post(
        "/graphql",
        # json.dumps escapes a lone surrogate as \udXXX, as a client library would.
        content=json.dumps({"query": document, "variables": variables}).encode(),
        headers={"authorization": f"Bearer {api.operator}", "content-type": "application/json"},
    )
    assert response.status_code in {200, 400}
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert await api.engine.store.export_graph() == before


async def test_a_body_over_the_limit_is_refused_before_it_is_read(api: Api) -> None:
    big = b'{"query": "{ me { id } }", "pad": "' + b"x" * 10_000_000 + b'"}'
    start = time.perf_counter()
    response = await api.http.post(
        "/graphql", content=big, headers={"content-type": "application/json"}
    )
    assert (time.perf_counter() - start) < 2  # 9.5 s before
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {
        "code": "REQUEST_TOO_LARGE",
        "max": Limits().max_body_bytes,
    }


@pytest.fixture
async def strict(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    """The same engine behind an app with small limits, introspection off and CORS on."""
    limits = Limits(max_depth=3, max_aliases=2, introspection=False)
    app = create_app(
        Engine(api.engine.store, api.engine.clock),
        close_store=False,
        limits=limits,
        cors_origins=["https://app.example"],
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine.test") as http:
            yield http


async def test_limits_introspection_and_cors_are_configured(
    api: Api, strict: httpx.AsyncClient
) -> None:
    auth = {"authorization": f"Bearer {api.operator}"}
    deep = await strict.post(
        "/graphql",
        json={"query": "{ me { environment { users { nodes { id } } } } }"},
        headers=auth,
    )
    assert deep.json()["errors"][0]["extensions"]["limit"] == "depth"
    introspect = await strict.post("/graphql", json={"query": "{ __schema { types { name } } }"})
    assert "introspection" in introspect.json()["errors"][0]["message"].lower()
    # The default app answers introspection and knows no foreign origin.
    assert (await api.ok("{ __schema { queryType { name } } }"))["__schema"]
    preflight = {
        "origin": "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }
    allowed = await strict.options("/graphql", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    stranger = await strict.options(
        "/graphql", headers={**preflight, "origin": "https://evil.example"}
    )
    assert stranger.status_code == 400
    default = await api.http.options("/graphql", headers=preflight)
    assert "access-control-allow-origin" not in default.headers


def test_the_documented_queries_pass_the_default_limits() -> None:
    """The README's and the explorer's queries measured against the default limits."""
    from pathlib import Path  # noqa: PLC0415

    from graphql import parse  # noqa: PLC0415

    from graph_engine.api.limits import before_validation, check  # noqa: PLC0415
    from graph_engine.api.schema import schema  # noqa: PLC0415

    root = Path(__file__).resolve().parents[2]
    texts = (root / "README.md").read_text(encoding="utf-8")
    texts += (root / "graph_engine" / "api" / "explorer.html").read_text(encoding="utf-8")
    documents = _graphql_documents(texts)
    assert len(documents) > 10
    for document in documents:
        try:
            parsed = parse(document)
        except Exception:  # noqa: BLE001, S112 - a fragment of prose, not a document
            continue
        refused = before_validation(parsed, Limits().max_repeats) or check(
            Limits(), schema._schema, parsed, None, {"first": 500}
        )
        assert refused is None, (document, refused)


def _graphql_documents(text: str) -> list[str]:
    """Brace-balanced `{ ... }` or `query/mutation ... { ... }` spans in a text."""
    out = []
    for start in range(len(text)):
        if text[start] != "{" and not text.startswith(("query", "mutation"), start):
            continue
        depth = 0
        for end in range(start, min(len(text), start + 4_000)):
            if text[end] == "{":
                depth += 1
            elif text[end] == "}":
                depth -= 1
                if depth == 0:
                    out.append(text[start : end + 1])
                    break
    return out


async def test_introspection_weighs_what_it_costs(api: Api) -> None:
    """One full introspection (what GraphiQL asks, signed in or not) fits; a document of
    aliases of `__schema` would build the schema's description thirty times: refused."""
    full = await api.call(get_introspection_query())
    assert full.status == 200
    assert "errors" not in full.body
    aliases = " ".join(
        # (each name at most 50 times: the repeats limit comes first)
        f"s{i}: __schema {{ types {{ fields {{ args {{ name }} }} }} }}"
        for i in range(30)
    )
    reply = await api.fails(f"{{ {aliases} }}")
    assert code(reply) == "QUERY_TOO_COMPLEX"
    assert reply.errors[0]["extensions"]["limit"] == "cost"


@pytest.mark.parametrize(
    "text",
    [
        "Yuki\u202etxt.exe",
        "Yuki\u2028Click here",
        "a\u2066b",
        "Yuki\u200f",
        "Yu\u200bki",
        "Yuki" + "".join(chr(0xE0000 + ord(c)) for c in "ignore this"),
    ],
)
async def test_text_that_reads_otherwise_than_it_shows_is_refused(api: Api, text: str) -> None:
    """Bidi overrides and line separators would reorder or break the text where it is
    shown (a name in a list, the quoted line of a mail): refused like control characters."""
    reply = await api.fails(
        "mutation($n: String!) { createEnvironment(input: {name: $n, emailDomain: "
        '"bidi.example"}) { id } }',
        api.operator,
        n=text,
    )
    assert code(reply) == "INVALID_INPUT"
    assert "control character" in reply.errors[0]["message"]


async def test_several_operations_need_a_name_and_none_runs_unmeasured(api: Api) -> None:
    """Without operationName a document of two operations is refused (GraphQL spec,
    "GetOperation"): running the first one would also skip the limits' measure."""
    expensive = (
        "query A { "
        + " ".join(f"s{i}: __schema {{ queryType {{ name }} }}" for i in range(8))
        + " }"
    )
    reply = await api.fails(expensive + " query B { __typename }")
    assert code(reply) == "GRAPHQL_VALIDATION_FAILED"
    assert "operation name" in reply.errors[0]["message"]
    assert reply.data is None
    named = await api.http.post(
        "/graphql", json={"query": expensive + " query B { __typename }", "operationName": "B"}
    )
    assert named.json() == {"data": {"__typename": "Query"}}
    unknown = await api.http.post(
        "/graphql", json={"query": "query B { __typename }", "operationName": "C"}
    )
    assert unknown.json()["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"query": 5}', "application/json"),
        (b'{"query": "{ __typename }", "variables": [1]}', "application/json"),
        (b"{ __typename }", "text/plain"),
    ],
)
async def test_a_request_strawberry_refuses_is_answered_in_json_with_a_code(
    api: Api, body: bytes, content_type: str
) -> None:
    response = await api.http.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT"
    assert error["message"]


async def test_an_overlong_id_is_refused_before_it_is_sent_back_thirty_times(api: Api) -> None:
    """A refusal names the id it refuses: 30 aliases of a 900,000-character id once made a
    54 MB answer from a 1 MB request. Every ID given is bounded, in lists and inputs too."""
    huge = "a" * 900_000
    aliases = " ".join(f"a{i}: licenceOf(userId: $s) {{ number }}" for i in range(30))
    reply = await api.fails(f"query($s: ID!) {{ {aliases} }}", api.operator, s=huge)
    assert code(reply) == "INVALID_INPUT"
    assert reply.errors[0]["extensions"]["field"] == "userId"
    assert len(json.dumps(reply.body)) < 1_000
    listed = await api.fails(
        "query($i: [ID!]!) { nodes(ids: $i) { id } }", api.operator, i=["x" * 200]
    )
    assert code(listed) == "INVALID_INPUT"
    nested = await api.fails(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "a@b.example",
             name: "A", role: USER}) { id } }""",
        api.operator,
        e="e" * 129,
    )
    assert code(nested) == "INVALID_INPUT"
    fits = await api.fails("query($u: ID!) { user(id: $u) { id } }", api.operator, u="u" * 128)
    assert code(fits) == "NOT_FOUND"


async def test_joiners_that_scripts_and_emoji_need_are_kept(api: Api) -> None:
    made = await api.ok(
        'mutation($n: String!) { createEnvironment(input: {name: $n, emailDomain: "zwj.example"})'
        " { name } }",
        api.operator,
        n="Familie \U0001f468\u200d\U0001f469\u200d\U0001f467 \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    )
    assert "\u200d" in made["createEnvironment"]["name"]


def test_kept_measures_are_the_measures_whatever_the_variables() -> None:
    """A document's measures kept between requests (the direct path keeps them with the
    document) give each request the answer a fresh measure gives: an ID over the limit
    is found in any request's variables, in the order the arguments stand, and a size
    taken from a variable is measured again each time (nothing kept for it)."""
    from graphql import parse  # noqa: PLC0415

    from graph_engine.api.limits import Measured, check  # noqa: PLC0415
    from graph_engine.api.schema import schema  # noqa: PLC0415

    core = schema._schema
    decide = parse(
        "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) { allowed } }"
    )
    paged = parse(
        "query($e: ID!, $n: Int) { environment(id: $e) { users(first: $n) { nodes {"
        " environment { users(first: $n) { nodes { environment { users(first: $n) {"
        " nodes { id } } } } } } } } } }"
    )
    long = "x" * 200
    asked: list[tuple[Any, dict[str, Any]]] = [
        (decide, {"i": "usr_a", "o": "org_a"}),
        (decide, {"i": long, "o": "org_a"}),
        (decide, {"i": "usr_a", "o": long}),
        (decide, {"i": long, "o": long}),
        (decide, {"i": "usr_a", "o": "org_a"}),
        (paged, {"e": "env_a", "n": 1}),
        (paged, {"e": "env_a", "n": 100}),
        (paged, {"e": long, "n": 1}),
        (paged, {"e": "env_a", "n": 2}),
    ]
    kept: dict[Any, dict[str | None, Measured]] = {decide: {}, paged: {}}
    answers = []
    for document, variables in asked:
        fresh = check(Limits(), core, document, None, variables)
        again = check(Limits(), core, document, None, variables, kept[document])
        mine = None if again is None else (again.message, again.extensions)
        assert mine == (None if fresh is None else (fresh.message, fresh.extensions))
        answers.append(
            None if again is None or again.extensions is None else again.extensions["code"]
        )
    assert answers == [
        None,
        *["INVALID_INPUT"] * 3,
        None,
        None,
        "QUERY_TOO_COMPLEX",
        "INVALID_INPUT",
        None,
    ]
    assert list(kept[decide]) == [None]  # kept: only IDs vary
    assert kept[paged] == {}  # the page sizes come from a variable: measured each time
