"""The Staff article "Aan contractant gekoppelde relatie wijzigen", end to end over HTTP.

Three sections: unlink the old relation's technical set-up, link the new relation
(on its currently active subscription), re-hang the open tasks. Runs on both stores
(the ``api`` fixture).
"""

from __future__ import annotations

from typing import Any

import pytest
from apiclient import Api

from graph_engine import ids
from graph_engine.model import PrincipalKind

TASKS = """query($c: ID!, $s: TaskStatus, $first: Int = 20, $after: String) {
  supportTasks(contractantId: $c, status: $s, first: $first, after: $after) {
    linked message relationId nodes { id title status relationId }
    pageInfo { hasNextPage endCursor } } }"""
LINKED = """query($c: ID!) { linkedRelation(contractantId: $c) {
  linked message link { database contractant subscriptionId relation { id name } } } }"""
COUNT = """query($c: ID!) { subscriptionCount(contractantId: $c) {
  linked message relationId active total } }"""
LINK = """mutation($r: ID!, $c: ID!, $d: String!) {
  linkRelation(relationId: $r, contractantId: $c, database: $d) {
    database contractantId relation { id } } }"""
UNLINK = """mutation($c: ID!) { unlinkRelation(contractantId: $c) {
  removed { database relation { id name } } } }"""
REHANG = """mutation($f: ID!, $t: ID!) {
  rehangTasks(fromRelationId: $f, toRelationId: $t) { moved } }"""
END = """mutation($s: ID!) { endSubscription(subscriptionId: $s) {
  subscription { id relationId active endedAt }
  endedLinks { contractantId database subscriptionId relation { id } } } }"""


async def user(api: Api, env_id: str, email: str, role: str) -> str:
    """Create a user over HTTP and open a session for them.

    The session is opened in the store directly rather than by ``login``: the
    password hash would cost more than the rest of the test, and login has its
    own tests.
    """
    made = await api.ok(
        """mutation($e: ID!, $m: String!, $r: Role!) {
             createUser(input: {environmentId: $e, email: $m, name: $m, role: $r}) { id } }""",
        api.operator,
        e=env_id,
        m=email,
        r=role,
    )
    token = ids.new_session_token()
    await api.engine.store.create_session(
        session_id=ids.new_id("Session"),
        user_id=made["createUser"]["id"],
        token_hash=ids.token_hash(token),
        at=api.engine.clock.now(),
    )
    return token


async def story(api: Api) -> dict[str, Any]:
    """Staff (the vendor) with the bakery's old and new relation; the bakery's contractant."""
    data = await api.ok(
        """mutation {
             staff: createEnvironment(input: {name: "Staff", emailDomain: "staff.example"}) { id }
             bakery: createEnvironment(input: {name: "Bakkerij", emailDomain: "bakkerij.example"}) { id }
             other: createEnvironment(input: {name: "Other", emailDomain: "other.example"}) { id } }""",
        api.operator,
    )
    cast: dict[str, Any] = {k: v["id"] for k, v in data.items()}
    cast["staffAdmin"] = await user(api, cast["staff"], "admin@staff.example", "ADMIN")
    cast["consultant"] = await user(api, cast["staff"], "consultant@staff.example", "CONSULTANT")
    cast["clerk"] = await user(api, cast["staff"], "clerk@staff.example", "USER")
    cast["baker"] = await user(api, cast["bakery"], "bas@bakkerij.example", "ADMIN")
    cast["outsider"] = await user(api, cast["other"], "admin@other.example", "ADMIN")
    # The bakery is Staff's customer: a link needs the two to be partners.
    me = "{ me { id } }"
    staff_admin = (await api.ok(me, cast["staffAdmin"]))["me"]["id"]
    baker = (await api.ok(me, cast["baker"]))["me"]["id"]
    await api.ok(
        "mutation($u: ID!, $p: ID!) { createPartnership(userId: $u, partnerUserId: $p) { id } }",
        api.operator,
        u=staff_admin,
        p=baker,
    )
    made = await api.ok(
        """mutation($e: ID!) {
             old: createRelation(environmentId: $e, name: "Bakkerij Jansen") { id }
             new: createRelation(environmentId: $e, name: "Bakkerij Jansen BV") { id } }""",
        cast["consultant"],
        e=cast["staff"],
    )
    cast["old"], cast["new"] = made["old"]["id"], made["new"]["id"]
    # The old relation's active subscription carries the link; the new one has two.
    subscriptions = []
    for relation in (cast["old"], cast["new"], cast["new"]):
        made = await api.ok(
            """mutation($r: ID!) { createSubscription(relationId: $r, active: true) { id } }""",
            cast["consultant"],
            r=relation,
        )
        subscriptions.append(made["createSubscription"]["id"])
    cast["sub_old"] = subscriptions[0]
    cast["open"], cast["closed"] = [], []
    for i in range(5):
        task = await api.ok(
            """mutation($r: ID!, $t: String!) { createTask(relationId: $r, title: $t) { id } }""",
            cast["consultant"],
            r=cast["old"],
            t=f"Loket.nl koppeling {i}",
        )
        task_id = task["createTask"]["id"]
        if i < 3:  # three open, two closed
            cast["open"].append(task_id)
        else:
            await api.ok(
                "mutation($t: ID!) { closeTask(taskId: $t) { status } }",
                cast["consultant"],
                t=task_id,
            )
            cast["closed"].append(task_id)
    await api.ok(LINK, cast["consultant"], r=cast["old"], c=cast["bakery"], d="bakkerij_db")
    return cast


