"""Partnerships, authorization requests and connections (DESIGN §3.1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, article, edge_count, env, node_count, org, partnership, request, user

from graph_engine.errors import GraphEngineError
from graph_engine.model import (
    ConnectionRule,
    GraphData,
    NodeRecord,
    PageRequest,
    PartnershipOrigin,
    RelRecord,
    RequestStatus,
    Role,
)
from graph_engine.store import quota
from graph_engine.store.base import GraphStore


async def connected(store: GraphStore, a: str, b: str) -> bool:
    page = await store.list_connections(user_id=a, page=PageRequest(first=500, after=None))
    return b in {u.id for u in page.items}


async def test_a_partnership_joins_two_environments_and_connects_the_named_users(
    store: GraphStore,
) -> None:
    await article(store)
    made = await store.create_partnership(
        partnership_id="p1",
        user_id="anna",
        partner_user_id="bas",
        origin=PartnershipOrigin.MANUAL,
        at=T0,
    )
    assert made.environment_ids == ("acc", "cust")
    assert made.representative_ids == ("anna", "bas")
    assert made.origin is PartnershipOrigin.MANUAL
    assert await connected(store, "anna", "bas")
    assert await connected(store, "bas", "anna")
    assert await store.get_partnership(partnership_id="p1") == made
    listed = await store.list_partnerships(
        environment_id="cust", page=PageRequest(first=10, after=None)
    )
    assert [p.id for p in listed.items] == ["p1"]


async def test_a_second_partnership_between_the_same_environments_is_refused(
    store: GraphStore,
) -> None:
    await article(store)
    await partnership(store, "p1", "anna", "bas")
    with pytest.raises(GraphEngineError) as err:
        await partnership(store, "p2", "carla", "ruud")
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details["partnership"] == "p1"
    assert await store.get_partnership(partnership_id="p2") is None
    assert not await connected(store, "carla", "ruud")


async def test_a_partnership_needs_two_environments(store: GraphStore) -> None:
    await article(store)
    with pytest.raises(GraphEngineError) as err:
        await partnership(store, "p1", "bas", "carla")
    assert err.value.code == "INVALID_INPUT"
    assert await node_count(store, "Partnership") == 0


async def test_only_advanced_users_and_admins_create_partnerships(store: GraphStore) -> None:
    await article(store)
    await user(store, "clerk", "acc", Role.USER)
    with pytest.raises(GraphEngineError) as err:
        await partnership(store, "p1", "clerk", "bas")
    assert (err.value.code, err.value.details["role"]) == ("CONSTRAINT_VIOLATION", "USER")
    assert await node_count(store, "Partnership") == 0


async def test_a_request_is_for_an_organisation_of_the_recipient(store: GraphStore) -> None:
    await article(store)
    with pytest.raises(GraphEngineError) as err:
        await request(store, "r1", "anna", "bas", "oa")
    assert err.value.code == "NOT_FOUND"
    with pytest.raises(GraphEngineError) as err:
        await request(store, "r1", "bas", "carla", "o")
    assert err.value.code == "INVALID_INPUT"
    assert await node_count(store, "AuthorizationRequest") == 0


async def test_a_refused_request_says_nothing_about_the_recipients_side(
    store: GraphStore,
) -> None:
    """Every way (recipient, organisation) can be wrong is one answer with the typed ids."""
    await article(store)
    await org(store, "o2", "acc")
    await store.set_user_status(user_id="carla", active=False, login_blocked=True, reason="", at=T0)
    for recipient, organisation in (
        ("nobody", "o"),  # no such user
        ("bas", "nothing"),  # no such organisation
        ("bas", "o2"),  # an organisation of another environment
        ("carla", "o"),  # an inactive recipient
    ):
        with pytest.raises(GraphEngineError) as err:
            await request(store, "r1", "anna", recipient, organisation)
        error = err.value
        assert error.code == "NOT_FOUND"
        assert error.details == {"recipient": recipient, "organisation": organisation}
        assert error.message == (
            f"there is no user {recipient} to ask about organisation {organisation}"
        )
    assert await node_count(store, "AuthorizationRequest") == 0


@pytest.mark.parametrize("role", [Role.USER, Role.CLIENT, Role.CANDIDATE])
async def test_only_an_advanced_user_or_admin_accepts_a_request(
    store: GraphStore, role: Role
) -> None:
    """Acceptance may create a partnership, which opens the recipient's environment to the
    sender: the lower roles cannot do that, as they cannot accept a proposal."""
    await article(store)
    await user(store, "dirk", "cust", role)
    await request(store, "r1", "anna", "dirk", "o")
    with pytest.raises(GraphEngineError) as err:
        await store.accept_authorization_request(
            request_id="r1", user_id="dirk", partnership_id="p1", at=T0
        )
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details["required"] == "ADVANCED_USER"
    assert await node_count(store, "Partnership") == 0
    kept = await store.get_authorization_request(request_id="r1")
    assert kept is not None
    assert kept.status is RequestStatus.PENDING


async def test_a_second_request_for_the_same_pair_waits_for_the_first_answer(
    store: GraphStore,
) -> None:
    """One pending request per (sender, recipient, organisation): each request mails the
    recipient, so asking again would mail them again. Once answered, it may be sent anew."""
    await article(store)
    await request(store, "r1", "anna", "carla", "o")
    with pytest.raises(GraphEngineError) as err:
        await request(store, "r2", "anna", "carla", "o")
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details == {"request": "r1"}
    # Another sender, or another recipient, is another request.
    await request(store, "r3", "ruud", "carla", "o")
    await request(store, "r4", "anna", "bas", "o")
    await store.decline_authorization_request(request_id="r1", user_id="carla", at=T0)
    await request(store, "r5", "anna", "carla", "o")
    assert await node_count(store, "AuthorizationRequest") == 4


async def test_a_sender_is_limited_per_hour_and_told_when_to_try_again(
    store: GraphStore,
) -> None:
    await article(store)
    for i in range(quota.SEND_LIMIT):
        await org(store, f"o{i}", "cust")
    start = T0 - timedelta(minutes=30)
    for i in range(quota.SEND_LIMIT):
        await store.send_authorization_request(
            request_id=f"r{i}",
            sender_id="anna",
            recipient_id="bas",
            organisation_id=f"o{i}",
            software="Yuki",
            at=start + timedelta(seconds=i),
        )
    with pytest.raises(GraphEngineError) as err:
        await request(store, "over", "anna", "carla", "o")
    assert err.value.code == "TOO_MANY_ATTEMPTS"
    # The oldest of the hour's requests leaves the window 30 minutes after T0.
    assert err.value.details == {"limit": quota.SEND_LIMIT, "retryAfter": 30 * 60}
    assert await node_count(store, "AuthorizationRequest") == quota.SEND_LIMIT
    # Others are not held back by anna's sending; anna is, once the hour has passed.
    await request(store, "ruud1", "ruud", "carla", "o")
    await store.send_authorization_request(
        request_id="later",
        sender_id="anna",
        recipient_id="carla",
        organisation_id="o",
        software="Yuki",
        at=start + timedelta(hours=1, seconds=0.5),
    )


async def test_acceptance_activates_partners_and_connects_sender_and_relationship_managers(
    store: GraphStore,
) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    pending = await store.get_authorization_request(request_id="r1")
    assert pending is not None
    assert (pending.status, pending.sender_id, pending.recipient_id) == (
        RequestStatus.PENDING,
        "anna",
        "bas",
    )
    accepted = await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    assert accepted.request.status is RequestStatus.ACCEPTED
    assert accepted.partnership_created
    assert accepted.partnership.origin is PartnershipOrigin.AUTHORIZATION
    assert accepted.partnership.environment_ids == ("acc", "cust")
    assert accepted.connected_user_ids == ("anna", "ruud")
    organisation = await store.get_organisation(organisation_id="o")
    assert organisation is not None
    assert organisation.activated_software == ("Yuki",)
    assert await connected(store, "bas", "anna")
    assert await connected(store, "bas", "ruud")


async def test_acceptance_is_idempotent(store: GraphStore) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    first = await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    again = await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p2", at=T0
    )
    assert not again.partnership_created
    assert again.partnership == first.partnership
    assert again.connected_user_ids == ()
    assert again.request.decided_at == first.request.decided_at
    assert await edge_count(store, "CONNECTED_WITH") == 2
    organisation = await store.get_organisation(organisation_id="o")
    assert organisation is not None
    assert organisation.activated_software == ("Yuki",)


async def test_acceptance_connects_even_when_everything_else_already_existed(
    store: GraphStore,
) -> None:
    """The article's A–C bug: C accepts when environment, activation and partnership exist."""
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    await request(store, "r2", "anna", "carla", "o")
    accepted = await store.accept_authorization_request(
        request_id="r2", user_id="carla", partnership_id="p2", at=T0
    )
    assert not accepted.partnership_created
    assert accepted.partnership.id == "p1"
    assert accepted.connected_user_ids == ("anna", "ruud")
    assert await connected(store, "carla", "anna")
    assert await node_count(store, "Partnership") == 1


