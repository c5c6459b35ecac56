"""Maintenance windows (DESIGN §3.5): scheduling, countdown and warning, the gate, what stays open.

The rules span the maintenance service and the store, so each test drives an
:class:`~graph_engine.services.Engine` over the ``store`` fixture (both stores)
with a :class:`~graph_engine.clock.ManualClock`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import edge_count, env, node_count, user

from graph_engine import ids
from graph_engine.clock import ManualClock
from graph_engine.errors import GraphEngineError
from graph_engine.model import Principal, PrincipalKind, Role
from graph_engine.security import hash_password
from graph_engine.services import Engine
from graph_engine.services.identity_policy import SessionPolicy
from graph_engine.services.maintenance import MaintenanceState
from graph_engine.store.base import GraphStore

LONG_SESSIONS = SessionPolicy(idle=timedelta(days=3650), lifetime=timedelta(days=3650))

PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD)
LOCKED_OUT = (Role.USER, Role.ADVANCED_USER, Role.CLIENT, Role.CANDIDATE)


async def cast(store: GraphStore) -> None:
    """Environment ``e`` with one user per role (``admin`` first, so ADMIN); ``f`` beside it."""
    await env(store, "e")
    await env(store, "f")
    await user(store, "admin", "e", password_hash=PASSWORD_HASH)
    for role in (Role.CONSULTANT, *LOCKED_OUT):
        await user(store, role.lower(), "e", role, password_hash=PASSWORD_HASH)
    await user(store, "fadmin", "f", password_hash=PASSWORD_HASH)


async def as_user(engine: Engine, user_id: str, environment_id: str = "e") -> Principal:
    token, _ = await engine.identity.login(f"{user_id}@{environment_id}.example", PASSWORD)
    return await engine.identity.authenticate(token)


async def refused(code: str, awaitable: object) -> GraphEngineError:
    with pytest.raises(GraphEngineError) as err:
        await awaitable  # type: ignore[misc]
    assert err.value.code == code, err.value
    return err.value


@pytest.fixture
async def engine(store: GraphStore, clock: ManualClock) -> Engine:
    await cast(store)
    # The stories jump hours and days ahead; sessions are not what they test, so they
    # last (their expiry has its own tests).
    return Engine(store, clock, sessions=LONG_SESSIONS)


async def test_a_window_starts_at_least_ten_minutes_ahead_and_has_no_maximum(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    now = clock.now()
    err = await refused(
        "INVALID_INPUT",
        engine.maintenance.schedule(admin, "e", now + timedelta(minutes=9, seconds=59)),
    )
    earliest = (now + timedelta(minutes=10)).isoformat()
    assert err.details == {"field": "startsAt", "earliest": earliest}
    assert earliest in err.message
    assert await node_count(engine.store, "MaintenanceWindow") == 0

    window = await engine.maintenance.schedule(admin, "e", now + timedelta(minutes=10))
    assert (window.environment_id, window.starts_at, window.ended_at, window.created_by) == (
        "e",
        now + timedelta(minutes=10),
        None,
        "admin",
    )
    await engine.maintenance.end(admin, "e")
    far = await engine.maintenance.schedule(admin, "e", now + timedelta(days=5 * 365))
    assert far.starts_at == now + timedelta(days=5 * 365)


async def test_only_admins_and_consultants_of_the_environment_schedule_or_end(
    engine: Engine, clock: ManualClock
) -> None:
    soon = clock.now() + timedelta(hours=1)
    for role in LOCKED_OUT:
        caller = await as_user(engine, role.lower())
        await refused("FORBIDDEN", engine.maintenance.schedule(caller, "e", soon))
        await refused("FORBIDDEN", engine.maintenance.end(caller, "e"))
    outsider = await as_user(engine, "fadmin", "f")
    # Another tenant's environment is out of reach: the same as one that does not exist.
    await refused("NOT_FOUND", engine.maintenance.schedule(outsider, "e", soon))
    assert await node_count(engine.store, "MaintenanceWindow") == 0

    consultant = await as_user(engine, "consultant")
    await engine.maintenance.schedule(consultant, "e", soon)
    ended = await engine.maintenance.end(await as_user(engine, "admin"), "e")
    assert ended.ended_at == clock.now()


async def test_an_environment_has_one_open_window_until_it_is_ended(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    first = await engine.maintenance.schedule(admin, "e", clock.now() + timedelta(hours=1))
    err = await refused(
        "CONSTRAINT_VIOLATION",
        engine.maintenance.schedule(admin, "e", clock.now() + timedelta(hours=2)),
    )
    assert err.details == {"environment": "e", "window": first.id}
    # another environment is not affected
    fadmin = await as_user(engine, "fadmin", "f")
    await engine.maintenance.schedule(fadmin, "f", clock.now() + timedelta(hours=1))

    await engine.maintenance.end(admin, "e")
    await refused("NOT_FOUND", engine.maintenance.end(admin, "e"))
    again = await engine.maintenance.schedule(admin, "e", clock.now() + timedelta(hours=2))
    assert again.id != first.id
    assert await node_count(engine.store, "MaintenanceWindow") == 3


async def test_nothing_ends_a_window_but_end_maintenance(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    await engine.maintenance.schedule(admin, "e", clock.now() + timedelta(minutes=10))
    clock.advance(timedelta(days=400))
    assert (await engine.maintenance.status(admin)).state is MaintenanceState.ACTIVE
    await refused("MAINTENANCE", engine.identity.login("user@e.example", PASSWORD))


async def test_the_warning_shows_within_24_hours_once_per_user(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    candidate = await as_user(engine, "candidate")
    client = await as_user(engine, "client")
    start = clock.now() + timedelta(hours=48)
    await engine.maintenance.schedule(admin, "e", start)

    clock.set(start - timedelta(hours=25))
    early = await engine.maintenance.status(candidate)
    assert (early.state, early.seconds_remaining, early.show_warning) == (
        MaintenanceState.SCHEDULED,
        25 * 3600,
        False,
    )
    assert early.window is not None
    assert early.window.starts_at == start
    assert await engine.maintenance.acknowledge_warning(candidate) is False  # too early to count

    clock.set(start - timedelta(hours=23))
    assert (await engine.maintenance.status(candidate)).show_warning is True
    assert await engine.maintenance.acknowledge_warning(candidate) is True
    assert (await engine.maintenance.status(candidate)).show_warning is False
    assert await engine.maintenance.acknowledge_warning(candidate) is False
    clock.set(start - timedelta(minutes=1))
    later = await engine.maintenance.status(candidate)
    assert (later.show_warning, later.seconds_remaining) == (False, 60)
    # every other user still gets their own warning
    assert (await engine.maintenance.status(client)).show_warning is True
    assert await edge_count(engine.store, "WARNED_OF") == 1


async def test_at_the_start_locked_out_roles_are_refused_and_admins_work(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    consultant_token, _ = await engine.identity.login("consultant@e.example", PASSWORD)
    tokens = {}
    for role in LOCKED_OUT:
        tokens[role], _ = await engine.identity.login(f"{role.lower()}@e.example", PASSWORD)
    admin_token, _ = await engine.identity.login("admin@e.example", PASSWORD)
    start = clock.now() + timedelta(hours=1)
    window = await engine.maintenance.schedule(admin, "e", start)

    clock.set(start - timedelta(seconds=1))
    for token in tokens.values():
        await engine.identity.authenticate(token)

    clock.set(start)
    for role, token in tokens.items():
        err = await refused("MAINTENANCE", engine.identity.authenticate(token))
        assert err.details == {
            "environment": "e",
            "window": window.id,
            "startsAt": start.isoformat(),
            # scheduled without an expected end: it is not known, and so no retry time
            "expectedEndAt": None,
            "retryAfter": None,
            "principal": "USER",
        }
        await refused("MAINTENANCE", engine.identity.login(f"{role.lower()}@e.example", PASSWORD))
    for token in (admin_token, consultant_token):
        exempt = await engine.identity.authenticate(token)
        status = await engine.maintenance.status(exempt)
        assert status.state is MaintenanceState.ACTIVE
        assert status.banner is not None
        assert start.isoformat() in status.banner
    await engine.identity.login("consultant@e.example", PASSWORD)
    # a wrong password is still just a wrong password
    await refused("UNAUTHENTICATED", engine.identity.login("user@e.example", "wrong password"))
    # the other environment is not in maintenance
    await as_user(engine, "fadmin", "f")


async def test_machine_keys_during_a_window(engine: Engine, clock: ManualClock) -> None:
    keys = {}
    for name, kind, environment in (
        ("backoffice", PrincipalKind.BACKOFFICE, "e"),
        ("integration", PrincipalKind.INTEGRATION, "e"),
        ("operator", PrincipalKind.OPERATOR, None),
    ):
        _, keys[name] = await engine.identity.issue_api_key(kind, name, environment)
    # Integration keys are bound to an environment now; one from before is kept as it was.
    await refused(
        "INVALID_INPUT", engine.identity.issue_api_key(PrincipalKind.INTEGRATION, "u", None)
    )
    keys["unbound"] = "gek_unbound-legacy-key"
    await engine.store.create_api_key(
        key_id="key_unbound",
        kind=PrincipalKind.INTEGRATION,
        name="unbound",
        key_hash=ids.token_hash(keys["unbound"]),
        environment_id=None,
        at=clock.now(),
    )
    start = clock.now() + timedelta(minutes=10)
    await engine.maintenance.schedule(await as_user(engine, "admin"), "e", start)
    clock.set(start)
    err = await refused("MAINTENANCE", engine.identity.authenticate(keys["integration"]))
    assert err.details["principal"] == "INTEGRATION"
    for name in ("backoffice", "unbound", "operator"):
        await engine.identity.authenticate(keys[name])
    # an unbound integration key reaches no environment: it cannot act inside one either
    unbound = await engine.identity.authenticate(keys["unbound"])
    await refused(
        "NOT_FOUND", engine.maintenance.submit_application(unbound, "e", "Job", "j@x.example")
    )
    assert await node_count(engine.store, "Application") == 0


async def test_applications_and_activations_work_during_a_window(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    new = await engine.provisioning.create_user(
        admin,
        environment_id="e",
        email="new@e.example",
        name="New",
        role=Role.CANDIDATE,
        password=None,
    )
    token = await engine.identity.create_activation_token(admin, new.id)
    start = clock.now() + timedelta(minutes=10)
    await engine.maintenance.schedule(admin, "e", start)
    clock.set(start + timedelta(hours=1))

    application = await engine.maintenance.submit_application(
        None, "e", "Jan Jansen", "Jan@Mail.example"
    )
    assert (application.environment_id, application.email, application.created_at) == (
        "e",
        "jan@mail.example",
        clock.now(),
    )
    data = await engine.store.export_graph()
    assert [n.props["name"] for n in data.nodes if n.label == "Application"] == ["Jan Jansen"]
    assert ("TO", application.id, "e") in {(r.type, r.start, r.end) for r in data.relationships}

    activated = await engine.identity.activate_account(token, "quiet rivers flow north")
    assert activated.id == new.id
    await refused("MAINTENANCE", engine.identity.login("new@e.example", "quiet rivers flow north"))

    await engine.maintenance.end(admin, "e")
    await engine.identity.login("new@e.example", "quiet rivers flow north")
    for role in LOCKED_OUT:
        await engine.identity.login(f"{role.lower()}@e.example", PASSWORD)
    assert (await engine.maintenance.status(admin)).state is MaintenanceState.NONE


async def test_an_activation_token_works_once_and_for_seven_days(
    engine: Engine, clock: ManualClock
) -> None:
    admin = await as_user(engine, "admin")
    await refused("CONSTRAINT_VIOLATION", engine.identity.create_activation_token(admin, "user"))
    for email in ("a@e.example", "b@e.example"):
        await engine.provisioning.create_user(
            admin, environment_id="e", email=email, name="N", role=Role.USER, password=None
        )
    a = await engine.store.get_credentials(email="a@e.example")
    b = await engine.store.get_credentials(email="b@e.example")
    assert a is not None
    assert b is not None
    await refused(
        "FORBIDDEN",
        engine.identity.create_activation_token(await as_user(engine, "user"), a.user_id),
    )
    token_a = await engine.identity.create_activation_token(admin, a.user_id)
    token_b = await engine.identity.create_activation_token(admin, b.user_id)
    await engine.identity.activate_account(token_a, "orange kites over the dunes")
    await refused(
        "UNAUTHENTICATED", engine.identity.activate_account(token_a, "silver moths at dusk tonight")
    )
    await engine.identity.login("a@e.example", "orange kites over the dunes")

    clock.advance(timedelta(days=7, seconds=1))
    await refused(
        "UNAUTHENTICATED", engine.identity.activate_account(token_b, "violet lanterns glowing late")
    )
    renewed = await engine.identity.create_activation_token(admin, b.user_id)
    await engine.identity.activate_account(renewed, "amber trains arriving on time")


async def test_principals_carry_their_environments_open_window(
    engine: Engine, clock: ManualClock
) -> None:
    store = engine.store
    admin = await as_user(engine, "admin")
    assert admin.maintenance is None
    window = await engine.maintenance.schedule(admin, "e", clock.now() + timedelta(days=2))
    _, key = await engine.identity.issue_api_key(PrincipalKind.BACKOFFICE, "b", "e")
    for principal in (
        await as_user(engine, "candidate"),
        await engine.identity.authenticate(key),
    ):
        assert principal.maintenance == window
    credentials = await store.get_credentials(email="client@e.example")
    assert credentials is not None
    assert (credentials.role, credentials.maintenance) == (Role.CLIENT, window)
    assert (await as_user(engine, "fadmin", "f")).maintenance is None

    assert await store.get_maintenance(environment_id="e", user_id=None) == (window, False)
    await engine.maintenance.end(admin, "e")
    assert await store.get_maintenance(environment_id="e", user_id=None) is None
    assert (await as_user(engine, "candidate")).maintenance is None


async def test_a_fresh_session_carries_the_window_and_the_warning_as_status_reads_them(
    engine: Engine, clock: ManualClock
) -> None:
    """The API reads the window with the session (one round trip): the same window and
    the same warning as reading it apart, on either store."""
    admin = await as_user(engine, "admin")
    start = clock.now() + timedelta(hours=20)
    window = await engine.maintenance.schedule(admin, "e", start)
    token, _ = await engine.identity.login("candidate@e.example", PASSWORD)
    fresh = await engine.identity.authenticate(token)
    assert fresh.maintenance == window
    assert fresh.warned is False
    apart = await engine.maintenance.status(fresh)
    assert await engine.maintenance.status(fresh, fresh=True) == apart
    assert apart.show_warning is True
    assert await engine.maintenance.acknowledge_warning(fresh) is True
    again = await engine.identity.authenticate(token)
    assert again.warned is True
    assert (await engine.maintenance.status(again, fresh=True)).show_warning is False
    assert await engine.maintenance.status(again) == await engine.maintenance.status(
        again, fresh=True
    )