async def test_the_article_unlink_link_and_rehang_end_to_end(api: Api) -> None:
    cast = await story(api)
    bakery, token = cast["bakery"], cast["consultant"]
    before = await api.ok(TASKS, cast["baker"], c=bakery)
    assert {t["id"] for t in before["supportTasks"]["nodes"]} == set(cast["open"] + cast["closed"])

    # Technische inrichting ontkoppelen
    unlinked = await api.ok(UNLINK, token, c=bakery)
    assert unlinked["unlinkRelation"]["removed"]["relation"]["id"] == cast["old"]
    assert unlinked["unlinkRelation"]["removed"]["database"] == "bakkerij_db"
    now = await api.ok(LINKED, token, c=bakery)
    assert now["linkedRelation"]["linked"] is False
    assert now["linkedRelation"]["link"] is None
    assert "no linked relation" in now["linkedRelation"]["message"]
    hidden = (await api.ok(TASKS, cast["baker"], c=bakery))["supportTasks"]
    assert (hidden["linked"], hidden["nodes"], hidden["relationId"]) == (False, [], None)
    assert "no linked relation" in hidden["message"]
    uncounted = (await api.ok(COUNT, token, c=bakery))["subscriptionCount"]
    assert (uncounted["linked"], uncounted["active"], uncounted["total"]) == (False, 0, 0)

    # Technische inrichting koppelen
    linked = await api.ok(LINK, token, r=cast["new"], c=bakery, d="bakkerij_db")
    assert linked["linkRelation"]["relation"]["id"] == cast["new"]
    counted = (await api.ok(COUNT, cast["baker"], c=bakery))["subscriptionCount"]
    assert (counted["linked"], counted["relationId"], counted["active"]) == (True, cast["new"], 2)
    assert (await api.ok(TASKS, cast["baker"], c=bakery))["supportTasks"]["nodes"] == []

    # Taken omhangen
    rehung = await api.ok(REHANG, token, f=cast["old"], t=cast["new"])
    assert rehung["rehangTasks"]["moved"] == len(cast["open"])
    seen = (await api.ok(TASKS, cast["baker"], c=bakery))["supportTasks"]
    assert seen["linked"] is True
    assert seen["message"] is None
    assert sorted(t["id"] for t in seen["nodes"]) == sorted(cast["open"])
    assert {(t["status"], t["relationId"]) for t in seen["nodes"]} == {("OPEN", cast["new"])}
    data = await api.engine.store.export_graph()
    stayed = {r.start for r in data.relationships if r.type == "CONCERNS" and r.end == cast["old"]}
    assert stayed == set(cast["closed"])