async def test_only_the_recipient_answers_a_request(store: GraphStore) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    # Anyone but the two parties sees no such request; the sender is told who answers.
    for who, code in (("carla", "NOT_FOUND"), ("anna", "FORBIDDEN")):
        with pytest.raises(GraphEngineError) as err:
            await store.accept_authorization_request(
                request_id="r1", user_id=who, partnership_id="p1", at=T0
            )
        assert err.value.code == code
        with pytest.raises(GraphEngineError) as err:
            await store.decline_authorization_request(request_id="r1", user_id=who, at=T0)
        assert err.value.code == code
    still = await store.get_authorization_request(request_id="r1")
    assert still is not None
    assert still.status is RequestStatus.PENDING
    assert await node_count(store, "Partnership") == 0


async def test_a_declined_request_cannot_be_accepted(store: GraphStore) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    declined = await store.decline_authorization_request(request_id="r1", user_id="bas", at=T0)
    assert declined.status is RequestStatus.DECLINED
    assert (
        await store.decline_authorization_request(request_id="r1", user_id="bas", at=T0)
    ).status is (RequestStatus.DECLINED)
    with pytest.raises(GraphEngineError) as err:
        await store.accept_authorization_request(
            request_id="r1", user_id="bas", partnership_id="p1", at=T0
        )
    assert (err.value.code, err.value.details["status"]) == ("CONSTRAINT_VIOLATION", "DECLINED")
    assert await node_count(store, "Partnership") == 0
    assert await edge_count(store, "CONNECTED_WITH") == 0


