"""Partnerships, invitations and proposals under concurrent writers (DESIGN §3.1).

The writers race in threads (``races.py``); see there for how each store meets them.
"""

from __future__ import annotations

import asyncio

from builders import (
    T0,
    article,
    edge_count,
    env,
    node_count,
    org,
    request,
    user,
)
from races import ROUNDS, codes, race

from graph_engine.model import PartnershipOrigin, Role
from graph_engine.store.base import GraphStore


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
