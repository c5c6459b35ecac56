"""Fixtures shared by every test: a real Neo4j for the session, and the ``store`` fixture.

``store`` is parametrized over every registered store (``graph_engine.store.registry``),
so a test written once runs on the memory store and on Neo4j (the conformance idea: one
suite, every backend).
Neo4j is started by the test command itself (``graph_engine_devtools.neo4j_local``), or
taken from ``GRAPH_ENGINE_TEST_NEO4J_URI``. If it cannot start, every Neo4j
test errors with the reason: nothing is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import smtp_sink
from apiclient import Api
from graph_engine_devtools import neo4j_local
from hypothesis import HealthCheck, settings
from smtp_sink import Mailbox

from graph_engine.api.app import create_app
from graph_engine.clock import ManualClock
from graph_engine.model import PrincipalKind
from graph_engine.services import Engine
from graph_engine.services.mail import SmtpMailer
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore
from graph_engine.store.registry import registered

# Generated graphs are big on purpose and CI machines are small and shared: time limits
# on generation or per example would fail on load, not on behaviour.
settings.register_profile(
    "engine",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("engine")

# Every store the engine ships, as the stores register themselves, and the fixture that
# gives a fresh, empty one of each. The meta-tests in test_project.py fail when a
# registered store has no fixture here or is missing from a benchmark.
STORES = tuple(registered())
STORE_FIXTURES = {"memory": "memory_store", "neo4j": "empty_neo4j_store"}
STORE_MARKS = {"neo4j": [pytest.mark.neo4j]}


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    given = os.environ.get("GRAPH_ENGINE_TEST_NEO4J_URI") or None
    with contextlib.ExitStack() as stack:
        try:
            uri = stack.enter_context(
                neo4j_local.running(given, heap="1g", pagecache="256m", timeout=180)
            )
        except neo4j_local.Neo4jUnavailableError as exc:
            pytest.fail(
                f"Neo4j could not start, so the Neo4j tests cannot run:\n{exc}", pytrace=False
            )
        yield uri


@pytest.fixture(scope="session")
async def neo4j_store(neo4j_uri: str) -> AsyncIterator[Neo4jStore]:
    """One driver for the whole session, as in production (one per process)."""
    store = Neo4jStore(neo4j_uri)
    await store.migrate()
    yield store
    await store.close()


@pytest.fixture
async def empty_neo4j_store(neo4j_store: Neo4jStore) -> Neo4jStore:
    await neo4j_store.clear()
    return neo4j_store


@pytest.fixture
def memory_store(tmp_path: Path) -> Iterator[MemoryStore]:
    """A memory store that journals its writes (without fsync, to stay fast).

    At the end the journal is replayed into a fresh store, which must hold the same
    graph: so every test on the memory store also proves that its writes survive a
    crash (store/memory/journal.py).
    """
    path = tmp_path / "graph.json"
    store = MemoryStore.durable(path, sync=False)
    yield store
    try:
        replayed = asyncio.run(MemoryStore.from_snapshot(path).export_graph())
        kept = asyncio.run(store.export_graph())
    finally:
        asyncio.run(store.close())
    assert replayed == kept, "the journal does not replay"


@pytest.fixture(params=[pytest.param(s, marks=STORE_MARKS.get(s, [])) for s in STORES])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """A fresh, empty store of each registered kind."""
    name = STORE_FIXTURES.get(request.param)
    if name is None:
        pytest.fail(f"the {request.param} store is registered but has no fixture in conftest.py")
    found: GraphStore = request.getfixturevalue(name)
    return found


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@contextlib.asynccontextmanager
async def serving(engine: Engine) -> AsyncIterator[Api]:
    """The engine's GraphQL API over HTTP (httpx into the real ASGI app, lifespan included)."""
    # The Neo4j store (one driver) is shared by the session, so the app must not close it.
    app = create_app(engine, close_store=False)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://engine.test") as http:
            _, key = await engine.identity.issue_api_key(PrincipalKind.OPERATOR, "tests", None)
            yield Api(http=http, engine=engine, operator=key)


@pytest.fixture
async def api(store: GraphStore, clock: ManualClock) -> AsyncIterator[Api]:
    """The GraphQL API over HTTP; mail goes to the graph's outbox (no SMTP server)."""
    async with serving(Engine(store, clock)) as served:
        yield served


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on a free loopback port, keeping what arrives."""
    box = Mailbox()
    controller = smtp_sink.start(box)
    try:
        yield box
    finally:
        controller.stop()


@pytest.fixture
async def mail_api(store: GraphStore, clock: ManualClock, mailbox: Mailbox) -> AsyncIterator[Api]:
    """The GraphQL API over HTTP, sending mail through the ``mailbox`` SMTP server."""
    mailer = SmtpMailer(mailbox.url, sender="graph-engine@engine.test")
    async with serving(Engine(store, clock, mailer)) as served:
        yield served
