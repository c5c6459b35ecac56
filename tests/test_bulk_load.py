"""The bulk load into an empty local Neo4j (store/neo4j/bulk_offline.py) against the online import.

The offline path writes the store files with neo4j-admin while its server is
stopped, so these tests run their own server (not the session's): it restarts
during each load. The careful path is the one-transaction online import on the
session's Neo4j; both must give the same graph, value for value, and the same
constraints and indexes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from graph_engine_devtools import neo4j_local
from graph_engine_devtools.neo4j_local import LocalNeo4j

from graph_engine import backup, demo
from graph_engine.errors import ConstraintViolation, InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.services import Engine
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore
from graph_engine.store.neo4j.bulk_offline import IMPORTING, INDEXING, PREPARING, STARTING

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT / "examples" / "legacy-missing-connection.json"
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402 - the benchmarks' graph generator

pytestmark = pytest.mark.neo4j

AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
ODD = {
    "text": 'quotes " and, commas; semicolons',
    "lines": "first line\nsecond line\r\nthird",
    "empty": "",
    "padded": "  spaces around  ",
    "unicode": "Bakkerij Jansen — crème brûlée 🥐",
    "names": ["Payroll", "Staffing", "a, b", 'say "hi"'],
    "numbers": [1, -2, 2**62],
    "ratios": [0.1, -2.5, 1e-300],
    "flags": [True, False],
    "nothing": [],
    "big": 2**63 - 1,
    "ratio": 1 / 3,
    "yes": False,
    "local": datetime(
        2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5, minutes=30))
    ),
    "west": datetime(1999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-8))),
    "unset": None,
}


async def _sample() -> GraphData:
    """A small generated graph, the demo story (every kind of node the engine writes) and
    nodes and relationships whose values test the CSV spelling."""
    demo_store = MemoryStore()
    await demo.load_demo(Engine(demo_store))
    story = await demo_store.export_graph()
    generated = generate(users=300).data
    odd_nodes = (
        NodeRecord("Dossier", "dos_odd", {"name": "odd", **ODD}),
        NodeRecord("Dossier", "dos_plain", {"name": "plain", "createdAt": AT}),
    )
    odd_rels = (
        RelRecord("RESPONSIBLE", "usr0000001", "dos_odd", {"since": AT, "tags": ["x", "y"]}),
        RelRecord("RESPONSIBLE", "usr0000002", "dos_plain", {}),
    )
    return GraphData(
        nodes=(*story.nodes, *generated.nodes, *odd_nodes),
        relationships=(*story.relationships, *generated.relationships, *odd_rels),
    )


def _records(data: GraphData) -> list[NodeRecord | RelRecord]:
    return [*data.nodes, *data.relationships]


async def _schema(store: Neo4jStore) -> list[dict[str, Any]]:
    rows = await store.driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state, owningConstraint"
        " RETURN name, type, entityType, labelsOrTypes, properties, state, owningConstraint"
        " ORDER BY name",
        database_=store.database,
    )
    return [record.data() for record in rows.records]


@pytest.fixture(scope="module")
def own_neo4j() -> Iterator[LocalNeo4j]:
    server = neo4j_local.start(heap="1g", pagecache="256m", timeout=180)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def own_store(own_neo4j: LocalNeo4j) -> AsyncIterator[Neo4jStore]:
    store = Neo4jStore(own_neo4j.uri)
    await store.migrate()
    await store.clear()
    yield store
    await store.close()


async def test_the_bulk_load_gives_the_graph_and_schema_of_the_online_import(
    empty_neo4j_store: Neo4jStore, own_neo4j: LocalNeo4j, own_store: Neo4jStore
) -> None:
    data = await _sample()
    await empty_neo4j_store.import_graph(data)
    careful = await empty_neo4j_store.export_graph()

    seen: list[tuple[str, int, int]] = []
    pid = own_neo4j.pid
    loaded = await own_store.load_offline(
        own_neo4j, _records(data), total=len(_records(data)), progress=lambda *a: seen.append(a)
    )
    assert loaded
    fast = await own_store.export_graph()
    assert fast.nodes == careful.nodes
    assert fast.relationships == careful.relationships
    odd = next(n for n in fast.nodes if n.id == "dos_odd").props
    assert odd["nothing"] == []
    assert odd["empty"] == ""
    assert "unset" not in odd
    labelled = await own_store.driver.execute_query(
        "MATCH (n) WHERE size(labels(n)) <> 2 RETURN count(n) AS n", database_=own_store.database
    )
    assert labelled.records[0]["n"] == 0  # :Entity and its own, no mark left behind
    assert await _schema(own_store) == await _schema(empty_neo4j_store)
    assert own_neo4j.pid != pid  # the same server (port, home), restarted
    stages = [stage for stage, _, _ in seen]
    assert stages[0] == PREPARING
    assert stages[-1] == INDEXING
    assert (IMPORTING, 100, 100) in seen
    assert (STARTING, 1, 1) in seen

    # The engine works on it: the demo's users log in (their password hashes came along).
    token, user = await Engine(own_store).identity.login("anna@boekhouder.example", demo.PASSWORD)
    assert (bool(token), user.id) == (True, "usr_anna")


async def test_a_store_that_holds_data_is_refused_and_nothing_changes(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore
) -> None:
    held = GraphData(nodes=(NodeRecord("Environment", "env_x", {"emailDomain": "x.example"}),))
    await own_store.import_graph(held)
    pid = own_neo4j.pid
    more = [NodeRecord("Environment", "env_y", {"emailDomain": "y.example"})]
    with pytest.raises(InvalidInput, match="holds 1 nodes already"):
        await own_store.load_offline(own_neo4j, more)
    assert own_neo4j.pid == pid  # never stopped
    assert await own_store.export_graph() == await _exported(held)


async def _exported(data: GraphData) -> GraphData:
    store = MemoryStore()
    await store.import_graph(data)
    return await store.export_graph()


async def test_import_into_a_store_that_holds_data_stays_one_online_transaction(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore, tmp_path: Path
) -> None:
    await own_store.import_graph(
        GraphData(nodes=(NodeRecord("Environment", "env_x", {"emailDomain": "x.example"}),))
    )
    pid = own_neo4j.pid
    done = await backup.import_file(own_store, LEGACY, server=own_neo4j, offline_from=0)
    assert not done.offline
    assert own_neo4j.pid == pid
    assert await own_store.graph_size() == (11, 19)


async def test_a_value_without_a_csv_form_leaves_the_load_to_the_online_path(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore
) -> None:
    zoned = NodeRecord(
        "Environment",
        "env_z",
        {
            "emailDomain": "z.example",
            "createdAt": datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/Amsterdam")),
        },
    )
    pid = own_neo4j.pid
    assert not await own_store.load_offline(own_neo4j, [zoned])
    assert own_neo4j.pid == pid
    assert await own_store.graph_size() == (0, 0)


async def test_a_restore_falls_back_to_online_and_gives_the_same_graph(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore, tmp_path: Path
) -> None:
    source = MemoryStore()
    await demo.load_demo(Engine(source))
    first = tmp_path / "first.jsonl"
    await backup.backup(source, first)
    # An empty list on a relationship has no CSV form: the restore goes online.
    lines = first.read_text(encoding="utf-8").splitlines()
    end = json.loads(lines[-1])
    edge = {"type": "REPORTS_TO", "start": "usr_kees", "end": "usr_piet", "props": {"tags": []}}
    end["end"]["relationships"] += 1
    lines[-1:] = [json.dumps({"relationship": edge}), json.dumps(end)]
    odd = tmp_path / "odd.jsonl"
    odd.write_text("\n".join(lines) + "\n", encoding="utf-8")

    pid = own_neo4j.pid
    done = await backup.restore(own_store, odd, server=own_neo4j, offline_from=0)
    assert not done.offline
    assert own_neo4j.pid == pid
    again = tmp_path / "again.jsonl"
    await backup.backup(own_store, again)
    assert _lines(again) == _lines(odd)


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines)


async def test_a_restore_into_the_local_server_is_bulk_loaded(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore, tmp_path: Path
) -> None:
    source = MemoryStore()
    await demo.load_demo(Engine(source))
    first = tmp_path / "first.jsonl"
    await backup.backup(source, first)
    done = await backup.restore(own_store, first, server=own_neo4j, offline_from=0)
    assert done.offline
    again = tmp_path / "again.jsonl"
    await backup.backup(own_store, again)
    assert _lines(again) == _lines(first)


async def test_data_that_breaks_a_constraint_is_refused_and_the_store_stays_empty(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore
) -> None:
    schema = await _schema(own_store)
    twins = [
        NodeRecord("User", "usr_a", {"email": "same@x.example"}),
        NodeRecord("User", "usr_b", {"email": "same@x.example"}),
    ]
    with pytest.raises(ConstraintViolation):
        await own_store.load_offline(own_neo4j, twins)
    assert await own_store.graph_size() == (0, 0)
    assert await _schema(own_store) == schema


async def test_records_the_online_import_refuses_are_refused_before_anything_stops(
    own_neo4j: LocalNeo4j, own_store: Neo4jStore
) -> None:
    pid = own_neo4j.pid
    dangling: list[NodeRecord | RelRecord] = [
        NodeRecord("Environment", "env_1", {"emailDomain": "e.example"}),
        RelRecord("MEMBER_OF", "ghost", "env_1", {"role": "USER"}),
    ]
    with pytest.raises(InvalidInput, match="unknown node ghost"):
        await own_store.load_offline(own_neo4j, dangling)
    with pytest.raises(InvalidInput, match="has no email"):
        await own_store.load_offline(own_neo4j, [NodeRecord("User", "usr_1", {"name": "x"})])
    assert own_neo4j.pid == pid
