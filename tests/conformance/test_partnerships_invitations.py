"""Invite eligibility, decisions with their path, invitations and candidates (DESIGN §3.1)."""

from __future__ import annotations

import pytest
from builders import T0, article, edge_count, env, node_count, raw_user, request, user

from graph_engine.errors import GraphEngineError
from graph_engine.model import DecisionCode, Fix, PageRequest, RequestStatus, Role
from graph_engine.store.base import GraphStore


async def accepted_story(store: GraphStore) -> None:
    """The article after B accepted A's request: partnership acc–cust, B–A, B–R connected."""
    await article(store)
    await request(store, "r1", "anna", "bas", "o")
    await store.accept_authorization_request(
        request_id="r1", user_id="bas", partnership_id="p1", at=T0
    )


async def code(store: GraphStore, inviter: str, invitee: str, organisation: str) -> DecisionCode:
    decision = await store.can_invite(
        inviter_id=inviter, invitee_id=invitee, organisation_id=organisation
    )
    return decision.code


async def test_the_article_story_decides_as_the_article_says(store: GraphStore) -> None:
    await accepted_story(store)
    # A can invite B to an organisation of A's environment ...
    assert await code(store, "anna", "bas", "oa") is DecisionCode.PARTNER_CONNECTED
    # ... and B can invite A and every relationship manager of A's environment to O.
    assert await code(store, "bas", "anna", "o") is DecisionCode.PARTNER_CONNECTED
    assert await code(store, "bas", "ruud", "o") is DecisionCode.PARTNER_CONNECTED
    # C, added to B's environment, is not connected with A.
    assert await code(store, "carla", "anna", "o") is DecisionCode.NOT_CONNECTED
    await request(store, "r2", "anna", "carla", "o")
    await store.accept_authorization_request(
        request_id="r2", user_id="carla", partnership_id="p2", at=T0
    )
    assert await code(store, "carla", "anna", "o") is DecisionCode.PARTNER_CONNECTED


async def test_a_denial_a_connection_would_fix_names_the_fix_and_the_path(
    store: GraphStore,
) -> None:
    await accepted_story(store)
    decision = await store.can_invite(inviter_id="carla", invitee_id="anna", organisation_id="o")
    assert not decision.allowed
    assert decision.fix == Fix(action="connect", user_ids=("carla", "anna"))
    assert [n.id for n in decision.nodes] == ["acc", "anna", "carla", "cust", "o", "p1"]
    assert {(r.type, r.start_id, r.end_id, r.role) for r in decision.relationships} == {
        ("MEMBER_OF", "carla", "cust", "ADVANCED_USER"),
        ("BELONGS_TO", "o", "cust", None),
        ("HAS_ACCESS", "carla", "o", "ADMIN"),
        ("MEMBER_OF", "anna", "acc", "ADMIN"),
        ("BETWEEN", "p1", "acc", None),
        ("BETWEEN", "p1", "cust", None),
    }


async def test_an_allowing_partner_path_includes_the_connection(store: GraphStore) -> None:
    await accepted_story(store)
    decision = await store.can_invite(inviter_id="bas", invitee_id="anna", organisation_id="o")
    assert decision.allowed
    assert decision.fix is None
    links = {(r.type, frozenset((r.start_id, r.end_id))) for r in decision.relationships}
    assert ("CONNECTED_WITH", frozenset(("bas", "anna"))) in links
    assert ("BETWEEN", frozenset(("p1", "acc"))) in links
    assert {n.label for n in decision.nodes} == {
        "User",
        "Environment",
        "Organisation",
        "Partnership",
    }


async def test_an_inviter_denial_shows_only_the_inviters_standing(store: GraphStore) -> None:
    await accepted_story(store)
    await user(store, "clerk", "cust", Role.USER)
    decision = await store.can_invite(inviter_id="clerk", invitee_id="anna", organisation_id="o")
    assert decision.code is DecisionCode.INVITER_NOT_AUTHORISED
    assert [n.id for n in decision.nodes] == ["clerk", "cust", "o"]


