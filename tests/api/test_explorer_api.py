"""findNodes and neighbourhood over HTTP, on both stores: what the explorer page draws."""

from __future__ import annotations

from typing import Any

from apiclient import Api

from graph_engine import demo
from graph_engine.model import GraphData, NodeRecord, RelRecord

NEIGHBOURHOOD = """query($id: ID!, $d: Int!) { neighbourhood(id: $id, depth: $d) {
  centerId nodes { id label name x y } relationships { type startId endId } } }"""


async def with_demo(api: Api) -> dict[str, str]:
    await demo.load_demo(api.engine)
    return {
        who: await api.login(f"{who}@{domain}", demo.PASSWORD)
        for who, domain in [
            ("bas", "bakkerij-jansen.example"),
            ("carla", "bakkerij-jansen.example"),
            ("ellen", "flex-uitzend.example"),
            ("piet", "flex-uitzend.example"),
        ]
    }


async def picture(api: Api, token: str | None, node: str, depth: int) -> dict[str, Any]:
    found: dict[str, Any] = (await api.ok(NEIGHBOURHOOD, token, id=node, d=depth))["neighbourhood"]
    return found


async def test_operators_find_and_see_a_neighbourhood_with_positions(api: Api) -> None:
    await with_demo(api)
    hits = (await api.ok('{ findNodes(search: "CARLA") { id label name } }', api.operator))[
        "findNodes"
    ]
    assert hits == [{"id": "usr_carla", "label": "User", "name": "Carla Smit"}]
    found = await picture(api, api.operator, "usr_carla", 1)
    ids = {n["id"] for n in found["nodes"]}
    assert {"usr_carla", "env_bakkerij", "org_bakkerij"} <= ids
    assert "usr_anna" not in ids  # two steps away
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in found["nodes"])
    assert all(n["label"] not in ("Session", "ApiKey") for n in found["nodes"])
    ends = {(r["startId"], r["endId"]) for r in found["relationships"]}
    assert all(a in ids and b in ids for a, b in ends)
    assert ("usr_carla", "env_bakkerij") in ends
    deeper = await picture(api, api.operator, "usr_carla", 2)
    assert "usr_anna" in {n["id"] for n in deeper["nodes"]}


async def test_depth_three_shows_more_than_depth_one(api: Api) -> None:
    tokens = await with_demo(api)
    for token in (api.operator, tokens["carla"]):
        sizes = [len((await picture(api, token, "usr_carla", d))["nodes"]) for d in (0, 1, 2, 3)]
        assert sizes[0] == 1
        assert sizes[0] < sizes[1] < sizes[2] <= sizes[3], sizes
    far = {n["id"] for n in (await picture(api, tokens["carla"], "usr_carla", 3))["nodes"]}
    near = {n["id"] for n in (await picture(api, tokens["carla"], "usr_carla", 1))["nodes"]}
    assert near < far
    assert "usr_ruud" in far  # Anna's colleague: Carla, bakery, partnership, accountant, Ruud


async def test_every_signed_in_user_explores_what_they_reach(api: Api) -> None:
    tokens = await with_demo(api)
    # Carla (ADVANCED_USER of the bakery) reaches the accountant, its partner
    seen = await picture(api, tokens["carla"], "usr_anna", 1)
    assert seen["centerId"] == "usr_anna"
    assert "env_boekhouder" in {n["id"] for n in seen["nodes"]}
    hits = (await api.ok('{ findNodes(search: "anna") { id } }', tokens["carla"]))["findNodes"]
    assert hits == [{"id": "usr_anna"}]
    # ... but nothing of the Flex agency, which is no partner of the bakery
    hits = (await api.ok('{ findNodes(search: "flex") { id } }', tokens["carla"]))["findNodes"]
    assert hits == []
    for node in ("usr_piet", "org_flex_noord", "env_flex"):
        refused = await api.fails(NEIGHBOURHOOD, tokens["carla"], id=node, d=1)
        unknown = await api.fails(NEIGHBOURHOOD, tokens["carla"], id="nothing_here", d=1)
        assert refused.code == unknown.code == "NOT_FOUND"
        # word for word what an unknown id gets, the id typed aside
        assert str(refused.errors).replace(node, "?") == str(unknown.errors).replace(
            "nothing_here", "?"
        )
    wide = await picture(api, tokens["carla"], "usr_carla", 3)
    assert not [n for n in wide["nodes"] if n["id"].endswith("flex") or "flex_" in n["id"]]


