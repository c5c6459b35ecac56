"""Provisioning under concurrent writers: one first ADMIN, the seat limit.

The writers race in threads (``races.py``); see there for how each store meets them.
"""

from __future__ import annotations

import asyncio

from builders import (
    env,
    node_count,
    user,
)
from races import ROUNDS, codes, race

from graph_engine.model import Role
from graph_engine.store.base import GraphStore


async def test_simultaneous_first_users_make_exactly_one_admin(store: GraphStore) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await env(store, "e1")

        async def join(own: GraphStore, i: int) -> Role:
            made = await user(own, f"u{i}", "e1", Role.USER)
            return made.role

        results = await asyncio.to_thread(race, store, 3, join)
        assert sorted(str(r) for r in results) == ["ADMIN", "USER", "USER"]


async def test_the_seat_limit_holds_under_simultaneous_creation(store: GraphStore) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await env(store, "e1", seat_limit=2)
        await user(store, "admin", "e1")

        async def join(own: GraphStore, i: int) -> str:
            return (await user(own, f"u{i}", "e1")).id

        results = await asyncio.to_thread(race, store, 3, join)
        assert codes(results) == ["SEAT_LIMIT_REACHED", "SEAT_LIMIT_REACHED", "ok"]
        assert await node_count(store, "User") == 2
