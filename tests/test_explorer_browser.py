"""The explorer page in a real browser (Debian's Chromium, driven by Playwright).

Walks the eVerbinding story on the demo data: find Carla, ask whether she can
invite Anna to the bakery, see the denial with its fix, repair the connections
through the API, ask again and see the allowing path highlighted. Screenshots
are kept in ``artifacts/explorer/``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, async_playwright, expect
from serving import serving

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "explorer"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``graph-engine serve`` with the demo data: (base URL, operator key)."""
    log = tmp_path / "serve.log"
    with serving(log) as port:
        key = re.search(r"operator key for this store: (\S+)", log.read_text())
        assert key, log.read_text()
        yield f"http://127.0.0.1:{port}", key.group(1)


async def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def test_explorer_walks_the_everbinding_story(demo_server: tuple[str, str]) -> None:
    base, operator = demo_server
    assert shutil.which("chromium"), "Chromium is missing: the test command installs it"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            await page.goto(f"{base}/explorer")
            await page.get_by_test_id("token").fill(operator)

            # find C
            await page.get_by_test_id("search").fill("carla")
            await page.get_by_test_id("find").click()
            hit = page.get_by_test_id("hits").locator("button[data-id='usr_carla']")
            await expect(hit).to_be_visible()
            await hit.click()
            await expect(page.locator("#picture svg g[data-id='usr_carla']")).to_be_visible()
            await expect(page.locator("#picture svg g[data-id='org_bakkerij']")).to_be_visible()
            await shot(page, "1-carla-found")

            # can C invite A to O? denied, with the fix
            await page.get_by_test_id("inviter").fill("usr_carla")
            await page.get_by_test_id("invitee").fill("usr_anna")
            await page.get_by_test_id("organisation").fill("org_bakkerij")
            await page.get_by_test_id("ask").click()
            verdict = page.get_by_test_id("decision").locator("[data-testid='verdict']")
            await expect(verdict).to_have_text("Denied: NOT_CONNECTED")
            await expect(page.get_by_test_id("decision").get_by_test_id("fix")).to_contain_text(
                "connect"
            )
            await shot(page, "2-denied-with-fix")

            # repair through the API
            async with httpx.AsyncClient(base_url=base) as http:
                reply = await http.post(
                    "/graphql",
                    json={
                        "query": 'mutation { repairConnections(partnershipId: "prt_boekhouder_bakkerij") { userId peerId } }'
                    },
                    headers={"authorization": f"Bearer {operator}"},
                )
            repaired = reply.json()["data"]["repairConnections"]
            assert {"userId": "usr_carla", "peerId": "usr_anna"} in repaired

            # ask again: allowed, the deciding path highlighted
            await page.get_by_test_id("ask").click()
            await expect(verdict).to_have_text("Allowed: PARTNER_CONNECTED")
            path = page.get_by_test_id("path")
            await expect(path.locator("g.path-node[data-id='usr_carla']")).to_be_visible()
            await expect(path.locator("g.path-node[data-id='usr_anna']")).to_be_visible()
            connection = path.locator("line.path-rel[data-key^='CONNECTED_WITH']")
            await expect(connection).to_have_count(1)
            marked = page.locator("#picture svg g.path-node")
            assert await marked.count() >= 2  # also highlighted in the neighbourhood
            # ... which was redrawn: the repaired connection is in it now
            await expect(
                page.locator("#picture svg line.path-rel[data-key^='CONNECTED_WITH']")
            ).to_have_count(1)
            assert await page.get_by_test_id("error").text_content() == ""
            await shot(page, "3-allowed-path")
        finally:
            await browser.close()