@pytest.mark.parametrize(
    ("inviter", "invitee", "organisation", "expected"),
    [
        ("gone", "anna", "o", DecisionCode.INVITER_INACTIVE),
        ("blocked", "anna", "o", DecisionCode.INVITER_LOGIN_BLOCKED),
        ("clerk", "bob", "o", DecisionCode.INVITER_NOT_AUTHORISED),
        ("ruud", "bas", "oa", DecisionCode.INVITER_NOT_AUTHORISED),
        ("bas", "gone", "o", DecisionCode.INVITEE_INACTIVE),
        ("bas", "blocked", "o", DecisionCode.INVITEE_LOGIN_BLOCKED),
        ("bas", "carla", "o", DecisionCode.ALREADY_HAS_ACCESS),
        ("bas", "clerk", "o", DecisionCode.SAME_ENVIRONMENT),
        ("bas", "stranger", "o", DecisionCode.NO_PARTNERSHIP),
        ("bas", "bob", "o", DecisionCode.INVITEE_ROLE_TOO_LOW),
        ("carla", "anna", "o", DecisionCode.NOT_CONNECTED),
        ("bas", "anna", "o", DecisionCode.PARTNER_CONNECTED),
        ("bas", "bas", "o", DecisionCode.SELF_INVITE),
        ("clerk", "clerk", "o", DecisionCode.SELF_INVITE),
        ("gone", "gone", "o", DecisionCode.SELF_INVITE),
    ],
)
async def test_each_rule_gives_its_code(
    store: GraphStore, inviter: str, invitee: str, organisation: str, expected: DecisionCode
) -> None:
    await accepted_story(store)
    await user(store, "clerk", "cust", Role.USER)
    await user(store, "bob", "acc", Role.USER)
    await raw_user(store, "gone", "cust", Role.ADMIN, active=False)
    await raw_user(store, "blocked", "cust", Role.ADMIN, loginBlocked=True)
    await env(store, "far")  # a third environment, partnered with nobody
    await user(store, "stranger", "far")
    assert await code(store, inviter, invitee, organisation) is expected


async def test_nobody_invites_themself_not_even_an_admin_without_access(
    store: GraphStore,
) -> None:
    """An ADMIN of the organisation's environment without access to it would pass every
    other rule about themself (SAME_ENVIRONMENT); they take access with grantAccess."""
    await accepted_story(store)
    await user(store, "boss", "cust", Role.ADMIN)
    decision = await store.can_invite(inviter_id="boss", invitee_id="boss", organisation_id="o")
    assert decision.code is DecisionCode.SELF_INVITE
    assert not decision.allowed
    assert decision.fix is None
    assert [n.id for n in decision.nodes] == ["boss", "cust", "o"]
    await user(store, "clerk", "cust", Role.USER)
    page = await store.invite_candidates(
        inviter_id="boss", organisation_id="o", search=None, page=PageRequest(first=100, after=None)
    )
    listed = {u.id for u in page.items}
    assert "clerk" in listed
    assert "boss" not in listed


async def test_checks_run_in_order_so_the_first_failure_names_the_code(store: GraphStore) -> None:
    await accepted_story(store)
    await raw_user(store, "ghost", "acc", Role.USER, active=False, loginBlocked=True)
    # inactive, blocked and without rights: inactivity is checked first
    assert await code(store, "ghost", "anna", "o") is DecisionCode.INVITER_INACTIVE
    # invitee inactive and blocked, inviter fine: the invitee's inactivity
    assert await code(store, "bas", "ghost", "o") is DecisionCode.INVITEE_INACTIVE


