"""Reads go where a Neo4j cluster should send them (README, *Behind a load balancer*).

A query's reads run as auto-commit read transactions (a cluster's routing sends them to
a secondary), tried again on transient failures; the reads of a running mutation, which
decide whether it may write, go to the leader with its writes. Checked by watching the
access mode the store asks for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

import pytest
from neo4j import READ_ACCESS, WRITE_ACCESS, RoutingControl
from neo4j import exceptions as neo

from graph_engine import audit
from graph_engine.errors import StoreUnavailable
from graph_engine.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


def watch(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record the access mode of every session and statement the store opens."""
    asked: list[Any] = []
    session, execute_query = store.driver.session, store.driver.execute_query

    def watched_session(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("default_access_mode"))
        return session(*args, **kwargs)

    async def watched_query(*args: Any, **kwargs: Any) -> Any:
        asked.append({RoutingControl.READ: READ_ACCESS}.get(kwargs["routing_"], WRITE_ACCESS))
        return await execute_query(*args, **kwargs)

    monkeypatch.setattr(store.driver, "session", watched_session)
    monkeypatch.setattr(store.driver, "execute_query", watched_query)
    return asked


async def test_reads_go_to_secondaries_except_inside_a_mutation(
    empty_neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = empty_neo4j_store
    asked = watch(store, monkeypatch)
    await store.get_user(user_id="usr_nobody")
    assert asked == [READ_ACCESS]
    with audit.opened("renameUser", "req_1", datetime.now(UTC)):
        await store.get_user(user_id="usr_nobody")
    assert asked == [READ_ACCESS, WRITE_ACCESS]


class Flaky:
    """A session whose first ``failures`` statements fail with ``error``."""

    def __init__(self, real: Any, failures: list[Exception]) -> None:
        self.real, self.failures = real, failures

    async def __aenter__(self) -> Self:
        await self.real.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.real.__aexit__(*exc)

    async def run(self, *args: Any, **kwargs: Any) -> Any:
        if self.failures:
            raise self.failures.pop(0)
        return await self.real.run(*args, **kwargs)


def transient() -> neo.Neo4jError:
    error = neo.TransientError._hydrate_neo4j(
        code="Neo.TransientError.Cluster.NotALeader", message="the leader moved"
    )
    assert isinstance(error, neo.TransientError)
    return error


async def test_a_read_is_tried_again_after_a_transient_failure_and_only_then(
    empty_neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = empty_neo4j_store
    failures: list[Exception] = [transient(), neo.SessionExpired("connection lost")]
    session = store.driver.session
    monkeypatch.setattr(store.driver, "session", lambda *a, **k: Flaky(session(*a, **k), failures))
    assert await store.get_user(user_id="usr_nobody") is None
    assert failures == []  # both failures were met, and the third try answered

    # A client error is the caller's, not the moment's: it is not tried again.
    failures.extend([neo.ClientError("bad statement"), transient()])
    with pytest.raises(neo.ClientError):
        await store.get_user(user_id="usr_nobody")
    assert len(failures) == 1


async def test_a_read_that_keeps_failing_answers_store_unavailable_in_time(
    empty_neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = empty_neo4j_store
    failures: list[Exception] = [transient() for _ in range(1000)]
    session = store.driver.session
    monkeypatch.setattr(store.driver, "session", lambda *a, **k: Flaky(session(*a, **k), failures))
    started = datetime.now(UTC)
    with pytest.raises(StoreUnavailable):
        await store.get_user(user_id="usr_nobody")
    took = (datetime.now(UTC) - started).total_seconds()
    assert took <= store.timeouts.retry + 0.5
    assert 5 < 1000 - len(failures) < 200  # tried several times, with growing pauses
