"""The explorer page in a real browser (Debian's Chromium, driven by Playwright), with
every request off the machine refused, on both stores.

Carla (an ADVANCED_USER, no ADMIN) signs in on the page and walks the eVerbinding
story: she finds herself, pans and zooms, widens the depth, asks whether she may
invite Anna to the bakery (denied, with the fix), the connections are repaired, and
she asks again (allowed, the deciding path laid out left to right and marked in the
neighbourhood). Errors replace the results they stand for. Piet, of an agency that is
no partner of the bakery, sees nothing of it. Screenshots go to ``artifacts/explorer/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from browser import STORE_PARAMS, DemoServer, Offline, chromium, demo_server, offline_page, shot
from playwright.async_api import Page, expect

from graph_engine import demo

pytestmark = pytest.mark.timeout(240)

# Every node's label is its whole name, and lies inside the canvas with its label.
LABELS_READABLE = """(cy) => cy.nodes().every((n) => {
  const box = n.renderedBoundingBox({ includeLabels: true });
  return n.style("label") === n.data("name") && box.x1 >= 0 && box.y1 >= 0
    && box.x2 <= cy.width() && box.y2 <= cy.height();
})"""


@pytest.fixture(scope="module", params=STORE_PARAMS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    log = tmp_path_factory.mktemp("explorer") / "serve.log"
    with demo_server(request, log) as served:
        yield served


async def sign_in(page: Page, base: str, email: str) -> None:
    await page.goto(f"{base}/explorer")
    await page.get_by_test_id("email").fill(email)
    await page.get_by_test_id("password").fill(demo.PASSWORD)
    await page.get_by_test_id("login").click()
    await expect(page.get_by_test_id("who")).to_have_text(f"signed in as {email}")


async def graph(page: Page, script: str) -> Any:
    return await page.evaluate(f"({script})(window.explorer.graph)")


async def shown(page: Page) -> set[str]:
    ids = await page.locator("#shown li").evaluate_all("(items) => items.map((i) => i.dataset.id)")
    return set(ids)


async def find_and_open(page: Page, search: str, node: str) -> None:
    await page.get_by_test_id("search").fill(search)
    await page.get_by_test_id("find").click()
    hit = page.get_by_test_id("hits").locator(f"button[data-id='{node}']")
    await hit.click()
    await expect(page.locator(f"#shown li[data-id='{node}']")).to_be_attached()


async def test_a_user_explores_the_story_with_pan_zoom_depth_and_the_deciding_path(
    server: DemoServer,
) -> None:
    offline = Offline()
    folder = f"explorer/{server.store}"
    async with chromium() as browser:
        page = await offline_page(browser, offline)
        await sign_in(page, server.base, "carla@bakkerij-jansen.example")
        await find_and_open(page, "carla", "usr_carla")
        near = await arrows_labels_and_legend(page, folder)
        await depth_redraws_at_once(page, folder, near)
        await pan_and_zoom(page, folder)
        await the_deciding_path(page, folder, server)
        await errors_replace_results(page, folder)
    assert offline.blocked == [], f"the page asked the internet for {offline.blocked}"


async def arrows_labels_and_legend(page: Page, folder: str) -> set[str]:
    # the neighbourhood: arrows, whole labels inside the canvas, a legend by label
    near = await shown(page)
    assert {"usr_carla", "env_bakkerij", "org_bakkerij"} <= near
    assert set(await graph(page, "(cy) => cy.nodes().map((n) => n.id())")) == near
    assert await graph(page, "(cy) => cy.edges().length") >= 2
    assert await graph(
        page, "(cy) => cy.edges().every((e) => e.style('target-arrow-shape') === 'triangle')"
    )
    assert await graph(page, LABELS_READABLE)
    labels = await page.locator("#shown li").evaluate_all(
        "(items) => [...new Set(items.map((i) => i.dataset.label))].sort()"
    )
    legend = page.get_by_test_id("legend").locator("li")
    assert await legend.evaluate_all("(items) => items.map((i) => i.dataset.label)") == labels
    await expect(legend.filter(has_text="User")).to_contain_text("User (1)")
    await shot(page, folder, "1-carla-found")

    return near


async def depth_redraws_at_once(page: Page, folder: str, near: set[str]) -> None:
    # depth: 3 steps show more than 1, as soon as the box changes
    await page.get_by_test_id("depth").select_option("3")
    await expect(page.locator("#shown li[data-id='usr_ruud']")).to_be_attached()
    far = await shown(page)
    assert near < far
    assert await graph(page, LABELS_READABLE)  # fitted again, names whole
    await shot(page, folder, "2-depth-3")
    await page.get_by_test_id("depth").select_option("2")
    await expect(page.locator("#shown li[data-id='usr_ruud']")).not_to_be_attached()


async def pan_and_zoom(page: Page, folder: str) -> None:
    # pan and zoom: the mouse wheel zooms, dragging the background pans
    canvas = page.get_by_test_id("graph")
    before = await canvas.screenshot()
    zoom = await graph(page, "(cy) => cy.zoom()")
    box = await canvas.bounding_box()
    assert box is not None
    await page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    await page.mouse.wheel(0, -400)
    await page.wait_for_function(f"window.explorer.graph.zoom() > {zoom}")
    pan = await graph(page, "(cy) => cy.pan()")
    await page.mouse.move(box["x"] + 8, box["y"] + 8)
    await page.mouse.down()
    await page.mouse.move(box["x"] + 128, box["y"] + 68, steps=8)
    await page.mouse.up()
    moved = await graph(page, "(cy) => cy.pan()")
    assert moved["x"] - pan["x"] == pytest.approx(120, abs=2)
    assert moved["y"] - pan["y"] == pytest.approx(60, abs=2)
    assert await canvas.screenshot() != before
    await shot(page, folder, "3-zoomed-and-panned")
    await page.get_by_test_id("fit").click()
    assert await graph(page, LABELS_READABLE)


async def the_deciding_path(page: Page, folder: str, server: DemoServer) -> None:
    # may Carla invite Anna to the bakery? denied, with the fix, the path left to right
    await page.get_by_test_id("invitee").fill("usr_anna")
    await page.get_by_test_id("organisation").fill("org_bakkerij")
    await page.get_by_test_id("ask").click()
    verdict = page.get_by_test_id("verdict")
    await expect(verdict).to_have_text("Denied: NOT_CONNECTED")
    await expect(page.get_by_test_id("fix")).to_contain_text("connect")
    steps = await page.locator("#steps li").evaluate_all(
        "(items) => items.map((i) => i.dataset.id)"
    )
    assert steps[0] == "usr_carla"
    assert steps[-1] == "usr_anna"
    assert {"org_bakkerij", "prt_boekhouder_bakkerij"} <= set(steps)
    # the partnership is called after the environments it joins, not by its id
    await expect(page.locator("#steps li[data-id='prt_boekhouder_bakkerij']")).to_have_text(
        "Bakkerij Jansen ⇄ Boekhouder & Partners"
    )
    at = await page.evaluate(
        "(ids) => ids.map((id) => window.explorer.path.$id(id).position())", steps
    )
    assert [p["x"] for p in at] == sorted({p["x"] for p in at})  # strictly left to right
    assert {p["y"] for p in at} == {at[0]["y"]}  # on one line
    await shot(page, folder, "4-denied-with-fix")

    # the connections are repaired (by an operator, through the API); ask again
    async with httpx.AsyncClient(base_url=server.base) as http:
        reply = await http.post(
            "/graphql",
            json={
                "query": 'mutation { repairConnections(partnershipId: "prt_boekhouder_bakkerij") { userId peerId } }'
            },
            headers={"authorization": f"Bearer {server.operator}"},
        )
    assert {"userId": "usr_carla", "peerId": "usr_anna"} in reply.json()["data"][
        "repairConnections"
    ]
    await page.get_by_test_id("ask").click()
    await expect(verdict).to_have_text("Allowed: PARTNER_CONNECTED")
    await expect(page.get_by_test_id("fix")).to_have_count(0)
    connected = "cy.edges('[type = \"CONNECTED_WITH\"]')"
    assert (
        await page.evaluate(
            f"(() => {{ const cy = window.explorer.path; return {connected}.length; }})()"
        )
        == 1
    )
    # ... and marked in the redrawn neighbourhood, which holds the new connection
    await expect(
        page.locator("#shown li[data-id='usr_anna'][data-on-path='true']")
    ).to_be_attached()
    await page.wait_for_function(
        f"(() => {{ const cy = window.explorer.graph; return {connected}.filter('.on-path').length === 1; }})()"
    )
    assert await graph(page, LABELS_READABLE)
    await shot(page, folder, "5-allowed-path")


async def errors_replace_results(page: Page, folder: str) -> None:
    # an error replaces the result it stands for
    await page.get_by_test_id("organisation").fill("org_nowhere")
    await page.get_by_test_id("ask").click()
    await expect(page.get_by_test_id("decision-error")).to_contain_text("NOT_FOUND")
    await expect(page.get_by_test_id("verdict")).to_have_count(0)
    await expect(page.locator("#steps li")).to_have_count(0)
    assert await page.evaluate("window.explorer.path.elements().length") == 0
    await page.get_by_test_id("token").fill("not-a-token")
    await expect(page.get_by_test_id("who")).to_have_text("")
    await page.get_by_test_id("depth").select_option("1")
    await expect(page.get_by_test_id("graph-error")).to_contain_text("UNAUTHENTICATED")
    await expect(page.locator("#shown li")).to_have_count(0)
    await expect(page.get_by_test_id("legend").locator("li")).to_have_count(0)
    assert await graph(page, "(cy) => cy.elements().length") == 0
    await page.get_by_test_id("search").press("Enter")
    await expect(page.get_by_test_id("search-error")).to_contain_text("UNAUTHENTICATED")
    await expect(page.get_by_test_id("hits").locator("li")).to_have_count(0)
    await shot(page, folder, "6-errors-replace-results")


async def test_a_user_of_another_tenant_sees_nothing_of_the_bakery(server: DemoServer) -> None:
    offline = Offline()
    async with chromium() as browser:
        page = await offline_page(browser, offline)
        await sign_in(page, server.base, "piet@flex-uitzend.example")  # a USER of Flex
        await page.get_by_test_id("search").fill("carla")
        await page.get_by_test_id("find").click()
        await expect(page.get_by_test_id("hits-box")).to_contain_text("nothing found")
        await find_and_open(page, "piet", "usr_piet")
        await page.get_by_test_id("depth").select_option("3")
        await expect(page.locator("#shown li[data-id='org_flex_zuid']")).to_be_attached()
        seen = await shown(page)
        assert not {n for n in seen if "bakkerij" in n or "boekhouder" in n}
        labels = set(await graph(page, "(cy) => cy.nodes().map((n) => n.data('label'))"))
        assert labels <= {"Environment", "User", "Organisation", "Partnership"}
        await page.get_by_test_id("invitee").fill("usr_carla")
        await page.get_by_test_id("organisation").fill("org_flex_noord")
        await page.get_by_test_id("ask").click()
        await expect(page.get_by_test_id("decision-error")).to_contain_text("NOT_FOUND")
        await shot(page, f"explorer/{server.store}", "7-another-tenant")
    assert offline.blocked == []
