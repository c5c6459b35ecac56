"""findNodes and neighbourhood over HTTP, on both stores: what the explorer page draws."""

from __future__ import annotations

from apiclient import Api

from graph_engine import demo

NEIGHBOURHOOD = """query($id: ID!, $d: Int!) { neighbourhood(id: $id, depth: $d) {
  centerId nodes { id label name x y } relationships { type startId endId } } }"""


async def with_demo(api: Api) -> dict[str, str]:
    await demo.load_demo(api.engine)
    return {
        who: await api.login(f"{who}@{domain}", demo.PASSWORD)
        for who, domain in [
            ("bas", "bakkerij-jansen.example"),
            ("carla", "bakkerij-jansen.example"),
        ]
    }


async def test_operators_find_and_see_a_neighbourhood_with_positions(api: Api) -> None:
    await with_demo(api)
    hits = (await api.ok('{ findNodes(search: "CARLA") { id label name } }', api.operator))[
        "findNodes"
    ]
    assert hits == [{"id": "usr_carla", "label": "User", "name": "Carla Smit"}]
    found = (await api.ok(NEIGHBOURHOOD, api.operator, id="usr_carla", d=1))["neighbourhood"]
    ids = {n["id"] for n in found["nodes"]}
    assert {"usr_carla", "env_bakkerij", "org_bakkerij"} <= ids
    assert "usr_anna" not in ids  # two steps away
    assert all(0 <= n["x"] <= 1 and 0 <= n["y"] <= 1 for n in found["nodes"])
    assert all(n["label"] not in ("Session", "ApiKey") for n in found["nodes"])
    ends = {(r["startId"], r["endId"]) for r in found["relationships"]}
    assert all(a in ids and b in ids for a, b in ends)
    assert ("usr_carla", "env_bakkerij") in ends
    deeper = (await api.ok(NEIGHBOURHOOD, api.operator, id="usr_carla", d=2))["neighbourhood"]
    assert "usr_anna" in {n["id"] for n in deeper["nodes"]}


async def test_admins_explore_what_they_reach_and_users_not_at_all(api: Api) -> None:
    tokens = await with_demo(api)
    # Bas administers the bakery, partnered with the accountant: Anna is within reach
    seen = (await api.ok(NEIGHBOURHOOD, tokens["bas"], id="usr_anna", d=1))["neighbourhood"]
    assert seen["centerId"] == "usr_anna"
    assert (await api.fails(NEIGHBOURHOOD, tokens["carla"], id="usr_anna", d=1)).code == "FORBIDDEN"
    assert (
        await api.fails('{ findNodes(search: "a") { id } }', tokens["carla"])
    ).code == "FORBIDDEN"
    # an admin of an unrelated environment reaches neither the node nor its search hits
    made = await api.ok(
        """mutation { createEnvironment(input: {name: "Elders", emailDomain: "elders.example"}) { id } }""",
        api.operator,
    )
    await api.ok(
        """mutation($e: ID!) { createUser(input: {environmentId: $e, email: "eva@elders.example",
                                                 name: "Eva", password: "correct horse battery"}) { id } }""",
        api.operator,
        e=made["createEnvironment"]["id"],
    )
    eva = await api.login("eva@elders.example")
    assert (await api.fails(NEIGHBOURHOOD, eva, id="usr_carla", d=1)).code == "NOT_FOUND"
    hits = (await api.ok('{ findNodes(search: "carla") { id } }', eva))["findNodes"]
    assert hits == []


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
    assert "http://" not in page.text.replace("http://www.w3.org/2000/svg", "")  # no CDN