async def test_unknown_ids_are_not_found(store: GraphStore) -> None:
    await accepted_story(store)
    for inviter, invitee, organisation, missing in [
        ("nobody", "anna", "o", "nobody"),
        ("bas", "nobody", "o", "nobody"),
        ("bas", "anna", "nowhere", "nowhere"),
        ("bas", "anna", "anna", "anna"),
    ]:
        with pytest.raises(GraphEngineError) as err:
            await store.can_invite(
                inviter_id=inviter, invitee_id=invitee, organisation_id=organisation
            )
        assert (err.value.code, err.value.details["id"]) == ("NOT_FOUND", missing)


async def test_inviting_a_colleague_grants_access_at_once(store: GraphStore) -> None:
    await accepted_story(store)
    await user(store, "clerk", "cust", Role.USER)
    invitation = await store.invite(
        invitation_id="i1",
        inviter_id="bas",
        invitee_id="clerk",
        organisation_id="o",
        role=Role.USER,
        at=T0,
    )
    assert invitation.status is RequestStatus.ACCEPTED
    assert invitation.decided_at == T0
    assert [(a.organisation_id, a.role) for a in await store.list_access(user_id="clerk")] == [
        ("o", Role.USER)
    ]


async def test_a_partner_invitation_waits_for_the_invitee(store: GraphStore) -> None:
    await accepted_story(store)
    invitation = await store.invite(
        invitation_id="i1",
        inviter_id="bas",
        invitee_id="anna",
        organisation_id="o",
        role=Role.ADVANCED_USER,
        at=T0,
    )
    assert invitation.status is RequestStatus.PENDING
    assert await store.list_access(user_id="anna") == []
    with pytest.raises(GraphEngineError) as err:
        await store.invite(
            invitation_id="i2",
            inviter_id="bas",
            invitee_id="anna",
            organisation_id="o",
            role=Role.USER,
            at=T0,
        )
    assert (err.value.code, err.value.details["invitation"]) == ("CONSTRAINT_VIOLATION", "i1")
    with pytest.raises(GraphEngineError) as err:
        await store.accept_invitation(invitation_id="i1", user_id="bas", at=T0)
    assert err.value.code == "FORBIDDEN"
    # Anyone but the two parties sees no such invitation.
    for answer in (store.accept_invitation, store.decline_invitation):
        with pytest.raises(GraphEngineError) as err:
            await answer(invitation_id="i1", user_id="carla", at=T0)
        assert err.value.code == "NOT_FOUND"
    accepted = await store.accept_invitation(invitation_id="i1", user_id="anna", at=T0)
    assert accepted.status is RequestStatus.ACCEPTED
    assert (await store.accept_invitation(invitation_id="i1", user_id="anna", at=T0)).status is (
        RequestStatus.ACCEPTED
    )
    assert [(a.organisation_id, a.role) for a in await store.list_access(user_id="anna")] == [
        ("o", Role.ADVANCED_USER)
    ]
    # the partner user now has ADVANCED_USER access to O, so may invite to it
    assert await code(store, "anna", "ruud", "o") is DecisionCode.NOT_CONNECTED
    incoming = await store.list_invitations(
        user_id="anna", incoming=True, status=None, page=PageRequest(first=5, after=None)
    )
    assert [i.id for i in incoming.items] == ["i1"]
    sent = await store.list_invitations(
        user_id="bas", incoming=False, status=None, page=PageRequest(first=5, after=None)
    )
    assert [i.id for i in sent.items] == ["i1"]


async def test_a_declined_invitation_grants_nothing(store: GraphStore) -> None:
    await accepted_story(store)
    await store.invite(
        invitation_id="i1",
        inviter_id="bas",
        invitee_id="anna",
        organisation_id="o",
        role=Role.USER,
        at=T0,
    )
    declined = await store.decline_invitation(invitation_id="i1", user_id="anna", at=T0)
    assert declined.status is RequestStatus.DECLINED
    with pytest.raises(GraphEngineError) as err:
        await store.accept_invitation(invitation_id="i1", user_id="anna", at=T0)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert await store.list_access(user_id="anna") == []
    # a new invitation is possible once the old one is answered
    again = await store.invite(
        invitation_id="i2",
        inviter_id="bas",
        invitee_id="anna",
        organisation_id="o",
        role=Role.USER,
        at=T0,
    )
    assert again.status is RequestStatus.PENDING


