"""What the browser tests share: a demo server on either store, Debian's Chromium
(driven by Playwright) with every request outside 127.0.0.1 blocked, and
screenshots kept under ``artifacts/``."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, Route, async_playwright
from serving import console_script, serving

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = Path(CHROMIUM).exists()
QUIET: dict[str, Any] = {
    "capture_output": True,
    "text": True,
    "stdin": subprocess.DEVNULL,
}
STORE_PARAMS = [pytest.param("memory"), pytest.param("neo4j", marks=pytest.mark.neo4j)]


@dataclass
class DemoServer:
    base: str
    operator: str
    store: str


@dataclass
class Offline:
    """The requests the page tried to send off the machine (each was refused)."""

    blocked: list[str] = field(default_factory=list)

    async def route(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            self.blocked.append(route.request.url)
            await route.abort("internetdisconnected")


@contextmanager
def demo_server(request: pytest.FixtureRequest, log: Path) -> Iterator[DemoServer]:
    """``graph-engine serve`` with the demo data, in memory or on the test Neo4j (which
    ``graph-engine demo --reset`` empties and fills first, and ``create-operator-key``
    gives an operator key), as a user would run them."""
    store = request.param
    options: tuple[str, ...] = ()
    key: str | None = None
    if store == "neo4j":
        uri = request.getfixturevalue("neo4j_uri")
        run = [console_script()]
        subprocess.run([*run, "demo", "--neo4j", uri, "--reset", "--yes"], check=True, **QUIET)  # noqa: S603
        made = subprocess.run([*run, "create-operator-key", "--neo4j", uri], check=True, **QUIET)  # noqa: S603
        key = made.stdout.split()[-1]
        options = ("--neo4j", uri)
    with serving(log, *options, store=store) as port:
        if key is None:
            found = re.search(r"operator key for this store: (\S+)", log.read_text())
            assert found, log.read_text()
            key = found.group(1)
        yield DemoServer(f"http://127.0.0.1:{port}", key, store)


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    assert HAS_CHROMIUM, "Chromium is missing: the test command installs it"
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


async def offline_page(browser: Browser, offline: Offline) -> Page:
    """A page whose requests may go to 127.0.0.1 only, as on a machine without internet."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    await context.route("**/*", offline.route)
    return await context.new_page()


async def shot(page: Page, folder: str, name: str) -> Path:
    path = ARTIFACTS / folder / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path))
    return path
