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
from datetime import timedelta
from typing import Any

from builders import T0
from test_identity_visibility import three_tenants

from graph_engine.errors import GraphEngineError
from graph_engine.model import Decision, InSession, PrincipalKind
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


def batched(statement: str) -> tuple[float, float]:
    """How many statements ``statement``'s batches have sent on Neo4j, and asks carried."""
    found = {
        sample.name.rsplit("_", 1)[1]: sample.value
        for metric in STORE_BATCH_ASKS.collect()
        for sample in metric.samples
        if sample.labels.get("statement") == statement
    }
    return found.get("count", 0.0), found.get("sum", 0.0)


def went_together(
    store: GraphStore, statement: str, before: tuple[float, float], asks: int
) -> None:
    """On Neo4j, the asks went together: every ask carried once, fewer statements than asks."""
    if isinstance(store, Neo4jStore):
        sent, carried = batched(statement)
        assert carried - before[1] == asks
        assert sent - before[0] < asks / 4


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

    before = batched("can_invite")
    together = await asyncio.gather(
        *(
            store.can_invite_in_session(token_hash=t, invitee_id=i, organisation_id=o)
            for t, i, o in asks
        )
    )
    assert [outcome(found) for found in together] == alone
    went_together(store, "can_invite", before, len(asks))


def decided(found: Decision | GraphEngineError) -> tuple[Any, ...]:
    if isinstance(found, GraphEngineError):
        return ("refused", found.extensions)
    return ("decided", found)


async def test_decisions_asked_at_once_are_each_their_own(store: GraphStore) -> None:
    """``can_invite`` outside a session (an integration or an ADMIN asking on behalf of an
    inviter; with a viewer and without), many at once: each as if asked alone."""
    await three_tenants(store)
    asks = list(itertools.product((*VIEWERS, None), VIEWERS, INVITEES, ORGANISATIONS))

    async def ask(viewer: str | None, inviter: str, invitee: str, organisation: str) -> Any:
        try:
            return decided(
                await store.can_invite(
                    inviter_id=inviter,
                    invitee_id=invitee,
                    organisation_id=organisation,
                    viewer_id=viewer,
                )
            )
        except GraphEngineError as exc:
            return decided(exc)

    alone = [await ask(*a) for a in asks]
    assert {a[0] for a in alone} == {"refused", "decided"}
    assert any(a[1].allowed for a in alone if a[0] == "decided")
    assert any(not a[1].allowed for a in alone if a[0] == "decided")

    before = batched("can_invite")
    together = await asyncio.gather(*(ask(*a) for a in asks))
    assert together == alone
    went_together(store, "can_invite", before, len(asks))


async def test_reaches_and_locations_asked_at_once_are_each_their_own(store: GraphStore) -> None:
    """What a user reaches and where entities live, read before almost every answer:
    many at once, each as if asked alone (unknown users and ids among them)."""
    await three_tenants(store)
    users = [*VIEWERS, "ghost"] * 6
    lists = [
        list(ids)
        for n in range(1, 4)
        for ids in itertools.combinations((*INVITEES, *ORGANISATIONS, "e1", "e2"), n)
    ][:60]
    reaches_alone = [await store.reach(user_id=u) for u in users]
    places_alone = [await store.locate(ids=ids) for ids in lists]
    assert len(set(reaches_alone)) > 2
    assert [] in places_alone
    assert any(len(found) > 1 for found in places_alone)

    before = batched("reach"), batched("locate")
    reaches, places = await asyncio.gather(
        asyncio.gather(*(store.reach(user_id=u) for u in users)),
        asyncio.gather(*(store.locate(ids=ids) for ids in lists)),
    )
    assert reaches == reaches_alone
    assert places == places_alone
    went_together(store, "reach", before[0], len(users))
    went_together(store, "locate", before[1], len(lists))


async def test_sessions_and_keys_resolved_at_once_are_each_their_own(store: GraphStore) -> None:
    await three_tenants(store)
    tokens, keys = [], []
    for n, viewer in enumerate(VIEWERS):
        await store.create_session(
            session_id=f"ses_{n}", user_id=viewer, token_hash=f"hash_{n}", at=T0
        )
        tokens.append(f"hash_{n}")
        await store.create_api_key(
            key_id=f"key_{n}",
            kind=(PrincipalKind.INTEGRATION, PrincipalKind.OPERATOR)[n % 2],
            name=f"key {n}",
            key_hash=f"key_hash_{n}",
            environment_id=("e1", None)[n % 2],
            at=T0,
        )
        keys.append(f"key_hash_{n}")
    await store.end_session(token_hash="hash_1", at=T0 + timedelta(minutes=1), reason="logout")
    await store.revoke_api_key(key_id="key_2", at=T0 + timedelta(minutes=1))
    tokens = [*tokens, "hash_nobody"] * 8
    keys = [*keys, "key_hash_nobody"] * 8
    sessions_alone = [await store.resolve_session(token_hash=t) for t in tokens]
    keys_alone = [await store.resolve_api_key(key_hash=k) for k in keys]
    assert None in sessions_alone
    assert None in keys_alone
    assert len({p.id for p in sessions_alone if p is not None}) == len(VIEWERS)
    assert any(p.invalidated_reason for p in sessions_alone if p is not None)
    assert any(p.invalidated_reason for p in keys_alone if p is not None)

    before = batched("resolve_session"), batched("resolve_api_key")
    sessions, principals = await asyncio.gather(
        asyncio.gather(*(store.resolve_session(token_hash=t) for t in tokens)),
        asyncio.gather(*(store.resolve_api_key(key_hash=k) for k in keys)),
    )
    assert sessions == sessions_alone
    assert principals == keys_alone
    went_together(store, "resolve_session", before[0], len(tokens))
    went_together(store, "resolve_api_key", before[1], len(keys))
