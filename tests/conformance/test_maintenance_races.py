"""Maintenance windows under concurrent writers (DESIGN §3.5).

The writers race in threads (``races.py``); see there for how each store meets them.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from builders import (
    T0,
    edge_count,
    env,
    node_count,
    user,
)
from races import ROUNDS, codes, race

from graph_engine.store.base import GraphStore


async def test_simultaneous_schedules_leave_one_open_maintenance_window(
    store: GraphStore,
) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await env(store, "e")
        await user(store, "admin", "e")

        async def schedule(own: GraphStore, i: int) -> str:
            made = await own.schedule_maintenance(
                window_id=f"w{i}",
                environment_id="e",
                starts_at=T0 + timedelta(hours=i + 1),
                created_by="admin",
                at=T0,
            )
            return made.id

        results = await asyncio.to_thread(race, store, 3, schedule)
        assert codes(results) == ["CONSTRAINT_VIOLATION", "CONSTRAINT_VIOLATION", "ok"]
        assert await node_count(store, "MaintenanceWindow") == 1


async def test_simultaneous_acknowledgements_record_the_warning_once(store: GraphStore) -> None:
    await env(store, "e")
    await user(store, "admin", "e")
    await user(store, "u", "e")
    await store.schedule_maintenance(
        window_id="w",
        environment_id="e",
        starts_at=T0 + timedelta(hours=1),
        created_by="admin",
        at=T0,
    )
    for _ in range(ROUNDS):

        async def acknowledge(own: GraphStore, _: int) -> bool:
            return await own.acknowledge_maintenance_warning(user_id="u", window_id="w", at=T0)

        results = await asyncio.to_thread(race, store, 3, acknowledge)
        assert sum(1 for r in results if r is True) <= 1
    assert await edge_count(store, "WARNED_OF") == 1
