"""Migrations bring a database written by an older version up to date: Neo4j, and a
memory store's snapshot file (tests/conformance runs each migration on both stores)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store import snapshot
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

AT = datetime(2024, 1, 1, tzinfo=UTC)


async def test_a_snapshot_files_relation_link_of_old_survives_the_upgrade(tmp_path: Path) -> None:
    """A snapshot written when links sat on the relation: the store started on it (start-up
    runs migrate) keeps the link, now on the active subscription, in its file."""
    path = tmp_path / "graph.json"
    env = {"billing": "PER_LICENCE", "createdAt": AT}
    snapshot.write(
        path,
        [
            NodeRecord(
                "Environment", "env_staff", {"name": "Staff", "emailDomain": "s.example", **env}
            ),
            NodeRecord(
                "Environment", "env_cust", {"name": "Cust", "emailDomain": "c.example", **env}
            ),
            NodeRecord("Relation", "rel_old", {"name": "Bakkerij", "createdAt": AT}),
            NodeRecord("Subscription", "sub_old", {"active": True, "createdAt": AT}),
        ],
        [
            RelRecord("IN", "rel_old", "env_staff"),
            RelRecord("OF", "sub_old", "rel_old"),
            RelRecord(
                "LINKED_TO",
                "rel_old",
                "env_cust",
                {"database": "db_old", "contractant": "env_cust", "linkedAt": AT},
            ),
        ],
    )
    store = MemoryStore.durable(path, sync=False)
    await store.migrate()
    await store.close()
    # Read back without migrating: the moved link is what the file now holds.
    kept = MemoryStore.from_snapshot(path)
    linked = await kept.linked_relation(contractant_id="env_cust")
    assert linked is not None
    assert (linked.relation.id, linked.subscription_id, linked.database) == (
        "rel_old",
        "sub_old",
        "db_old",
    )
    counted = await kept.subscription_count(contractant_id="env_cust")
    assert (counted.relation_id, counted.active) == ("rel_old", 1)
    data = await kept.export_graph()
    assert [(r.start, r.end) for r in data.relationships if r.type == "LINKED_TO"] == [
        ("sub_old", "env_cust")
    ]


@pytest.mark.neo4j
async def test_licences_of_old_get_their_per_environment_key(
    empty_neo4j_store: Neo4jStore,
) -> None:
    store = empty_neo4j_store
    # As an older version wrote it: a licence without numberKey (numbers were global).
    await store.import_graph(
        GraphData(
            nodes=(
                NodeRecord("Environment", "env_a", {"name": "A", "emailDomain": "a.example"}),
                NodeRecord("Organisation", "org_a", {"name": "A B.V.", "createdAt": AT}),
                NodeRecord("Licence", "lic_1", {"number": "L-1", "status": "RELEASED"}),
            ),
            relationships=(
                RelRecord("BELONGS_TO", "org_a", "env_a"),
                RelRecord("VALID_IN", "lic_1", "org_a"),
            ),
        )
    )
    await store.migrate()
    await store.migrate()  # idempotent
    pages = [page async for page in store.export_pages()]
    licence = next(n for p in pages for n in p.nodes if n.id == "lic_1")
    assert licence.props["numberKey"] == "env_a/L-1"
