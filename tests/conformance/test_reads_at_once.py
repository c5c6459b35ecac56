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
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
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


Read = Callable[[], Awaitable[Any]]


async def each_as_if_alone(store: GraphStore, reads: dict[str, list[Read]]) -> dict[str, list[Any]]:
    """Ask every read alone, one after another, then all of them at once (every
    statement's together): the same answers. On Neo4j each statement's reads went
    together. The answers alone, by statement name, for the test to check they vary."""
    alone = {name: [await read() for read in calls] for name, calls in reads.items()}
    before = {name: batched(name) for name in reads}
    together = await asyncio.gather(
        *(asyncio.gather(*(read() for read in calls)) for calls in reads.values())
    )
    for (name, calls), found in zip(reads.items(), together, strict=True):
        assert list(found) == alone[name]
        went_together(store, name, before[name], len(calls))
    return alone


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

    async def ask(token: str, invitee: str, organisation: str) -> tuple[Any, ...]:
        return outcome(
            await store.can_invite_in_session(
                token_hash=token, invitee_id=invitee, organisation_id=organisation
            )
        )

    asks = itertools.product(tokens, INVITEES, ORGANISATIONS)
    alone = (await each_as_if_alone(store, {"can_invite": [partial(ask, *a) for a in asks]}))[
        "can_invite"
    ]
    # Every kind of answer is among them, so a mix-up would show.
    kinds = {a[0] for a in alone}
    assert kinds == {"unknown token", "refused", "decided"}
    assert any(a[2].allowed for a in alone if a[0] == "decided")
    assert any(not a[2].allowed for a in alone if a[0] == "decided")


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

    alone = (await each_as_if_alone(store, {"can_invite": [partial(ask, *a) for a in asks]}))[
        "can_invite"
    ]
    assert {a[0] for a in alone} == {"refused", "decided"}
    assert any(a[1].allowed for a in alone if a[0] == "decided")
    assert any(not a[1].allowed for a in alone if a[0] == "decided")


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
    alone = await each_as_if_alone(
        store,
        {
            "reach": [partial(store.reach, user_id=u) for u in users],
            "locate": [partial(store.locate, ids=ids) for ids in lists],
        },
    )
    assert len(set(alone["reach"])) > 2
    assert [] in alone["locate"]
    assert any(len(found) > 1 for found in alone["locate"])


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
    alone = await each_as_if_alone(
        store,
        {
            "resolve_session": [partial(store.resolve_session, token_hash=t) for t in tokens],
            "resolve_api_key": [partial(store.resolve_api_key, key_hash=k) for k in keys],
        },
    )
    sessions_alone, keys_alone = alone["resolve_session"], alone["resolve_api_key"]
    assert None in sessions_alone
    assert None in keys_alone
    assert len({p.id for p in sessions_alone if p is not None}) == len(VIEWERS)
    assert any(p.invalidated_reason for p in sessions_alone if p is not None)
    assert any(p.invalidated_reason for p in keys_alone if p is not None)