async def test_an_ineligible_invite_is_refused_with_its_reason_and_writes_nothing(
    store: GraphStore,
) -> None:
    await accepted_story(store)
    with pytest.raises(GraphEngineError) as err:
        await store.invite(
            invitation_id="i1",
            inviter_id="carla",
            invitee_id="anna",
            organisation_id="o",
            role=Role.USER,
            at=T0,
        )
    assert err.value.code == "FORBIDDEN"
    assert err.value.details["reason"] == "NOT_CONNECTED"
    assert err.value.details["fix"] == {"action": "connect", "userIds": ["carla", "anna"]}
    assert await node_count(store, "Invitation") == 0
    assert await store.get_invitation(invitation_id="i1") is None


async def test_invite_candidates_are_exactly_the_invitable_users(store: GraphStore) -> None:
    await accepted_story(store)
    await user(store, "clerk", "cust", Role.USER, name="Klaas Klerk")
    await user(store, "bob", "acc", Role.USER)
    everyone = await store.invite_candidates(
        inviter_id="bas", organisation_id="o", search=None, page=PageRequest(first=50, after=None)
    )
    # bas is ADMIN of the environment without access to O, yet never his own candidate
    assert [u.id for u in everyone.items] == ["anna", "clerk", "ruud"]
    for candidate in everyone.items:
        assert (
            await store.can_invite(inviter_id="bas", invitee_id=candidate.id, organisation_id="o")
        ).allowed
    found = await store.invite_candidates(
        inviter_id="bas",
        organisation_id="o",
        search="KLERK",
        page=PageRequest(first=50, after=None),
    )
    assert [u.id for u in found.items] == ["clerk"]
    by_mail = await store.invite_candidates(
        inviter_id="bas",
        organisation_id="o",
        search="@acc.",
        page=PageRequest(first=50, after=None),
    )
    assert [u.id for u in by_mail.items] == ["anna", "ruud"]
    page1 = await store.invite_candidates(
        inviter_id="bas", organisation_id="o", search=None, page=PageRequest(first=2, after=None)
    )
    page2 = await store.invite_candidates(
        inviter_id="bas",
        organisation_id="o",
        search=None,
        page=PageRequest(first=2, after=page1.end_cursor),
    )
    assert ([u.id for u in page1.items], page1.has_next_page) == (["anna", "clerk"], True)
    assert ([u.id for u in page2.items], page2.has_next_page) == (["ruud"], False)
    # carla is not connected with anna or ruud: only her own colleagues
    carlas = await store.invite_candidates(
        inviter_id="carla", organisation_id="o", search=None, page=PageRequest(first=50, after=None)
    )
    assert [u.id for u in carlas.items] == ["bas", "clerk"]
    # an inviter without rights on O gets nobody
    none = await store.invite_candidates(
        inviter_id="clerk", organisation_id="o", search=None, page=PageRequest(first=50, after=None)
    )
    assert none.items == []


async def test_access_through_an_invitation_counts_for_rule_one(store: GraphStore) -> None:
    await accepted_story(store)
    await store.invite(
        invitation_id="i1",
        inviter_id="bas",
        invitee_id="anna",
        organisation_id="o",
        role=Role.ADMIN,
        at=T0,
    )
    await store.accept_invitation(invitation_id="i1", user_id="anna", at=T0)
    assert await code(store, "anna", "carla", "o") is DecisionCode.ALREADY_HAS_ACCESS
    await user(store, "clerk", "cust", Role.USER)
    assert await code(store, "anna", "clerk", "o") is DecisionCode.SAME_ENVIRONMENT
    assert await edge_count(store, "HAS_ACCESS") == 2
