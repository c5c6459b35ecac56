"""Reads go where a Neo4j cluster should send them (README, *Behind a load balancer*).

A query's reads run as read transactions (a cluster's routing sends them to a
secondary); the reads of a running mutation, which decide whether it may write, go to
the leader with its writes. Checked by watching the routing the store asks for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from neo4j import RoutingControl

from graph_engine import audit
from graph_engine.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


async def test_reads_go_to_secondaries_except_inside_a_mutation(
    empty_neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = empty_neo4j_store
    asked: list[Any] = []
    real = store.driver.execute_query

    async def watched(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("routing_"))
        return await real(*args, **kwargs)

    monkeypatch.setattr(store.driver, "execute_query", watched)
    await store.get_user(user_id="usr_nobody")
    assert asked == [RoutingControl.READ]
    with audit.opened("renameUser", "req_1", datetime.now(UTC)):
        await store.get_user(user_id="usr_nobody")
    assert asked == [RoutingControl.READ, RoutingControl.WRITE]
