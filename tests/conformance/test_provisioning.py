"""Environments, users, organisations, access and visibility (DESIGN §2, §3.1)."""

from __future__ import annotations

import pytest
from builders import T0, env, node_count, org, partnership, raw_user, user

from graph_engine.errors import GraphEngineError
from graph_engine.model import Billing, Role
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


async def test_sign_up_with_a_known_domain_joins_as_user_without_access(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "admin", "e1")
    await org(store, "o1", "e1")
    joined = await store.sign_up(
        user_id="u2",
        environment_id="unused",
        environment_name="unused",
        email="newbie@E1.example",
        username="newbie",
        name="Newbie",
        password_hash="x",
        at=T0,
    )
    assert (joined.environment_id, joined.role) == ("e1", Role.USER)
    assert await store.list_access(user_id="u2") == []
    assert await store.get_environment(environment_id="unused") is None


async def test_sign_up_with_a_new_domain_founds_the_environment_as_admin(store: GraphStore) -> None:
    founder = await store.sign_up(
        user_id="u1",
        environment_id="e9",
        environment_name="new.example",
        email="boss@new.example",
        username="boss",
        name="Boss",
        password_hash="x",
        at=T0,
    )
    assert (founder.environment_id, founder.role) == ("e9", Role.ADMIN)
    created = await store.get_environment(environment_id="e9")
    assert created is not None
    assert created.email_domain == "new.example"


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


async def test_visibility_covers_own_partnered_and_accessed_environments(store: GraphStore) -> None:
    for e in ("e1", "e2", "e3"):
        await env(store, e)
        await user(store, f"{e}_admin", e)
        await org(store, f"{e}_org", e)
    await partnership(store, "p12", "e1_admin", "e2_admin")
    found = {
        loc.id: loc
        for loc in await store.locate(
            viewer_id="e1_admin", ids=["e1_org", "e2_admin", "e3_org", "e3", "p12", "missing"]
        )
    }
    assert set(found) == {"e1_org", "e2_admin", "e3_org", "e3", "p12"}
    assert found["e1_org"].visible
    assert found["e2_admin"].visible
    assert (found["e2_admin"].label, found["e2_admin"].environment_id) == ("User", "e2")
    assert not found["e3_org"].visible
    assert not found["e3"].visible
    assert found["p12"].label == "Partnership"
    everything = await store.locate(viewer_id=None, ids=["e3_org"])
    assert everything[0].visible


async def test_users_are_searched_and_paged_in_id_order(store: GraphStore) -> None:
    await env(store, "e1")
    for i in range(7):
        await user(store, f"u{i}", "e1", name="Jansen" if i % 2 else "De Vries")
    first = await store.list_users(environment_id="e1", search=None, first=3, after=None)
    assert [u.id for u in first.items] == ["u0", "u1", "u2"]
    assert first.has_next_page
    rest = await store.list_users(environment_id="e1", search=None, first=5, after=first.end_cursor)
    assert [u.id for u in rest.items] == ["u3", "u4", "u5", "u6"]
    assert not rest.has_next_page
    jansens = await store.list_users(environment_id="e1", search="jANS", first=10, after=None)
    assert [u.id for u in jansens.items] == ["u1", "u3", "u5"]
    by_mail = await store.list_users(environment_id="e1", search="U4@", first=10, after=None)
    assert [u.id for u in by_mail.items] == ["u4"]
