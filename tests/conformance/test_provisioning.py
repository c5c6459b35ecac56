"""Environments, users, organisations, access and sign-ups (DESIGN §2, §3.1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from builders import T0, env, node_count, org, raw_user, user

from graph_engine.errors import GraphEngineError
from graph_engine.model import (
    Billing,
    PageRequest,
    Role,
    SeatUsage,
    SignUpStart,
    User,
    UserFilter,
)
from graph_engine.store.base import GraphStore


async def test_first_user_of_an_environment_becomes_its_admin(store: GraphStore) -> None:
    await env(store, "e1")
    first = await user(store, "u1", "e1", Role.CANDIDATE)
    second = await user(store, "u2", "e1", Role.CANDIDATE)
    assert first.role is Role.ADMIN
    assert second.role is Role.CANDIDATE
    assert (first.active, first.login_blocked, first.relationship_manager) == (True, False, False)


async def test_duplicate_email_is_refused_and_nothing_is_written(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1")
    with pytest.raises(GraphEngineError) as err:
        await store.create_user(
            user_id="u2",
            environment_id="e1",
            email="U1@e1.example",
            username="other",
            name="Other",
            role=Role.USER,
            password_hash=None,
            at=T0,
        )
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details == {"email": "u1@e1.example"}
    assert await store.get_user(user_id="u2") is None
    assert await node_count(store, "User") == 1


async def test_environment_domain_is_unique(store: GraphStore) -> None:
    await env(store, "e1")
    with pytest.raises(GraphEngineError) as err:
        await store.create_environment(
            environment_id="e2",
            name="Again",
            email_domain="E1.example",
            billing=Billing.PER_LICENCE,
            seat_limit=None,
            at=T0,
        )
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details["environment"] == "e1"
    assert await store.get_environment(environment_id="e2") is None


async def test_user_of_unknown_environment_is_not_found(store: GraphStore) -> None:
    with pytest.raises(GraphEngineError) as err:
        await user(store, "u1", "nowhere")
    assert (err.value.code, err.value.details) == (
        "NOT_FOUND",
        {"label": "Environment", "id": "nowhere"},
    )


async def sign_up(store: GraphStore, sign_up_id: str, email: str) -> None:
    await store.start_sign_up(
        sign_up_id=sign_up_id,
        email=email,
        name=email.split("@", 1)[0].title(),
        password_hash="hash",
        token_hash=f"token-{sign_up_id}",
        at=T0,
        expires_at=T0 + timedelta(days=1),
    )


async def complete(store: GraphStore, sign_up_id: str, email: str, **kw: Any) -> User:
    return await store.complete_sign_up(
        sign_up_id=sign_up_id,
        email=email,
        user_id=kw.pop("user_id", f"u_{sign_up_id}"),
        environment_id=kw.pop("environment_id", "unused"),
        environment_name="new",
        username=email.split("@", 1)[0].lower(),
        decided_by=kw.pop("decided_by", None),
        environment_of=kw.pop("environment_of", None),
        at=T0,
    )


async def test_a_pending_sign_up_is_no_user_and_holds_no_seat(store: GraphStore) -> None:
    await env(store, "e1", seat_limit=2)
    await user(store, "admin", "e1")
    await sign_up(store, "s1", "newbie@E1.example")
    await sign_up(store, "s2", "other@e1.example")
    assert await store.get_credentials(email="newbie@e1.example") is None
    listed = await store.list_users(
        environment_id="e1", search=None, page=PageRequest(first=10, after=None)
    )
    assert [u.id for u in listed.items] == ["admin"]
    assert await store.seat_usage(environment_id="e1") == SeatUsage(limit=2, active=1, inactive=0)
    pending = await store.list_sign_ups(environment_id="e1", page=PageRequest(first=10, after=None))
    assert [(s.id, s.email, s.environment_id) for s in pending.items] == [
        ("s1", "newbie@e1.example", "e1"),
        ("s2", "other@e1.example", "e1"),
    ]
    found = await store.get_sign_up(token_hash="token-s1")
    assert found is not None
    assert (found.id, found.password_hash) == ("s1", "hash")
    assert await store.get_sign_up(sign_up_id="s2") is not None
    assert await store.get_sign_up(token_hash="token-nope") is None


async def test_a_completed_sign_up_joins_its_domain_as_user_without_access(
    store: GraphStore,
) -> None:
    await env(store, "e1", seat_limit=2)
    await user(store, "admin", "e1")
    await org(store, "o1", "e1")
    await sign_up(store, "s1", "newbie@e1.example")
    await sign_up(store, "s1b", "newbie@e1.example")  # the same address, signed up twice
    await sign_up(store, "s2", "second@e1.example")
    joined = await complete(store, "s1", "newbie@e1.example")
    assert (joined.environment_id, joined.role, joined.name) == ("e1", Role.USER, "Newbie")
    assert await store.list_access(user_id=joined.id) == []
    assert await store.get_environment(environment_id="unused") is None
    credentials = await store.get_credentials(email="newbie@e1.example")
    assert credentials is not None
    assert credentials.password_hash == "hash"
    # Once only; the address's other sign-up is superseded; secrets are gone.
    assert await store.get_sign_up(token_hash="token-s1") is None
    assert await store.get_sign_up(sign_up_id="s1b") is None
    with pytest.raises(GraphEngineError) as err:
        await complete(store, "s1", "newbie@e1.example", user_id="u_again")
    assert err.value.code == "NOT_FOUND"
    data = await store.export_graph()
    for node in data.nodes:
        if node.label == "SignUp" and node.id != "s2":
            assert "passwordHash" not in node.props or node.props["passwordHash"] is None
            assert "tokenHash" not in node.props or node.props["tokenHash"] is None
    # The seat limit counts when the sign-up completes.
    with pytest.raises(GraphEngineError) as err:
        await complete(store, "s2", "second@e1.example")
    assert err.value.code == "SEAT_LIMIT_REACHED"


async def test_a_completed_sign_up_of_a_new_domain_founds_it_as_admin(store: GraphStore) -> None:
    await sign_up(store, "s1", "boss@new.example")
    assert await store.get_environment(environment_id="e9") is None  # nothing before proof
    founder = await complete(store, "s1", "boss@new.example", environment_id="e9")
    assert (founder.environment_id, founder.role) == ("e9", Role.ADMIN)
    created = await store.get_environment(environment_id="e9")
    assert created is not None
    assert (created.email_domain, created.billing) == ("new.example", Billing.PER_PROCESSED_HOUR)


async def test_an_address_with_an_account_gets_no_sign_up(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "piet", "e1")
    started = await store.start_sign_up(
        sign_up_id="s1",
        email="PIET@e1.example",
        name="Piet",
        password_hash="hash",
        token_hash="t",
        at=T0,
        expires_at=T0 + timedelta(days=1),
    )
    assert started == SignUpStart(existing_account=True, environment_id="e1")
    assert await store.get_sign_up(sign_up_id="s1") is None


async def test_an_approval_must_come_from_the_sign_ups_environment(store: GraphStore) -> None:
    await env(store, "e1")
    await env(store, "e2")
    await user(store, "admin", "e1")
    await sign_up(store, "s1", "newbie@e1.example")
    with pytest.raises(GraphEngineError) as err:
        await complete(store, "s1", "newbie@e1.example", environment_of="e2")
    assert err.value.code == "NOT_FOUND"
    assert not await store.decline_sign_up(sign_up_id="s1", environment_id="e2", at=T0)
    approved = await complete(
        store, "s1", "newbie@e1.example", environment_of="e1", decided_by="admin"
    )
    assert approved.environment_id == "e1"
    await sign_up(store, "s2", "later@e1.example")
    assert await store.decline_sign_up(sign_up_id="s2", environment_id="e1", at=T0)
    assert await store.get_sign_up(sign_up_id="s2") is None
    assert not await store.decline_sign_up(sign_up_id="s2", environment_id="e1", at=T0)


async def test_access_is_only_granted_inside_the_environment(store: GraphStore) -> None:
    await env(store, "e1")
    await env(store, "e2")
    await user(store, "u1", "e1")
    await user(store, "u2", "e2")
    await org(store, "o1", "e1")
    await store.grant_access(user_id="u1", organisation_id="o1", role=Role.USER)
    await store.grant_access(user_id="u1", organisation_id="o1", role=Role.ADVANCED_USER)
    with pytest.raises(GraphEngineError) as err:
        await store.grant_access(user_id="u2", organisation_id="o1", role=Role.USER)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert [(a.organisation_id, a.role) for a in await store.list_access(user_id="u1")] == [
        ("o1", Role.ADVANCED_USER)
    ]
    assert await store.list_access(user_id="u2") == []


async def test_nothing_is_assigned_to_an_inactive_user(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "admin", "e1")
    await raw_user(store, "gone", "e1", active=False, loginBlocked=True)
    await org(store, "o1", "e1")
    with pytest.raises(GraphEngineError) as err:
        await store.grant_access(user_id="gone", organisation_id="o1", role=Role.USER)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert await store.list_access(user_id="gone") == []


async def test_revoking_access_removes_it_once(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1")
    await org(store, "o1", "e1")
    await store.grant_access(user_id="u1", organisation_id="o1", role=Role.USER)
    assert await store.revoke_access(user_id="u1", organisation_id="o1") is True
    assert await store.revoke_access(user_id="u1", organisation_id="o1") is False
    assert await store.list_access(user_id="u1") == []


async def test_relationship_manager_needs_at_least_advanced_user(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "admin", "e1")
    await user(store, "plain", "e1", Role.USER)
    with pytest.raises(GraphEngineError) as err:
        await store.set_relationship_manager(user_id="plain", enabled=True, at=T0)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    assert err.value.details["required"] == "ADVANCED_USER"
    plain = await store.get_user(user_id="plain")
    assert plain is not None
    assert plain.relationship_manager is False


async def test_a_relationship_manager_cannot_be_demoted_below_advanced_user(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    await user(store, "admin", "e1")
    await user(store, "rm", "e1", Role.ADVANCED_USER)
    await store.set_relationship_manager(user_id="rm", enabled=True, at=T0)
    with pytest.raises(GraphEngineError) as err:
        await store.set_user_role(user_id="rm", role=Role.USER)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    kept = await store.get_user(user_id="rm")
    assert kept is not None
    assert kept.role is Role.ADVANCED_USER
    await store.set_relationship_manager(user_id="rm", enabled=False, at=T0)
    assert (await store.set_user_role(user_id="rm", role=Role.USER)).role is Role.USER


async def test_the_last_admin_keeps_the_role(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "admin", "e1")
    await user(store, "other", "e1")
    with pytest.raises(GraphEngineError) as err:
        await store.set_user_role(user_id="admin", role=Role.USER)
    assert err.value.code == "CONSTRAINT_VIOLATION"
    await store.set_user_role(user_id="other", role=Role.ADMIN)
    assert (await store.set_user_role(user_id="admin", role=Role.USER)).role is Role.USER


async def test_seat_limit_caps_active_users(store: GraphStore) -> None:
    await env(store, "e1", seat_limit=2)
    await user(store, "u1", "e1")
    await raw_user(store, "idle", "e1", active=False)
    await user(store, "u2", "e1")
    with pytest.raises(GraphEngineError) as err:
        await user(store, "u3", "e1")
    assert err.value.code == "SEAT_LIMIT_REACHED"
    assert err.value.message == "the maximum number of active users (2) has been reached"
    assert await store.get_user(user_id="u3") is None


async def test_users_are_searched_and_paged_in_id_order(store: GraphStore) -> None:
    await env(store, "e1")
    for i in range(7):
        await user(store, f"u{i}", "e1", name="Jansen" if i % 2 else "De Vries")
    first = await store.list_users(
        environment_id="e1", search=None, page=PageRequest(first=3, after=None)
    )
    assert [u.id for u in first.items] == ["u0", "u1", "u2"]
    assert first.has_next_page
    rest = await store.list_users(
        environment_id="e1", search=None, page=PageRequest(first=5, after=first.end_cursor)
    )
    assert [u.id for u in rest.items] == ["u3", "u4", "u5", "u6"]
    assert not rest.has_next_page
    jansens = await store.list_users(
        environment_id="e1", search="jANS", page=PageRequest(first=10, after=None)
    )
    assert [u.id for u in jansens.items] == ["u1", "u3", "u5"]
    by_mail = await store.list_users(
        environment_id="e1", search="U4@", page=PageRequest(first=10, after=None)
    )
    assert [u.id for u in by_mail.items] == ["u4"]


async def test_users_are_filtered_by_activity_role_and_name(store: GraphStore) -> None:
    """Carerix's "Inactieve gebruikers" view, and by role and by name; the count follows."""
    await env(store, "e1")
    await user(store, "u0", "e1", Role.ADMIN, name="Wendy Jansen")
    await user(store, "u1", "e1", Role.CONSULTANT, name="Pieter Jansen")
    await raw_user(store, "u2", "e1", Role.CONSULTANT, name="Joris Bakker", active=False)
    await raw_user(store, "u3", "e1", Role.USER, name="Ans Jansen", active=False)
    await env(store, "e2")
    await raw_user(store, "other", "e2", Role.CONSULTANT, name="Jansen", active=False)

    async def ids(**where: Any) -> tuple[list[str], int | None]:
        found = await store.list_users(
            environment_id="e1",
            search=where.pop("search", None),
            page=PageRequest(first=10, after=None),
            where=UserFilter(**where),
        )
        return [u.id for u in found.items], found.total_count

    assert await ids(active=False) == (["u2", "u3"], 2)
    assert await ids(active=True) == (["u0", "u1"], 2)
    assert await ids(role=Role.CONSULTANT) == (["u1", "u2"], 2)
    assert await ids(active=False, role=Role.CONSULTANT) == (["u2"], 1)
    assert await ids(name="JANSEN") == (["u0", "u1", "u3"], 3)
    assert await ids(name="jansen", active=False) == (["u3"], 1)
    # the search (name or e-mail) and the filter both hold
    assert await ids(search="u1@", name="jansen") == (["u1"], 1)
    assert await ids() == (["u0", "u1", "u2", "u3"], 4)
