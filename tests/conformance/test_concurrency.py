"""Invariants under concurrent writers: real threads, started together by a barrier.

On Neo4j every thread has its own driver and event loop, so the writes meet
only in the database (the point of these tests: the rules live in the write
queries, not in a Python lock). On the memory store the threads share the
store and its lock.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

import pytest
from builders import (
    T0,
    article,
    edge_count,
    env,
    node_count,
    org,
    partnership,
    request,
    user,
)

from graph_engine.errors import GraphEngineError
from graph_engine.model import PageRequest, PartnershipOrigin, Role
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


async def test_two_writers_creating_the_same_partnership_leave_exactly_one(
    store: GraphStore,
) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await article(store)

        async def create(own: GraphStore, i: int) -> str:
            made = await own.create_partnership(
                partnership_id=f"p{i}",
                user_id=("anna", "ruud")[i],
                partner_user_id=("bas", "carla")[i],
                origin=PartnershipOrigin.MANUAL,
                at=T0,
            )
            return made.id

        results = await asyncio.to_thread(race, store, 2, create)
        assert codes(results) == ["CONSTRAINT_VIOLATION", "ok"]
        assert await node_count(store, "Partnership") == 1
        assert await edge_count(store, "BETWEEN") == 2
        assert await edge_count(store, "REPRESENTS") == 2
        assert await edge_count(store, "CONNECTED_WITH") == 1


async def test_simultaneous_acceptances_share_one_partnership(store: GraphStore) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await article(store)
        await request(store, "r0", "anna", "bas", "o")
        await request(store, "r1", "anna", "carla", "o")

        async def accept(own: GraphStore, i: int) -> bool:
            done = await own.accept_authorization_request(
                request_id=f"r{i}", user_id=("bas", "carla")[i], partnership_id=f"p{i}", at=T0
            )
            return done.partnership_created

        results = await asyncio.to_thread(race, store, 2, accept)
        assert sorted(results) == [False, True]  # type: ignore[type-var]
        assert await node_count(store, "Partnership") == 1
        assert await edge_count(store, "BETWEEN") == 2
        # each acceptor with anna and ruud, each pair once
        assert await edge_count(store, "CONNECTED_WITH") == 4


async def test_simultaneous_connects_store_one_connection(store: GraphStore) -> None:
    await article(store)
    await request(store, "r0", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r0", user_id="bas", partnership_id="p", at=T0
    )
    for n in range(ROUNDS):
        newcomer = f"c{n}"
        await user(store, newcomer, "cust", Role.ADVANCED_USER)

        async def connect(own: GraphStore, i: int, newcomer: str = newcomer) -> bool:
            pair = (newcomer, "anna") if i % 2 else ("anna", newcomer)
            return await own.connect(user_id=pair[0], peer_id=pair[1], via="MANUAL", at=T0)

        before = await edge_count(store, "CONNECTED_WITH")
        results = await asyncio.to_thread(race, store, 4, connect)
        assert sorted(results) == [False, False, False, True]  # type: ignore[type-var]
        assert await edge_count(store, "CONNECTED_WITH") == before + 1


async def test_simultaneous_invites_leave_one_pending_invitation(store: GraphStore) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await article(store)
        await request(store, "r0", "anna", "bas", "o")
        await store.accept_authorization_request(
            request_id="r0", user_id="bas", partnership_id="p", at=T0
        )
        await store.grant_access(user_id="bas", organisation_id="o", role=Role.ADMIN)

        async def invite(own: GraphStore, i: int) -> str:
            made = await own.invite(
                invitation_id=f"i{i}",
                inviter_id="bas",
                invitee_id="anna",
                organisation_id="o",
                role=Role.USER,
                at=T0,
            )
            return made.id

        results = await asyncio.to_thread(race, store, 3, invite)
        assert codes(results) == ["CONSTRAINT_VIOLATION", "CONSTRAINT_VIOLATION", "ok"]
        assert await node_count(store, "Invitation") == 1


async def test_simultaneous_colleague_invites_grant_access_once(store: GraphStore) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await env(store, "e1")
        await user(store, "admin", "e1")
        await user(store, "u1", "e1")
        await org(store, "o1", "e1")

        async def invite(own: GraphStore, i: int) -> str:
            made = await own.invite(
                invitation_id=f"i{i}",
                inviter_id="admin",
                invitee_id="u1",
                organisation_id="o1",
                role=Role.USER,
                at=T0,
            )
            return made.id

        results = await asyncio.to_thread(race, store, 3, invite)
        assert codes(results) == ["FORBIDDEN", "FORBIDDEN", "ok"]
        assert await edge_count(store, "HAS_ACCESS") == 1


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


async def test_simultaneous_proposals_from_one_environment_to_one_user_leave_one_pending(
    store: GraphStore,
) -> None:
    for _ in range(ROUNDS):
        await store.clear()
        await article(store)

        async def propose(own: GraphStore, i: int) -> str:
            made = await own.propose_partnership(
                proposal_id=f"q{i}",
                proposer_id=("anna", "ruud", "anna")[i],
                recipient_id="carla",
                at=T0,
            )
            return made.id

        results = await asyncio.to_thread(race, store, 3, propose)
        assert codes(results) == ["CONSTRAINT_VIOLATION", "CONSTRAINT_VIOLATION", "ok"]
        assert await node_count(store, "PartnershipProposal") == 1


async def test_simultaneous_requests_for_one_pair_leave_one_pending(store: GraphStore) -> None:
    """The sender is locked before their requests are counted: of three sends of one
    (sender, recipient, organisation) at once, one is stored and mailed."""
    for _ in range(ROUNDS):
        await store.clear()
        await article(store)

        async def send(own: GraphStore, i: int) -> str:
            made = await own.send_authorization_request(
                request_id=f"r{i}",
                sender_id="anna",
                recipient_id="carla",
                organisation_id="o",
                software="Yuki",
                at=T0,
            )
            return made.id

        results = await asyncio.to_thread(race, store, 3, send)
        assert codes(results) == ["CONSTRAINT_VIOLATION", "CONSTRAINT_VIOLATION", "ok"]
        assert await node_count(store, "AuthorizationRequest") == 1


async def test_simultaneous_answers_to_one_proposal_make_one_partnership(
    store: GraphStore,
) -> None:
    for round_ in range(ROUNDS):
        await store.clear()
        await article(store)
        await store.propose_partnership(
            proposal_id="q", proposer_id="anna", recipient_id="carla", at=T0
        )

        async def answer(own: GraphStore, i: int, round_: int = round_) -> str:
            made = await own.answer_partnership_proposal(
                proposal_id="q",
                user_id=("carla", "bas", "carla")[i],
                accept=True,
                partnership_id=f"p{round_}-{i}",
                at=T0,
            )
            return str(made.partnership_id)

        results = await asyncio.to_thread(race, store, 3, answer)
        assert codes(results) == ["ok"] * 3
        assert len(set(results)) == 1
        assert await node_count(store, "Partnership") == 1
        assert await edge_count(store, "CONNECTED_WITH") == 1


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
