"""Planned documents answer as graphql-core's walk does, byte for byte, on both stores.

Which documents get a plan is checked on the schema; the answers by comparing the usual
app (direct path, plans) with one where every request takes the whole way
(strawberry's ``Schema.execute``), including the answers graphql-core writes itself when
the resolver raises or a value is not what the type allows (the plan replays the
resolver's outcome: the resolver still runs once).
"""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import strawberry
from apiclient import Api
from graphql import parse
from strawberry.execution import optimized_is_awaitable
from test_direct import CAN_INVITE, answer, client

from graph_engine import demo
from graph_engine.api import plans
from graph_engine.api.app import create_app
from graph_engine.api.partnerships import types as partnership_types
from graph_engine.api.schema import schema
from graph_engine.services.identity import IdentityService

CORE = schema._schema  # graphql-core's schema, what plans are made on


@pytest.mark.parametrize(
    ("query", "planned"),
    [
        (CAN_INVITE, True),
        (
            (
                "query($i: ID!, $o: ID!) { d: canInvite(inviteeId: $i, organisationId: $o) "
                "{ __typename ok: allowed code } }"
            ),
            True,
        ),
        ('{ canInvite(inviteeId: "a", organisationId: "b") { allowed } }', True),
        # A field with a resolver of its own below the root: graphql-core walks it.
        (
            (
                "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) "
                "{ allowed path { nodes { id } } } }"
            ),
            False,
        ),
        # Fragments, directives, two root fields, a key twice, a mutation, introspection.
        (
            (
                "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) { ...D } } "
                "fragment D on Decision { allowed }"
            ),
            False,
        ),
        (
            (
                "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) "
                "{ allowed @include(if: true) } }"
            ),
            False,
        ),
        (
            (
                "query($i: ID!, $o: ID!, $s: Boolean!) { canInvite(inviteeId: $i, organisationId: $o) "
                "@skip(if: $s) { allowed } }"
            ),
            False,
        ),
        (
            (
                "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) "
                "{ allowed } me { id } }"
            ),
            False,
        ),
        (
            (
                "query($i: ID!, $o: ID!) { canInvite(inviteeId: $i, organisationId: $o) "
                "{ allowed allowed } }"
            ),
            False,
        ),
        ('mutation { endSession(sessionId: "x") }', False),
        ("{ __typename }", False),
        ("{ __schema { queryType { name } } }", False),
    ],
)
def test_which_documents_get_a_plan(query: str, planned: bool) -> None:
    document = parse(query)
    assert (plans.plan(CORE, document) is not None) is planned


def test_a_plan_keeps_the_root_field_and_its_leaves_in_order() -> None:
    found = plans.plan(
        CORE,
        parse(
            "query($i: ID!, $o: ID!) { d: canInvite(inviteeId: $i, organisationId: $o) "
            "{ reason __typename ok: allowed } }"
        ),
    )
    assert found is not None
    assert found.object_type is not None
    assert (found.key, found.object_type.name, found.nullable) == ("d", "Decision", False)
    assert [(leaf.key, leaf.nullable) for leaf in found.leaves] == [
        ("reason", False),
        ("__typename", False),
        ("ok", False),
    ]


@pytest.fixture
async def whole_way(api: Api) -> AsyncIterator[httpx.AsyncClient]:
    async with client(create_app(api.engine, close_store=False, direct=False)) as http:
        yield http


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often a plan answered, and how often the session's read ran."""
    counts = {"planned": 0, "read": 0}
    execute = plans.execute
    authenticate_with = IdentityService.authenticate_with

    async def planned(*args: Any, **kwargs: Any) -> Any:
        counts["planned"] += 1
        return await execute(*args, **kwargs)

    async def read(self: IdentityService, *args: Any, **kwargs: Any) -> Any:
        counts["read"] += 1
        return await authenticate_with(self, *args, **kwargs)

    monkeypatch.setattr(plans, "execute", planned)
    monkeypatch.setattr(IdentityService, "authenticate_with", read)
    return counts


def body(query: str, variables: dict[str, Any]) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


ALIASED = """query($i: ID!, $o: ID!) {
  d: canInvite(inviteeId: $i, organisationId: $o) { __typename ok: allowed reason code }
}"""


async def compare(
    api: Api, whole_way: httpx.AsyncClient, counted: dict[str, int], cases: list[Any]
) -> set[str]:
    """Send each case both ways; the error codes met."""
    codes: set[str] = set()
    for name, query, variables, headers, reads in cases:
        sent = {"content-type": "application/json", **headers}
        before = dict(counted)
        mine = await api.http.post("/graphql", content=body(query, variables), headers=sent)
        assert counted["planned"] == before["planned"] + 1, name
        # The resolver ran once on the planned way, whatever its outcome.
        assert counted["read"] == before["read"] + reads, name
        theirs = await whole_way.post("/graphql", content=body(query, variables), headers=sent)
        assert answer(mine) == answer(theirs), name
        assert mine.status_code < 500, name
        for error in mine.json().get("errors") or []:
            codes.add(error["extensions"]["code"])
    return codes