async def test_the_link_sits_on_the_active_subscription_and_ends_with_it(api: Api) -> None:
    """ "Selecteer het momenteel actieve abonnement … Technische inrichting (MaxCC)": the
    set-up is the active subscription's; ending that subscription ends the link."""
    cast = await story(api)
    bakery, token = cast["bakery"], cast["consultant"]
    link = (await api.ok(LINKED, cast["baker"], c=bakery))["linkedRelation"]["link"]
    assert (link["subscriptionId"], link["relation"]["id"]) == (cast["sub_old"], cast["old"])

    ended = (await api.ok(END, token, s=cast["sub_old"]))["endSubscription"]
    assert ended["subscription"]["id"] == cast["sub_old"]
    assert ended["subscription"]["active"] is False
    assert ended["subscription"]["endedAt"] is not None
    assert ended["endedLinks"] == [
        {
            "contractantId": bakery,
            "database": "bakkerij_db",
            "subscriptionId": cast["sub_old"],
            "relation": {"id": cast["old"]},
        }
    ]
    # The customer now sees "unlinked": no tasks, no subscriptions counted.
    tasks = (await api.ok(TASKS, cast["baker"], c=bakery))["supportTasks"]
    assert (tasks["linked"], tasks["relationId"], tasks["nodes"]) == (False, None, [])
    counted = (await api.ok(COUNT, cast["baker"], c=bakery))["subscriptionCount"]
    assert (counted["linked"], counted["active"], counted["total"]) == (False, 0, 0)
    assert "no linked relation" in counted["message"]

    # Ending it again ends nothing more; the old relation cannot be linked any more.
    again = (await api.ok(END, token, s=cast["sub_old"]))["endSubscription"]
    assert (again["endedLinks"], again["subscription"]["endedAt"]) == (
        [],
        ended["subscription"]["endedAt"],
    )
    before = await graph(api)
    reply = await api.fails(LINK, token, r=cast["old"], c=bakery, d="bakkerij_db")
    assert reply.code == "CONSTRAINT_VIOLATION"
    error = reply.errors[0]
    assert "Bakkerij Jansen" in error["message"]
    assert "no active subscription" in error["message"]
    assert error["extensions"]["relation"] == cast["old"]
    assert "createSubscription" in error["extensions"]["suggestion"]
    assert await graph(api) == before
    # The new relation, with its active subscriptions, takes over.
    linked = await api.ok(LINK, token, r=cast["new"], c=bakery, d="bakkerij_db")
    assert linked["linkRelation"]["relation"]["id"] == cast["new"]


async def test_a_relation_without_an_active_subscription_is_not_linked(api: Api) -> None:
    cast = await story(api)
    made = await api.ok(
        """mutation($e: ID!) { createRelation(environmentId: $e, name: "Bakkerij Kaal") { id } }""",
        cast["consultant"],
        e=cast["staff"],
    )
    bare = made["createRelation"]["id"]
    await api.ok(
        "mutation($r: ID!) { createSubscription(relationId: $r, active: false) { id } }",
        cast["consultant"],
        r=bare,
    )
    await api.ok(UNLINK, cast["consultant"], c=cast["bakery"])
    before = await graph(api)
    for attempt in (
        api.fails(LINK, cast["consultant"], r=bare, c=cast["bakery"], d="db"),
        api.fails(
            """mutation($c: ID!, $r: ID!) {
                 relinkRelation(contractantId: $c, relationId: $r, database: "db") {
                   link { database } } }""",
            cast["consultant"],
            c=cast["bakery"],
            r=bare,
        ),
    ):
        reply = await attempt
        assert reply.code == "CONSTRAINT_VIOLATION"
        assert reply.errors[0]["extensions"]["relationName"] == "Bakkerij Kaal"
    assert await graph(api) == before


async def test_a_second_link_is_refused_naming_the_linked_relation(api: Api) -> None:
    cast = await story(api)
    reply = await api.fails(LINK, cast["consultant"], r=cast["new"], c=cast["bakery"], d="db")
    assert reply.code == "CONSTRAINT_VIOLATION"
    error = reply.errors[0]
    assert cast["old"] in error["message"]
    assert "Bakkerij Jansen" in error["message"]
    assert error["extensions"]["relation"] == cast["old"]
    assert error["extensions"]["relationName"] == "Bakkerij Jansen"
    assert "relinkRelation" in error["extensions"]["suggestion"]
    now = await api.ok(LINKED, cast["consultant"], c=cast["bakery"])
    assert now["linkedRelation"]["link"]["relation"]["id"] == cast["old"]


async def test_relink_replaces_the_link_in_one_step(api: Api) -> None:
    cast = await story(api)
    data = await api.ok(
        """mutation($c: ID!, $r: ID!) {
             relinkRelation(contractantId: $c, relationId: $r, database: "nieuw_db") {
               link { database relation { id } } removed { relation { id } } } }""",
        cast["consultant"],
        c=cast["bakery"],
        r=cast["new"],
    )
    assert data["relinkRelation"]["link"] == {
        "database": "nieuw_db",
        "relation": {"id": cast["new"]},
    }
    assert data["relinkRelation"]["removed"] == {"relation": {"id": cast["old"]}}


