"""Migrations bring a database written by an older version up to date (Neo4j)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j
AT = datetime(2024, 1, 1, tzinfo=UTC)


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