async def test_users_see_the_directory_and_admins_their_own_records(api: Api) -> None:
    tokens = await with_demo(api)
    # Piet (a USER) sees who belongs where, not licences, messages or ownership edges
    own = await picture(api, tokens["piet"], "usr_piet", 2)
    labels = {n["label"] for n in own["nodes"]}
    assert labels <= {"Environment", "User", "Organisation", "Partnership"}, labels
    types = {r["type"] for r in own["relationships"]}
    assert {"MEMBER_OF", "HAS_ACCESS"} <= types
    assert "HOLDS_RIGHTS_OF" not in types
    assert (await api.fails(NEIGHBOURHOOD, tokens["piet"], id="lic_ef-1001", d=1)).code == (
        "NOT_FOUND"
    )
    # Ellen, their ADMIN, sees the licences, the messages and who holds whose rights
    full = await picture(api, tokens["ellen"], "usr_piet", 1)
    assert {"Licence", "ProcessMessage"} <= {n["label"] for n in full["nodes"]}
    assert "HOLDS_RIGHTS_OF" in {r["type"] for r in full["relationships"]}
    # Bas, the bakery's ADMIN, sees the accountant's people but none of its records
    partner = await picture(api, tokens["bas"], "env_boekhouder", 1)
    assert {n["label"] for n in partner["nodes"]} <= {
        "Environment",
        "User",
        "Organisation",
        "Partnership",
    }


async def test_outsiders_of_an_unrelated_environment_see_nothing(api: Api) -> None:
    await with_demo(api)
    made = await api.ok(
        """mutation { createEnvironment(input: {name: "Elders", emailDomain: "elders.example"}) { id } }""",
        api.operator,
    )
    elders: set[str] = set()
    for email, role in (("eva@elders.example", "ADMIN"), ("wim@elders.example", "USER")):
        created = await api.ok(
            """mutation($e: ID!, $m: String!, $r: Role!) { createUser(input: {environmentId: $e,
                 email: $m, name: "Elders person", role: $r, password: "correct horse battery"}) { id } }""",
            api.operator,
            e=made["createEnvironment"]["id"],
            m=email,
            r=role,
        )
        elders.add(created["createUser"]["id"])
        token = await api.login(email)
        assert (await api.fails(NEIGHBOURHOOD, token, id="usr_carla", d=1)).code == "NOT_FOUND"
        assert (await api.fails(NEIGHBOURHOOD, token, id="prt_boekhouder_bakkerij", d=1)).code == (
            "NOT_FOUND"
        )
        hits = (await api.ok('{ findNodes(search: "e") { id } }', token))["findNodes"]
        assert {h["id"] for h in hits} <= elders  # Ellen, Bas, Anna ... match too: not shown
        assert created["createUser"]["id"] in {h["id"] for h in hits}
        home = await picture(api, token, made["createEnvironment"]["id"], 3)
        assert {n["id"] for n in home["nodes"]} >= {made["createEnvironment"]["id"]}
        assert not {n["id"] for n in home["nodes"]} & {"usr_carla", "env_bakkerij", "usr_anna"}


async def test_bad_questions_get_clear_codes(api: Api) -> None:
    await with_demo(api)
    assert (await api.fails(NEIGHBOURHOOD, api.operator, id="nobody", d=1)).code == "NOT_FOUND"
    assert (
        await api.fails(NEIGHBOURHOOD, api.operator, id="usr_carla", d=9)
    ).code == "INVALID_INPUT"
    assert (
        await api.fails('{ findNodes(search: "  ") { id } }', api.operator)
    ).code == "INVALID_INPUT"
    assert (await api.fails(NEIGHBOURHOOD, None, id="usr_carla", d=1)).code == "UNAUTHENTICATED"


async def test_the_explorer_page_is_served_whole(api: Api) -> None:
    page = await api.http.get("/explorer")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "neighbourhood(id:" in page.text
    assert "http://" not in page.text
    assert "https://" not in page.text  # no CDN: its library comes from /static/vendor/
    assert '<script src="/static/vendor/cytoscape.min.js"></script>' in page.text


async def test_a_search_finds_the_callers_own_behind_many_matches_out_of_reach(
    api: Api,
) -> None:
    """findNodes reads matches in batches until it has enough within reach: a tenant's
    own 'Jansen' is found although hundreds of other tenants' come first by id."""
    made = await api.ok(
        'mutation { createEnvironment(input: {name: "Others", emailDomain: "others.example"})'
        " { id } }",
        api.operator,
    )
    users = [
        {"id": f"usr_000000000000{i:04}", "name": f"Jansen {i}", "email": f"j{i}@others.example"}
        for i in range(300)
    ]
    await api.engine.store.import_graph(
        GraphData(
            nodes=tuple(
                NodeRecord("User", u["id"], {"name": u["name"], "email": u["email"]}) for u in users
            ),
            relationships=tuple(
                RelRecord("MEMBER_OF", u["id"], made["createEnvironment"]["id"], {"role": "USER"})
                for u in users
            ),
        )
    )
    mine = await api.ok(
        'mutation { createEnvironment(input: {name: "Mine", emailDomain: "mine.example"}) { id } }',
        api.operator,
    )
    own = await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "zz@mine.example",
             name: "Zus Jansen", role: ADMIN, password: "correct horse battery"}) { id } }""",
        api.operator,
        e=mine["createEnvironment"]["id"],
    )
    token = await api.login("zz@mine.example")
    hits = (await api.ok('{ findNodes(search: "jansen", first: 5) { id } }', token))["findNodes"]
    assert [h["id"] for h in hits] == [own["createUser"]["id"]]
