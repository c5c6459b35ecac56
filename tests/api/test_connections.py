"""Relay connections and global ids over HTTP, on both stores.

Paged lists answer ``edges { cursor node }``, ``nodes`` and a full ``pageInfo``, and
walk both ways; ``node(id:)``/``nodes(ids:)`` fetch any object with a query of its
own by its ``globalId``, behind that query's visibility gate: an outsider's global
id of another tenant's object answers exactly as one naming nothing.
"""

from __future__ import annotations

import base64
from typing import Any

from apiclient import Api

from graph_engine import ids

PASSWORD = "correct horse battery"
USERS = """query($e: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  environment(id: $e) { users(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id name } } nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename id globalId
  ... on User { name environmentId } ... on Environment { name } ... on Organisation { name } } }"""
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id globalId } }"


async def tenant(api: Api, key: str, users: int) -> dict[str, Any]:
    """An environment with an organisation and ``users`` users (the first its ADMIN),
    the ADMIN with an open session."""
    env = (
        await api.ok(
            """mutation($n: String!, $d: String!) {
                 createEnvironment(input: {name: $n, emailDomain: $d}) { id globalId } }""",
            api.operator,
            n=f"Tenant {key}",
            d=f"{key}.example",
        )
    )["createEnvironment"]
    org = (
        await api.ok(
            'mutation($e: ID!) { createOrganisation(environmentId: $e, name: "Org") { id } }',
            api.operator,
            e=env["id"],
        )
    )["createOrganisation"]
    made = []
    for i in range(users):
        created = await api.ok(
            """mutation($e: ID!, $m: String!, $n: String!, $pw: String!) {
                 createUser(input: {environmentId: $e, email: $m, name: $n, password: $pw}) {
                   id globalId } }""",
            api.operator,
            e=env["id"],
            m=f"user{i}@{key}.example",
            n=f"{key} user {i}",
            pw=PASSWORD,
        )
        made.append(created["createUser"])
    token = ids.new_session_token()
    await api.engine.store.create_session(
        session_id=ids.new_id("Session"),
        user_id=made[0]["id"],
        token_hash=ids.token_hash(token),
        at=api.engine.clock.now(),
    )
    return {"env": env, "org": org, "users": made, "token": token}


async def test_users_walk_forward_and_backward_as_relay_connections(api: Api) -> None:
    home = await tenant(api, "paged", users=5)
    expected = sorted(u["id"] for u in home["users"])
    token, env = home["token"], home["env"]["id"]

    forward: list[str] = []
    after = None
    pages = 0
    while True:
        found = (await api.ok(USERS, token, e=env, first=2, after=after))["environment"]["users"]
        info = found["pageInfo"]
        assert [e["node"]["id"] for e in found["edges"]] == [n["id"] for n in found["nodes"]]
        assert info["startCursor"] == found["edges"][0]["cursor"]
        assert info["endCursor"] == found["edges"][-1]["cursor"]
        assert info["hasPreviousPage"] is (pages > 0)
        assert found["totalCount"] == len(expected)
        forward += [n["id"] for n in found["nodes"]]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert (forward, pages) == (expected, 3)

    backward: list[str] = []
    before = None
    while True:
        found = (await api.ok(USERS, token, e=env, last=2, before=before))["environment"]["users"]
        backward = [n["id"] for n in found["nodes"]] + backward
        assert found["pageInfo"]["hasNextPage"] is (before is not None)
        if not found["pageInfo"]["hasPreviousPage"]:
            break
        before = found["pageInfo"]["startCursor"]
    assert backward == expected

    # Any edge's cursor pages on from its item; 20 items when no size is given.
    whole = (await api.ok(USERS, token, e=env))["environment"]["users"]
    assert [n["id"] for n in whole["nodes"]] == expected
    middle = whole["edges"][2]["cursor"]
    after_middle = (await api.ok(USERS, token, e=env, first=10, after=middle))["environment"]
    before_middle = (await api.ok(USERS, token, e=env, last=10, before=middle))["environment"]
    assert [n["id"] for n in after_middle["users"]["nodes"]] == expected[3:]
    assert [n["id"] for n in before_middle["users"]["nodes"]] == expected[:2]


