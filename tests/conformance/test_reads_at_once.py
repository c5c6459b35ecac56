"""Reads in session asked at the same moment, on both stores: each answered as if alone.

On Neo4j such reads share statements (``store/neo4j/batching.py``): the asks of
many sessions, in three tenants, with unknown tokens, refusals and allowed
decisions among them, go out together and must come back each to its own asker,
equal to the answer it gets when asked alone. The memory store answers each in
turn; the test holds it to the same answers.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from builders import T0
from test_identity_visibility import three_tenants

from graph_engine.errors import GraphEngineError
from graph_engine.model import Decision, InSession
from graph_engine.store.base import GraphStore
from graph_engine.store.neo4j import Neo4jStore
from graph_engine.telemetry import STORE_BATCH_ASKS

VIEWERS = ("e1_admin", "b", "e2_admin", "e3_admin")
INVITEES = ("e1_admin", "e2_admin", "e3_admin", "b", "ghost")
ORGANISATIONS = ("o1", "o2", "o3", "nowhere")


def outcome(found: InSession[Decision] | None) -> tuple[Any, ...]:
    """What an asker learns: nothing (unknown token), the refusal, or the decision."""
    if found is None:
        return ("unknown token",)
    if isinstance(found.refusal, GraphEngineError):
        return ("refused", found.principal, found.refusal.extensions)
    return ("decided", found.principal, found.answer())


def asked_together() -> float:
    """How many asks the Neo4j statements of can_invite have carried so far."""
    return sum(
        sample.value
        for metric in STORE_BATCH_ASKS.collect()
        for sample in metric.samples
        if sample.name.endswith("_sum") and sample.labels.get("statement") == "can_invite"
    )


def statements_sent() -> float:
    return sum(
        sample.value
        for metric in STORE_BATCH_ASKS.collect()
        for sample in metric.samples
        if sample.name.endswith("_count") and sample.labels.get("statement") == "can_invite"
    )


async def test_reads_asked_at_once_are_each_answered_as_if_alone(store: GraphStore) -> None:
    await three_tenants(store)
    tokens = []
    for n, viewer in enumerate(VIEWERS):
        for k in range(2):  # two sessions each: the same user twice in one statement
            await store.create_session(
                session_id=f"ses_{n}_{k}", user_id=viewer, token_hash=f"hash_{n}_{k}", at=T0
            )
            tokens.append(f"hash_{n}_{k}")
    tokens.append("hash_nobody")
    asks = list(itertools.product(tokens, INVITEES, ORGANISATIONS))
    alone = [
        outcome(await store.can_invite_in_session(token_hash=t, invitee_id=i, organisation_id=o))
        for t, i, o in asks
    ]
    # Every kind of answer is among them, so a mix-up would show.
    kinds = {a[0] for a in alone}
    assert kinds == {"unknown token", "refused", "decided"}
    assert any(a[2].allowed for a in alone if a[0] == "decided")
    assert any(not a[2].allowed for a in alone if a[0] == "decided")

    carried, sent = asked_together(), statements_sent()
    together = await asyncio.gather(
        *(
            store.can_invite_in_session(token_hash=t, invitee_id=i, organisation_id=o)
            for t, i, o in asks
        )
    )
    assert [outcome(found) for found in together] == alone
    if isinstance(store, Neo4jStore):
        # They did go together: fewer statements than asks, every ask carried once.
        assert asked_together() - carried == len(asks)
        assert statements_sent() - sent < len(asks) / 4
