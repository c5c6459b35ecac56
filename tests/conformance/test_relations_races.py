"""Relation links under concurrent writers (DESIGN §3.4): one relation per contractant.

The writers race in threads (``races.py``); see there for how each store meets them.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from builders import (
    T0,
    edge_count,
    env,
    partnership,
    user,
)
from races import ROUNDS, codes, race

from graph_engine.errors import GraphEngineError
from graph_engine.store.base import GraphStore

LINK_ROUNDS = 50
LINK_WRITERS = 8


async def vendor_with_relations(store: GraphStore, relations: int) -> None:
    await env(store, "staff")
    await env(store, "cust")
    await user(store, "staff_admin", "staff")
    await user(store, "cust_admin", "cust")
    await partnership(store, "p", "staff_admin", "cust_admin")
    for i in range(relations):
        await store.create_relation(
            relation_id=f"rel{i}", environment_id="staff", name=f"Relation {i}", at=T0
        )
        # A link sits on the relation's active subscription.
        await store.create_subscription(
            subscription_id=f"sub{i}", relation_id=f"rel{i}", active=True, at=T0
        )


async def test_simultaneous_links_to_one_contractant_leave_exactly_one(store: GraphStore) -> None:
    await vendor_with_relations(store, LINK_WRITERS)

    async def link(own: GraphStore, i: int) -> str:
        made = await own.link_relation(
            relation_id=f"rel{i}", contractant_id="cust", database=f"db{i}", at=T0
        )
        return made.relation.id

    for _ in range(LINK_ROUNDS):
        await store.unlink_relation(contractant_id="cust")
        results = await asyncio.to_thread(race, store, LINK_WRITERS, link)
        assert codes(results) == ["CONSTRAINT_VIOLATION"] * (LINK_WRITERS - 1) + ["ok"]
        winner = next(r for r in results if isinstance(r, str))
        linked = await store.linked_relation(contractant_id="cust")
        assert linked is not None
        assert linked.relation.id == winner
        assert await edge_count(store, "LINKED_TO") == 1
        for refused in results:
            if isinstance(refused, GraphEngineError):
                assert refused.details["relation"] == winner


async def test_a_link_racing_the_end_of_its_subscription_never_outlives_it(
    store: GraphStore,
) -> None:
    """A link made while its subscription is being ended is either ended with it or
    refused: no link is ever left on an ended subscription."""
    await vendor_with_relations(store, 1)
    await store.end_subscription(subscription_id="sub0", at=T0)
    for k in range(ROUNDS):
        sub = f"sub_r{k:03}"
        await store.create_subscription(
            subscription_id=sub, relation_id="rel0", active=True, at=T0 + timedelta(seconds=k)
        )

        async def link_or_end(own: GraphStore, i: int, sub: str = sub) -> int:
            if i == 0:
                await own.link_relation(
                    relation_id="rel0", contractant_id="cust", database="db", at=T0
                )
                return -1
            _, ended = await own.end_subscription(subscription_id=sub, at=T0)
            return len(ended)

        linked, ended = await asyncio.to_thread(race, store, 2, link_or_end)
        if isinstance(linked, GraphEngineError):
            assert linked.details == {"relation": "rel0", "relationName": "Relation 0"}
            assert ended == 0
        else:
            assert ended == 1
        assert await store.linked_relation(contractant_id="cust") is None
        assert await edge_count(store, "LINKED_TO") == 0


async def test_simultaneous_relinks_leave_exactly_one_link(store: GraphStore) -> None:
    await vendor_with_relations(store, 4)

    async def relink(own: GraphStore, i: int) -> str:
        made, _ = await own.relink_relation(
            contractant_id="cust", relation_id=f"rel{i}", database=f"db{i}", at=T0
        )
        return made.relation.id

    for _ in range(ROUNDS):
        results = await asyncio.to_thread(race, store, 4, relink)
        assert codes(results) == ["ok"] * 4
        assert await edge_count(store, "LINKED_TO") == 1