async def test_a_page_that_makes_no_sense_is_invalid_input_naming_the_argument(api: Api) -> None:
    home = await tenant(api, "bad", users=1)
    token, env = home["token"], home["env"]["id"]
    for variables, argument in (
        ({"first": 2, "last": 2}, "first"),
        ({"last": 0}, "last"),
        ({"last": 501}, "last"),
        ({"first": 2, "after": "nonsense"}, "after"),
        ({"last": 2, "before": base64.b64encode(b"c0:x").decode()}, "before"),
    ):
        reply = await api.fails(USERS, token, e=env, **variables)
        assert reply.code == "INVALID_INPUT", reply.body
        assert argument in reply.errors[0]["extensions"], reply.body
        assert reply.data is None  # environment is non-null: the error reaches the root


async def test_node_fetches_any_object_by_its_global_id(api: Api) -> None:
    home = await tenant(api, "home", users=2)
    token = home["token"]
    member = home["users"][1]
    found = (await api.ok(NODE, token, id=member["globalId"]))["node"]
    assert found == {
        "__typename": "User",
        "id": member["id"],
        "globalId": member["globalId"],
        "name": "home user 1",
        "environmentId": home["env"]["id"],
    }
    env = (await api.ok(NODE, token, id=home["env"]["globalId"]))["node"]
    assert (env["__typename"], env["id"], env["name"]) == (
        "Environment",
        home["env"]["id"],
        "Tenant home",
    )
    org_global = (
        await api.ok(
            "query($o: ID!) { organisation(id: $o) { globalId } }", token, o=home["org"]["id"]
        )
    )["organisation"]["globalId"]
    listed = (await api.ok(NODES, token, ids=[org_global, member["globalId"]]))["nodes"]
    assert [(n["__typename"], n["id"]) for n in listed] == [
        ("Organisation", home["org"]["id"]),
        ("User", member["id"]),
    ]
    # The global id is the type-qualified id, as strawberry's GlobalID writes it.
    assert base64.b64decode(member["globalId"]).decode() == f"User:{member['id']}"


async def test_an_outsiders_global_id_answers_as_one_that_names_nothing(api: Api) -> None:
    home = await tenant(api, "home", users=2)
    other = await tenant(api, "other", users=2)
    token = home["token"]
    unknown_id = f"usr_{'0' * 16}"
    unknown = base64.b64encode(f"User:{unknown_id}".encode()).decode()
    theirs = other["users"][1]

    seen = await api.fails(NODE, token, id=theirs["globalId"])
    never = await api.fails(NODE, token, id=unknown)
    assert seen.data == never.data == {"node": None}
    assert seen.code == never.code == "NOT_FOUND"
    said = [{k: v for k, v in e.items() if k != "locations"} for e in seen.errors]
    unsaid = [{k: v for k, v in e.items() if k != "locations"} for e in never.errors]
    assert str(said).replace(theirs["id"], unknown_id) == str(unsaid)
    assert "other" not in str(seen.body).lower()

    # In nodes(ids:), as in any nested field, what is out of reach is null, like nothing.
    listed = await api.ok(
        NODES,
        token,
        ids=[home["users"][1]["globalId"], other["env"]["globalId"], theirs["globalId"], unknown],
    )
    assert [n and n["id"] for n in listed["nodes"]] == [home["users"][1]["id"], None, None, None]
    # The other tenant's own ADMIN sees it.
    assert (await api.ok(NODE, other["token"], id=theirs["globalId"]))["node"]["id"] == theirs["id"]