async def test_support_tasks_are_paginated_and_filtered(api: Api) -> None:
    cast = await story(api)
    seen: list[str] = []
    after = None
    while True:
        found = (await api.ok(TASKS, cast["baker"], c=cast["bakery"], first=2, after=after))[
            "supportTasks"
        ]
        seen.extend(t["id"] for t in found["nodes"])
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    assert seen == sorted(cast["open"] + cast["closed"])
    closed = await api.ok(TASKS, cast["baker"], c=cast["bakery"], s="CLOSED")
    assert sorted(t["id"] for t in closed["supportTasks"]["nodes"]) == sorted(cast["closed"])


async def graph(api: Api) -> Any:
    return await api.engine.store.export_graph()


@pytest.mark.parametrize(
    ("who", "query", "variables", "code"),
    [
        # Within reach but not theirs to do: FORBIDDEN.
        ("clerk", LINK, {"r": "new", "c": "other", "d": "db"}, "FORBIDDEN"),
        ("baker", UNLINK, {"c": "bakery"}, "FORBIDDEN"),
        ("clerk", REHANG, {"f": "old", "t": "new"}, "FORBIDDEN"),
        ("clerk", LINKED, {"c": "bakery"}, "FORBIDDEN"),
        # Outside reach: the same NOT_FOUND as for ids that do not exist.
        ("outsider", LINK, {"r": "new", "c": "other", "d": "db"}, "NOT_FOUND"),
        ("outsider", UNLINK, {"c": "bakery"}, "NOT_FOUND"),
        ("outsider", REHANG, {"f": "old", "t": "new"}, "NOT_FOUND"),
        ("outsider", TASKS, {"c": "bakery"}, "NOT_FOUND"),
        ("outsider", COUNT, {"c": "bakery"}, "NOT_FOUND"),
        ("outsider", END, {"s": "sub_old"}, "NOT_FOUND"),
        ("clerk", END, {"s": "sub_old"}, "FORBIDDEN"),
        # A partner reaches the vendor's environment, not its relations, subscriptions
        # and tasks: the same NOT_FOUND as for ids that do not exist.
        ("baker", LINK, {"r": "new", "c": "other", "d": "db"}, "NOT_FOUND"),
        ("baker", END, {"s": "sub_old"}, "NOT_FOUND"),
        ("baker", REHANG, {"f": "old", "t": "new"}, "NOT_FOUND"),
    ],
)
async def test_who_may_not_is_refused_and_nothing_changes(
    api: Api, who: str, query: str, variables: dict[str, str], code: str
) -> None:
    cast = await story(api)
    before = await graph(api)
    resolved = {k: cast.get(v, v) for k, v in variables.items()}
    reply = await api.fails(query, cast[who], **resolved)
    assert reply.code == code
    assert await graph(api) == before


async def test_a_contractant_that_is_not_the_vendors_partner_cannot_be_linked(api: Api) -> None:
    cast = await story(api)
    before = await graph(api)
    reply = await api.fails(LINK, cast["consultant"], r=cast["new"], c=cast["other"], d="db")
    assert reply.code == "NOT_FOUND"
    unknown = await api.fails(LINK, cast["consultant"], r=cast["new"], c="env_nope", d="db")
    assert reply.errors[0]["message"] == unknown.errors[0]["message"].replace(
        "env_nope", cast["other"]
    )
    assert await graph(api) == before
    # An operator may link any contractant.
    linked = await api.ok(LINK, api.operator, r=cast["new"], c=cast["other"], d="db")
    assert linked["linkRelation"]["contractantId"] == cast["other"]