async def test_unknown_request_is_not_found(store: GraphStore) -> None:
    await article(store)
    with pytest.raises(GraphEngineError) as err:
        await store.accept_authorization_request(
            request_id="nope", user_id="bas", partnership_id="p", at=T0
        )
    assert err.value.code == "NOT_FOUND"


async def test_requests_are_listed_for_sender_and_recipient(store: GraphStore) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    await request(store, "r2", "anna", "carla", "o")
    await store.decline_authorization_request(request_id="r2", user_id="carla", at=T0)
    sent = await store.list_authorization_requests(
        user_id="anna", incoming=False, status=None, page=PageRequest(first=10, after=None)
    )
    assert [r.id for r in sent.items] == ["r1", "r2"]
    pending = await store.list_authorization_requests(
        user_id="anna",
        incoming=False,
        status=RequestStatus.PENDING,
        page=PageRequest(first=10, after=None),
    )
    assert [r.id for r in pending.items] == ["r1"]
    received = await store.list_authorization_requests(
        user_id="carla", incoming=True, status=None, page=PageRequest(first=10, after=None)
    )
    assert [(r.id, r.status) for r in received.items] == [("r2", RequestStatus.DECLINED)]


async def test_a_new_relationship_manager_is_connected_with_every_acceptor(
    store: GraphStore,
) -> None:
    await article(store)
    await user(store, "rita", "acc", Role.ADVANCED_USER)
    await request(store, "r1", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    await request(store, "r2", "ruud", "carla", "o")
    await store.accept_authorization_request(
        request_id="r2", user_id="carla", partnership_id="p1", at=T0
    )
    assert not await connected(store, "rita", "bas")
    updated, newly = await store.set_relationship_manager(user_id="rita", enabled=True, at=T0)
    assert updated.relationship_manager
    assert newly == ("bas", "carla")
    assert await connected(store, "rita", "bas")
    assert await connected(store, "rita", "carla")
    _, again = await store.set_relationship_manager(user_id="rita", enabled=True, at=T0)
    assert again == ()


async def test_connect_is_stored_once_and_needs_a_partnership(store: GraphStore) -> None:
    await article(store)
    with pytest.raises(GraphEngineError) as err:
        await store.connect(user_id="carla", peer_id="anna", via="MANUAL", at=T0)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    with pytest.raises(GraphEngineError) as err:
        await store.connect(user_id="carla", peer_id="bas", via="MANUAL", at=T0)
    assert err.value.code == "INVALID_INPUT"
    await partnership(store, "p1", "anna", "bas")
    assert await store.connect(user_id="carla", peer_id="anna", via="MANUAL", at=T0) is True
    assert await store.connect(user_id="anna", peer_id="carla", via="MANUAL", at=T0) is False
    assert await edge_count(store, "CONNECTED_WITH") == 2


async def legacy_acceptance(
    store: GraphStore, request_id: str, sender: str, recipient: str
) -> None:
    """An acceptance as the old product stored it: ACCEPTED, nobody connected."""
    await store.import_graph(
        GraphData(
            nodes=(
                NodeRecord(
                    "AuthorizationRequest",
                    request_id,
                    {"status": "ACCEPTED", "software": "Yuki", "createdAt": T0, "decidedAt": T0},
                ),
            ),
            relationships=(
                RelRecord("SENT", sender, request_id),
                RelRecord("TO", request_id, recipient),
                RelRecord("FOR", request_id, "o"),
            ),
        )
    )


async def test_missing_connections_finds_legacy_pairs_and_repair_connects_them(
    store: GraphStore,
) -> None:
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )
    await legacy_acceptance(store, "r2", "anna", "carla")
    page = await store.missing_connections(
        environment_id="cust", page=PageRequest(first=10, after=None)
    )
    assert [(m.user_id, m.peer_id, m.rule, m.partnership_id) for m in page.items] == [
        ("carla", "anna", ConnectionRule.REQUEST_SENDER, "p1"),
        ("carla", "ruud", ConnectionRule.RELATIONSHIP_MANAGER, "p1"),
    ]
    first = await store.missing_connections(
        environment_id=None, page=PageRequest(first=1, after=None)
    )
    assert first.has_next_page
    second = await store.missing_connections(
        environment_id=None, page=PageRequest(first=1, after=first.end_cursor)
    )
    assert [m.peer_id for m in second.items] == ["ruud"]
    assert not second.has_next_page
    repaired = await store.repair_connections(partnership_id="p1", at=T0)
    assert [(m.user_id, m.peer_id) for m in repaired] == [("carla", "anna"), ("carla", "ruud")]
    assert await connected(store, "carla", "anna")
    assert (
        await store.missing_connections(environment_id=None, page=PageRequest(first=10, after=None))
    ).items == []
    assert await store.repair_connections(partnership_id="p1", at=T0) == []


