"""Sessions, API keys and credentials."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import T0, env, node_count, raw_user, user

from graph_engine.clock import ManualClock
from graph_engine.errors import GraphEngineError
from graph_engine.model import PrincipalKind, Role
from graph_engine.services import Engine
from graph_engine.services.identity_policy import LoginThrottle
from graph_engine.store.base import GraphStore


async def test_a_session_resolves_to_its_user_read_live(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1", password_hash="hash")
    await store.create_session(session_id="s1", user_id="u1", token_hash="t1", at=T0)
    principal = await store.resolve_session(token_hash="t1")
    assert principal is not None
    assert (principal.kind, principal.id, principal.session_id) == (PrincipalKind.USER, "u1", "s1")
    assert principal.user is not None
    assert principal.user.role is Role.ADMIN
    await user(store, "u2", "e1")
    await store.set_user_role(user_id="u2", role=Role.ADMIN)
    await store.set_user_role(user_id="u1", role=Role.USER)
    again = await store.resolve_session(token_hash="t1")
    assert again is not None
    assert again.user is not None
    assert again.user.role is Role.USER
    assert await store.resolve_session(token_hash="other") is None


async def test_an_ended_session_says_why(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1")
    await store.create_session(session_id="s1", user_id="u1", token_hash="t1", at=T0)
    assert await store.end_session(token_hash="t1", at=T0, reason="logged out") is True
    assert await store.end_session(token_hash="t1", at=T0, reason="again") is False
    principal = await store.resolve_session(token_hash="t1")
    assert principal is not None
    assert principal.invalidated_reason == "logged out"


async def test_a_session_for_an_unknown_user_is_refused(store: GraphStore) -> None:
    with pytest.raises(GraphEngineError) as err:
        await store.create_session(session_id="s1", user_id="nobody", token_hash="t1", at=T0)
    assert err.value.code == "NOT_FOUND"
    assert await store.resolve_session(token_hash="t1") is None


async def test_credentials_are_found_by_email_in_any_case(store: GraphStore) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1", password_hash="argon-hash")
    await raw_user(store, "u2", "e1", active=False, loginBlocked=True, passwordHash="h2")
    found = await store.get_credentials(email="U1@E1.example")
    assert found is not None
    assert (found.user_id, found.password_hash, found.active, found.login_blocked) == (
        "u1",
        "argon-hash",
        True,
        False,
    )
    blocked = await store.get_credentials(email="u2@e1.example")
    assert blocked is not None
    assert (blocked.active, blocked.login_blocked) == (False, True)
    assert await store.get_credentials(email="nobody@e1.example") is None


async def test_api_keys_resolve_to_their_principal(store: GraphStore) -> None:
    await env(store, "e1")
    await store.create_api_key(
        key_id="k1",
        kind=PrincipalKind.OPERATOR,
        name="ops",
        key_hash="h1",
        environment_id=None,
        at=T0,
    )
    await store.create_api_key(
        key_id="k2",
        kind=PrincipalKind.INTEGRATION,
        name="link",
        key_hash="h2",
        environment_id="e1",
        at=T0,
    )
    operator = await store.resolve_api_key(key_hash="h1")
    integration = await store.resolve_api_key(key_hash="h2")
    assert operator is not None
    assert integration is not None
    assert (operator.kind, operator.id, operator.environment_id) == (
        PrincipalKind.OPERATOR,
        "k1",
        None,
    )
    assert (integration.kind, integration.environment_id) == (PrincipalKind.INTEGRATION, "e1")
    assert await store.resolve_api_key(key_hash="h3") is None
    with pytest.raises(GraphEngineError) as err:
        await store.create_api_key(
            key_id="k3",
            kind=PrincipalKind.BACKOFFICE,
            name="x",
            key_hash="h3",
            environment_id="nope",
            at=T0,
        )
    assert err.value.code == "NOT_FOUND"
    assert await store.resolve_api_key(key_hash="h3") is None


async def test_failed_logins_are_counted_per_counter_with_a_doubling_capped_wait(
    store: GraphStore,
) -> None:
    later = T0 + timedelta(seconds=1)
    for _ in range(3):
        await store.record_login_failure(
            free={"acct": 3, "addr": 20},
            cap_seconds=60,
            forget_before=T0 - timedelta(days=1),
            at=T0,
        )
    assert await store.login_throttle(keys=["acct", "addr"], at=later) is None
    waits = []
    for _ in range(8):
        await store.record_login_failure(
            free={"acct": 3, "addr": 20},
            cap_seconds=60,
            forget_before=T0 - timedelta(days=1),
            at=T0,
        )
        waits.append(await store.login_throttle(keys=["acct", "addr"], at=T0))
    assert waits == [3, 5, 9, 17, 33, 61, 61, 61]  # 2, 4, 8 ... seconds, capped at 60 (+1)
    assert await store.login_throttle(keys=["addr"], at=T0) is None  # under its own limit
    assert await store.login_throttle(keys=["acct"], at=T0 + timedelta(seconds=61)) is None
    # An idle counter starts again; a cleared one is gone.
    await store.record_login_failure(
        free={"acct": 3}, cap_seconds=60, forget_before=T0 + timedelta(days=1), at=later
    )
    assert await store.login_throttle(keys=["acct"], at=later) is None
    await store.clear_login_failures(keys=["acct", "addr", "never"])
    assert await node_count(store, "LoginThrottle") == 0


async def test_many_accounts_guessed_from_one_address_slow_that_address_down(
    store: GraphStore,
) -> None:
    engine = Engine(store, ManualClock(T0), throttle=LoginThrottle(account_free=5, address_free=4))
    for i in range(5):
        with pytest.raises(GraphEngineError) as err:
            await engine.identity.login(f"person{i}@nowhere.example", "guess", "10.0.0.9")
        assert err.value.code == "UNAUTHENTICATED"
    with pytest.raises(GraphEngineError) as err:
        await engine.identity.login("person9@nowhere.example", "guess", "10.0.0.9")
    assert err.value.code == "TOO_MANY_ATTEMPTS"
    # Another address, the same guess: not slowed down.
    with pytest.raises(GraphEngineError) as err:
        await engine.identity.login("person9@nowhere.example", "guess", "10.0.0.10")
    assert err.value.code == "UNAUTHENTICATED"