async def test_another_vendors_link_is_refused_without_naming_it(api: Api) -> None:
    cast = await story(api)
    rival = (
        await api.ok(
            'mutation { createEnvironment(input: {name: "Rival", emailDomain: "rival.example"}) { id } }',
            api.operator,
        )
    )["createEnvironment"]["id"]
    rival_admin = await user(api, rival, "admin@rival.example", "ADMIN")
    me = "{ me { id } }"
    await api.ok(
        "mutation($u: ID!, $p: ID!) { createPartnership(userId: $u, partnerUserId: $p) { id } }",
        api.operator,
        u=(await api.ok(me, rival_admin))["me"]["id"],
        p=(await api.ok(me, cast["baker"]))["me"]["id"],
    )
    mine = await api.ok(
        'mutation($e: ID!) { createRelation(environmentId: $e, name: "Rival BV") { id } }',
        rival_admin,
        e=rival,
    )
    reply = await api.fails(
        LINK, rival_admin, r=mine["createRelation"]["id"], c=cast["bakery"], d="rival_db"
    )
    assert reply.code == "CONSTRAINT_VIOLATION"
    text = str(reply.body)
    for secret in (cast["old"], "Bakkerij Jansen", "bakkerij_db", cast["staff"]):
        assert secret not in text
    for refused in (UNLINK, LINKED, TASKS):
        denied = await api.fails(refused, rival_admin, c=cast["bakery"])
        assert denied.code == "FORBIDDEN"
        assert cast["old"] not in str(denied.body)


async def test_the_vendor_sees_an_unlinked_contractant_as_unlinked(api: Api) -> None:
    cast = await story(api)
    await api.ok(UNLINK, cast["staffAdmin"], c=cast["bakery"])
    for who in ("staffAdmin", "consultant", "baker"):
        found = await api.ok(LINKED, cast[who], c=cast["bakery"])
        assert found["linkedRelation"]["linked"] is False
    assert (await api.ok(UNLINK, cast["consultant"], c=cast["bakery"]))["unlinkRelation"] == {
        "removed": None
    }


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        (LINK, {"r": "old", "c": "other", "d": "   "}, "INVALID_INPUT"),
        (LINK, {"r": "rel_nope", "c": "other", "d": "db"}, "NOT_FOUND"),
        (LINK, {"r": "old", "c": "env_nope", "d": "db"}, "NOT_FOUND"),
        (LINK, {"r": "old", "c": "staff", "d": "db"}, "INVALID_INPUT"),
        (UNLINK, {"c": "env_nope"}, "NOT_FOUND"),
        (REHANG, {"f": "old", "t": "old"}, "INVALID_INPUT"),
        (REHANG, {"f": "old", "t": "rel_nope"}, "NOT_FOUND"),
        (TASKS, {"c": "bakery", "first": 0}, "INVALID_INPUT"),
        (TASKS, {"c": "bakery", "after": "garbage"}, "INVALID_INPUT"),
        (TASKS, {"c": "bakery", "s": "DONE"}, "INVALID_INPUT"),
        (TASKS, {"c": "env_nope"}, "NOT_FOUND"),
        (COUNT, {"c": "old"}, "NOT_FOUND"),
        (END, {"s": "sub_nope"}, "NOT_FOUND"),
        (END, {"s": "old"}, "NOT_FOUND"),
    ],
)
async def test_bad_input_is_refused_with_its_code_and_nothing_changes(
    api: Api, query: str, variables: dict[str, Any], code: str
) -> None:
    cast = await story(api)
    before = await graph(api)
    resolved = {k: cast.get(v, v) if isinstance(v, str) else v for k, v in variables.items()}
    reply = await api.fails(query, cast["consultant"], **resolved)
    assert reply.code == code
    assert await graph(api) == before


async def test_creating_tasks_needs_a_title_and_a_relation(api: Api) -> None:
    cast = await story(api)
    before = await graph(api)
    create = "mutation($r: ID!, $t: String!) { createTask(relationId: $r, title: $t) { id } }"
    assert (
        await api.fails(create, cast["consultant"], r=cast["old"], t="")
    ).code == "INVALID_INPUT"
    assert (await api.fails(create, cast["consultant"], r="rel_x", t="x")).code == "NOT_FOUND"
    assert (await api.fails(create, cast["outsider"], r=cast["old"], t="x")).code == "NOT_FOUND"
    assert await graph(api) == before


async def test_the_backoffice_link_of_the_vendor_may_rehang(api: Api) -> None:
    cast = await story(api)
    _, key = await api.engine.identity.issue_api_key(
        PrincipalKind.BACKOFFICE, "FlexService", cast["staff"]
    )
    moved = await api.ok(REHANG, key, f=cast["old"], t=cast["new"])
    assert moved["rehangTasks"]["moved"] == len(cast["open"])
    _, foreign = await api.engine.identity.issue_api_key(
        PrincipalKind.BACKOFFICE, "elsewhere", cast["other"]
    )
    assert (await api.fails(REHANG, foreign, f=cast["new"], t=cast["old"])).code == "NOT_FOUND"