async def test_missing_connections_include_unconnected_representatives(store: GraphStore) -> None:
    await article(store)
    await store.import_graph(
        GraphData(
            nodes=(NodeRecord("Partnership", "p9", {"origin": "MANUAL", "createdAt": T0}),),
            relationships=(
                RelRecord("BETWEEN", "p9", "acc"),
                RelRecord("BETWEEN", "p9", "cust"),
                RelRecord("REPRESENTS", "ruud", "p9"),
                RelRecord("REPRESENTS", "carla", "p9"),
            ),
        )
    )
    page = await store.missing_connections(
        environment_id="acc", page=PageRequest(first=10, after=None)
    )
    assert [(m.user_id, m.peer_id, m.rule) for m in page.items] == [
        ("ruud", "carla", ConnectionRule.REPRESENTATIVES)
    ]


async def test_missing_connections_of_an_unknown_environment_is_not_found(
    store: GraphStore,
) -> None:
    with pytest.raises(GraphEngineError) as err:
        await store.missing_connections(
            environment_id="nope", page=PageRequest(first=10, after=None)
        )
    assert err.value.code == "NOT_FOUND"
    with pytest.raises(GraphEngineError) as err:
        await store.repair_connections(partnership_id="nope", at=T0)
    assert err.value.code == "NOT_FOUND"


async def test_organisations_are_listed_per_environment(store: GraphStore) -> None:
    await env(store, "e1")
    await org(store, "o2", "e1")
    await org(store, "o1", "e1")
    listed = await store.list_organisations(
        environment_id="e1", page=PageRequest(first=10, after=None)
    )
    assert [o.id for o in listed.items] == ["o1", "o2"]


async def test_a_proposer_is_limited_per_hour_and_told_when_to_try_again(
    store: GraphStore,
) -> None:
    """Each proposal mails its recipient: at most quota.SEND_LIMIT per environment an hour."""
    await article(store)
    start = T0 - timedelta(minutes=30)
    for i in range(quota.SEND_LIMIT):
        await env(store, f"x{i}")
        await user(store, f"x{i}_admin", f"x{i}", Role.ADMIN)
        await store.propose_partnership(
            proposal_id=f"q{i}",
            proposer_id="anna",
            recipient_id=f"x{i}_admin",
            at=start + timedelta(seconds=i),
        )
    with pytest.raises(GraphEngineError) as err:
        await store.propose_partnership(
            proposal_id="over", proposer_id="anna", recipient_id="carla", at=T0
        )
    assert err.value.code == "TOO_MANY_ATTEMPTS"
    assert err.value.details == {"limit": quota.SEND_LIMIT, "retryAfter": 30 * 60}
    # Per environment: an ADMIN proposes for any of its users, so a colleague of the
    # proposer is held back as well; another environment is not.
    with pytest.raises(GraphEngineError) as err:
        await store.propose_partnership(
            proposal_id="q_ruud", proposer_id="ruud", recipient_id="carla", at=T0
        )
    assert err.value.code == "TOO_MANY_ATTEMPTS"
    assert await node_count(store, "PartnershipProposal") == quota.SEND_LIMIT
    await store.propose_partnership(
        proposal_id="q_bas", proposer_id="bas", recipient_id="x0_admin", at=T0
    )