async def test_planned_answers_are_graphql_cores(
    api: Api, whole_way: httpx.AsyncClient, counted: dict[str, int]
) -> None:
    await demo.load_demo(api.engine)
    anna = {"authorization": f"Bearer {await api.login('anna@boekhouder.example', demo.PASSWORD)}"}
    carla = {
        "authorization": f"Bearer {await api.login('carla@bakkerij-jansen.example', demo.PASSWORD)}"
    }
    ask = {"i": demo.USERS[3].id, "o": demo.CUSTOMER_ORG}
    codes = await compare(
        api,
        whole_way,
        counted,
        [
            ("allowed", CAN_INVITE, ask, anna, 1),
            ("denied", CAN_INVITE, {"i": "usr_anna", "o": demo.CUSTOMER_ORG}, carla, 1),
            ("aliases and __typename", ALIASED, ask, anna, 1),
            # The resolver raises: graphql-core locates the error and spreads the null.
            ("unknown invitee", CAN_INVITE, {"i": "usr_nobody", "o": demo.CUSTOMER_ORG}, anna, 1),
            ("no token", CAN_INVITE, ask, {}, 1),
            ("bad token", CAN_INVITE, ask, {"authorization": "Bearer ges_nonsense"}, 1),
            # Variables graphql-core refuses before any resolver runs.
            ("a variable of the wrong type", CAN_INVITE, {"i": 5, "o": ["x"]}, anna, 0),
            ("a variable missing", CAN_INVITE, {"i": "usr_anna"}, anna, 0),
        ],
    )
    assert {"NOT_FOUND", "UNAUTHENTICATED", "INVALID_INPUT"} <= codes


@pytest.mark.parametrize("broken", ["null", "not an enum value"])
async def test_a_value_the_type_refuses_is_answered_as_graphql_core_answers_it(
    api: Api,
    whole_way: httpx.AsyncClient,
    counted: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    broken: str,
) -> None:
    """A decision whose code is null or no code at all (a fault of ours): the same error,
    at the same path, with the same nulls, both ways; the resolver still runs once."""
    await demo.load_demo(api.engine)
    anna = {"authorization": f"Bearer {await api.login('anna@boekhouder.example', demo.PASSWORD)}"}
    of = partnership_types.Decision.of

    def faulty(decided: Any) -> Any:
        made = of(decided)
        made.code = None if broken == "null" else "NOT_A_CODE"  # type: ignore[assignment]
        return made

    monkeypatch.setattr(partnership_types.Decision, "of", staticmethod(faulty))
    ask = {"i": demo.USERS[3].id, "o": demo.CUSTOMER_ORG}
    await compare(
        api,
        whole_way,
        counted,
        [(broken, CAN_INVITE, ask, anna, 1), (broken, ALIASED, ask, anna, 1)],
    )
    mine = await api.http.post(
        "/graphql",
        content=body(CAN_INVITE, ask),
        headers={"content-type": "application/json", **anna},
    )
    assert mine.json()["data"] is None
    assert mine.json()["errors"][0]["path"] == ["canInvite", "code"]


@strawberry.type
class Answer:
    allowed: bool


@strawberry.type
class SmallQuery:
    @strawberry.field
    async def ask(self, info: strawberry.Info, who: strawberry.ID) -> Answer:
        return Answer(allowed=who == info.context.who)


class Asker:
    who = "a"


async def test_a_planned_answer_leaves_nothing_for_the_cyclic_collector() -> None:
    """graphql-core's executor refers to itself; untied after the resolver, the request's
    context is freed when the request ends, not at the collector's next run."""
    small = strawberry.Schema(SmallQuery)
    document = parse("query($w: ID!) { ask(who: $w) { allowed } }")
    found = plans.plan(small._schema, document)
    assert found is not None
    context = Asker()
    gone = weakref.ref(context)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = await plans.execute(
            found,
            small._schema,
            document,
            executor_class=small.execution_context_class,
            context_value=context,
            variable_values={"w": "a"},
            operation_name=None,
            is_awaitable=optimized_is_awaitable,
            operation_extensions=None,
        )
        assert result.data == {"ask": {"allowed": True}}
        del context, result
        assert gone() is None
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("direct", [True, False])
async def test_an_answer_walked_by_graphql_core_leaves_no_request_behind(
    api: Api, *, direct: bool
) -> None:
    """The schema's execution context unties itself once it has answered: a request's
    context goes when the request does, on the direct path and the whole way alike."""
    from graph_engine.api.context import Context  # noqa: PLC0415

    await demo.load_demo(api.engine)
    token = await api.login("carla@bakkerij-jansen.example", demo.PASSWORD)
    headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    me = body("{ me { id name environment { id name } } }", {})
    async with client(create_app(api.engine, close_store=False, direct=direct)) as http:
        await http.post("/graphql", content=me, headers=headers)  # warm
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for _ in range(3):
                answered = await http.post("/graphql", content=me, headers=headers)
                assert answered.json()["data"]["me"]["name"]
            gc.collect()
            left = [o for o in gc.garbage if isinstance(o, Context)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            if was_enabled:
                gc.enable()
    assert left == []
