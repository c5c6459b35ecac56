"""GraphiQL at ``/graphql`` in a real browser with no internet: its scripts come from
the package, it loads the schema into its docs, and runs a query with a bearer token.

Runs on both stores; screenshots go to ``artifacts/graphiql/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser import STORE_PARAMS, DemoServer, Offline, chromium, demo_server, offline_page, shot
from playwright.async_api import Request, expect

from graph_engine import demo

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module", params=STORE_PARAMS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    log = tmp_path_factory.mktemp("graphiql") / "serve.log"
    with demo_server(request, log) as served:
        yield served


async def login(base: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=base) as http:
        reply = await http.post(
            "/graphql",
            json={
                "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                "variables": {"e": email, "p": demo.PASSWORD},
            },
        )
    token: str = reply.json()["data"]["login"]["token"]
    return token


async def test_graphiql_works_offline_shows_the_schema_and_runs_a_query_with_a_token(
    server: DemoServer,
) -> None:
    token = await login(server.base, "carla@bakkerij-jansen.example")
    offline = Offline()
    sent: list[Request] = []
    async with chromium() as browser:
        page = await offline_page(browser, offline)
        page.on("request", lambda r: sent.append(r) if r.method == "POST" else None)
        await page.goto(f"{server.base}/graphql")
        await expect(page.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()

        # the docs explorer shows the schema, loaded by introspection
        await page.get_by_label("Show Documentation Explorer").click()
        docs = page.locator(".graphiql-doc-explorer")
        await expect(docs).to_contain_text("query: Query")
        await expect(docs).to_contain_text("mutation: Mutation")
        await docs.get_by_role("link", name="Query", exact=True).click()
        await expect(docs).to_contain_text("canInvite")
        await shot(page, "graphiql", f"{server.store}-1-docs")

        # a query with the bearer token in the headers editor
        await page.locator(".graphiql-query-editor .CodeMirror").click()
        await page.keyboard.press("Control+A")
        await page.keyboard.insert_text("{ me { id name role } }")
        await page.get_by_role("button", name="Headers").click()
        headers = page.locator(".graphiql-editor-tool .CodeMirror").last
        await headers.click()
        await page.keyboard.press("Control+A")
        await page.keyboard.insert_text(f'{{"authorization": "Bearer {token}"}}')
        await page.get_by_label("Execute query (Ctrl-Enter)").click()
        response = page.locator(".graphiql-response")
        await expect(response).to_contain_text('"id": "usr_carla"')
        await expect(response).to_contain_text('"name": "Carla Smit"')
        await shot(page, "graphiql", f"{server.store}-2-query-with-token")

    asked = [r for r in sent if r.post_data and "me {" in r.post_data]
    assert asked, "the query never reached the server"
    assert asked[-1].headers.get("authorization") == f"Bearer {token}"
    assert offline.blocked == [], f"the page asked the internet for {offline.blocked}"


async def test_the_assets_are_served_from_the_package_with_their_licences(
    server: DemoServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.base) as http:
        page = await http.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert "https://" not in page.text
        for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
            assert f'"/static/vendor/{asset}"' in page.text
            served = await http.get(f"/static/vendor/{asset}")
            assert served.status_code == 200
            assert len(served.content) > 1000
        licences = (await http.get("/static/vendor/THIRD_PARTY_LICENSES.txt")).text
        assert "graphiql@3.8.3 (MIT)" in licences
        assert "cytoscape@3.35.0 (MIT)" in licences
        assert (await http.get("/static/../app.py")).status_code == 404


def test_vendored_files_match_the_versions_web_pins() -> None:
    import json  # noqa: PLC0415

    root = Path(__file__).resolve().parent.parent
    lock = json.loads((root / "web" / "package-lock.json").read_text())
    pinned = json.loads((root / "web" / "package.json").read_text())["dependencies"]
    for name, version in pinned.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        licences = (root / "graph_engine/api/static/vendor/THIRD_PARTY_LICENSES.txt").read_text()
        assert f"\n{name}@{version} (" in licences