async def test_node_refuses_what_is_not_a_global_id_and_asks_for_a_token(api: Api) -> None:
    home = await tenant(api, "home", users=1)
    token = home["token"]
    plain = await api.fails(NODE, token, id=home["users"][0]["id"])
    assert plain.code == "INVALID_INPUT"
    assert plain.data == {"node": None}
    kindless = base64.b64encode(b"Licence:lic_1").decode()
    assert (await api.fails(NODE, token, id=kindless)).code == "NOT_FOUND"
    too_many = await api.fails(NODES, token, ids=[home["env"]["globalId"]] * 101)
    assert too_many.code == "INVALID_INPUT"
    anonymous = await api.fails(NODE, None, id=home["users"][0]["globalId"])
    assert anonymous.code == "UNAUTHENTICATED"
    assert anonymous.data == {"node": None}


async def test_users_are_filtered_as_carerix_lists_its_inactive_users(api: Api) -> None:
    home = await tenant(api, "filtered", users=4)
    token, env = home["token"], home["env"]["id"]
    admin, *rest = home["users"]
    gone = sorted(u["id"] for u in rest[:2])
    for user_id in gone:
        await api.ok("mutation($u: ID!) { deactivateUser(userId: $u) { id } }", token, u=user_id)
    listed = """query($e: ID!, $f: UserFilter) { environment(id: $e) {
      users(filter: $f) { nodes { id active role } totalCount } } }"""
    inactive = (await api.ok(listed, token, e=env, f={"active": False}))["environment"]["users"]
    assert [n["id"] for n in inactive["nodes"]] == gone
    assert all(n["active"] is False for n in inactive["nodes"])
    assert inactive["totalCount"] == 2
    admins = (await api.ok(listed, token, e=env, f={"role": "ADMIN"}))["environment"]["users"]
    assert [n["id"] for n in admins["nodes"]] == [admin["id"]]
    named = await api.ok(listed, token, e=env, f={"name": "USER 3", "active": True})
    assert [n["id"] for n in named["environment"]["users"]["nodes"]] == [rest[2]["id"]]
    # a value outside the enum fails validation, naming the allowed ones
    wrong = await api.fails(listed, token, e=env, f={"role": "BOSS"})
    assert wrong.code == "INVALID_INPUT"


async def test_a_partners_global_id_of_a_vendors_relation_names_nothing(api: Api) -> None:
    """Within reach (partnered) yet not the vendor's: relation(id:) and node(id:) answer
    as for an id that names nothing, and nodes(ids:) gives null without failing the
    rest of the list."""
    vendor = await tenant(api, "vendor", users=1)
    customer = await tenant(api, "customer", users=1)
    await api.ok(
        "mutation($u: ID!, $p: ID!) { createPartnership(userId: $u, partnerUserId: $p) { id } }",
        api.operator,
        u=vendor["users"][0]["id"],
        p=customer["users"][0]["id"],
    )
    relation = (
        await api.ok(
            'mutation($e: ID!) { createRelation(environmentId: $e, name: "Groen") { id globalId } }',
            api.operator,
            e=vendor["env"]["id"],
        )
    )["createRelation"]
    token = customer["token"]
    unknown_id = f"rel_{'0' * 16}"
    direct = await api.fails("query($r: ID!) { relation(id: $r) { id } }", token, r=relation["id"])
    absent = await api.fails("query($r: ID!) { relation(id: $r) { id } }", token, r=unknown_id)
    assert direct.code == absent.code == "NOT_FOUND"
    assert (
        direct.errors[0]["message"].replace(relation["id"], unknown_id)
        == absent.errors[0]["message"]
    )
    unknown = base64.b64encode(f"Relation:{unknown_id}".encode()).decode()
    seen = await api.fails(NODE, token, id=relation["globalId"])
    never = await api.fails(NODE, token, id=unknown)
    assert seen.code == never.code == "NOT_FOUND"
    assert (
        seen.errors[0]["message"].replace(relation["id"], unknown_id) == never.errors[0]["message"]
    )
    listed = await api.ok(
        NODES, token, ids=[customer["users"][0]["globalId"], relation["globalId"]]
    )
    assert [n and n["id"] for n in listed["nodes"]] == [customer["users"][0]["id"], None]
    # the vendor's own staff fetch it
    fetched = await api.ok(NODE, vendor["token"], id=relation["globalId"])
    assert fetched["node"]["id"] == relation["id"]
