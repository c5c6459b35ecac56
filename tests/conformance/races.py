"""Concurrent writers for the conformance races: real threads, started together by a barrier.

On Neo4j every thread has its own driver and event loop, so the writes meet
only in the database (the point of the races: the rules live in the write
queries, not in a Python lock). On the memory store the threads share the
store and its lock. The races themselves are in ``test_<capability>_races.py``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graph_engine.errors import GraphEngineError
from graph_engine.store.base import GraphStore
from graph_engine.store.neo4j import Neo4jStore

T = TypeVar("T")
Work = Callable[[GraphStore, int], Awaitable[T]]
ROUNDS = 10


def race(store: GraphStore, writers: int, work: Work[T]) -> list[T | GraphEngineError]:
    """Run ``work(store_of_thread, i)`` in ``writers`` threads at once; collect results."""
    barrier = threading.Barrier(writers)
    results: list[T | GraphEngineError | None] = [None] * writers

    async def one(i: int) -> None:
        own = Neo4jStore(store.uri) if isinstance(store, Neo4jStore) else store
        try:
            await own.ping()  # connect before the start line
            barrier.wait()
            try:
                results[i] = await work(own, i)
            except GraphEngineError as exc:
                results[i] = exc
        finally:
            if own is not store:
                await own.close()

    threads = [threading.Thread(target=asyncio.run, args=(one(i),)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r is not None for r in results), results
    return results  # type: ignore[return-value]


def codes(results: list[T | GraphEngineError]) -> list[str]:
    return sorted("ok" if not isinstance(r, GraphEngineError) else r.code for r in results)
