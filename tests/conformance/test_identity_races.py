"""Sign-ups under concurrent writers (DESIGN §3.1: proof of address before joining).

The writers race in threads (``races.py``); see there for how each store meets them.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from builders import (
    T0,
    node_count,
)
from races import ROUNDS, codes, race

from graph_engine.model import PageRequest, Role
from graph_engine.store.base import GraphStore


async def pending_sign_up(store: GraphStore, sign_up_id: str, email: str) -> None:
    await store.start_sign_up(
        sign_up_id=sign_up_id,
        email=email,
        name=email,
        password_hash="x",
        token_hash=f"token-{sign_up_id}",
        at=T0,
        expires_at=T0 + timedelta(days=1),
    )


async def complete(own: GraphStore, sign_up_id: str, email: str, i: int) -> str:
    made = await own.complete_sign_up(
        sign_up_id=sign_up_id,
        email=email,
        user_id=f"u{i}",
        environment_id=f"e{i}",
        environment_name="new",
        username=email.split("@", 1)[0],
        decided_by=None,
        environment_of=None,
        at=T0,
    )
    return made.environment_id


@pytest.mark.parametrize("writers", [2, 4])
async def test_simultaneous_sign_ups_of_a_new_domain_found_one_environment(
    store: GraphStore, writers: int
) -> None:
    for i in range(writers):
        await pending_sign_up(store, f"s{i}", f"person{i}@new.example")

    async def sign_up(own: GraphStore, i: int) -> str:
        return await complete(own, f"s{i}", f"person{i}@new.example", i)

    results = await asyncio.to_thread(race, store, writers, sign_up)
    assert len(set(results)) == 1
    assert await node_count(store, "Environment") == 1
    roles = [
        u.role
        for u in (
            await store.list_users(
                environment_id=str(results[0]), search=None, page=PageRequest(first=10, after=None)
            )
        ).items
    ]
    assert sorted(roles) == sorted([Role.ADMIN] + [Role.USER] * (writers - 1))


async def test_one_sign_up_completed_at_once_makes_one_account(store: GraphStore) -> None:
    for round_ in range(ROUNDS):
        await store.clear()
        await pending_sign_up(store, "s", "twice@new.example")

        async def twice(own: GraphStore, i: int, round_: int = round_) -> str:
            return await complete(own, "s", "twice@new.example", round_ * 10 + i)

        results = await asyncio.to_thread(race, store, 3, twice)
        assert codes(results) == ["NOT_FOUND", "NOT_FOUND", "ok"]
        assert await node_count(store, "User") == 1
