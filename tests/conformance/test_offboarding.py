"""Offboarding rules (DESIGN §3.3, the Carerix article) on both stores, through the services."""

from __future__ import annotations

import pytest
from builders import T0, edge_count, env, node_count, partnership, user

from graph_engine.clock import ManualClock
from graph_engine.errors import GraphEngineError
from graph_engine.model import (
    FORWARD_NOTE,
    FORWARD_NOTE_EN,
    DossierFilter,
    MailOutcome,
    PageRequest,
    Principal,
    PrincipalKind,
    Role,
    User,
)
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore


def me(u: User) -> Principal:
    return Principal(kind=PrincipalKind.USER, id=u.id, environment_id=u.environment_id, user=u)


async def office(store: GraphStore, seat_limit: int | None = None) -> tuple[Engine, User, User]:
    """Environment e1 with its ADMIN 'boss' (Bea Baas) and a user 'piet' (Piet Jansen)."""
    await env(store, "e1", seat_limit=seat_limit)
    boss = await user(store, "boss", "e1", name="Bea Baas")
    piet = await user(store, "piet", "e1", name="Piet Jansen")
    return Engine(store, ManualClock(T0)), boss, piet


async def fails(code: str, work: object) -> GraphEngineError:
    with pytest.raises(GraphEngineError) as err:
        await work  # type: ignore[misc]
    assert err.value.code == code, err.value
    return err.value


async def test_deactivation_blocks_login_and_ends_open_sessions(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await store.create_session(session_id="s1", user_id="piet", token_hash="h1", at=T0)
    done = await engine.offboarding.deactivate_user(me(boss), "piet")
    assert (done.active, done.login_blocked) == (False, True)
    session = await store.resolve_session(token_hash="h1")
    assert session is not None
    assert session.invalidated_reason is not None
    assert "deactivated" in session.invalidated_reason
    credentials = await store.get_credentials(email="piet@e1.example")
    assert credentials is not None
    assert (credentials.active, credentials.login_blocked) == (False, True)
    # history is kept: the user is still there
    assert await node_count(store, "User") == 2


async def test_reactivation_means_active_and_unblocked(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await engine.offboarding.deactivate_user(me(boss), "piet")
    again = await engine.offboarding.reactivate_user(me(boss), "piet")
    assert (again.active, again.login_blocked) == (True, False)


async def test_block_and_unblock_leave_active_as_it_is(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    blocked = await engine.offboarding.block_login(me(boss), "piet")
    assert (blocked.active, blocked.login_blocked) == (True, True)
    free = await engine.offboarding.unblock_login(me(boss), "piet")
    assert (free.active, free.login_blocked) == (True, False)


async def test_an_admin_cannot_deactivate_or_block_themself(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await fails("CONSTRAINT_VIOLATION", engine.offboarding.deactivate_user(me(boss), "boss"))
    await fails("CONSTRAINT_VIOLATION", engine.offboarding.block_login(me(boss), "boss"))
    still = await store.get_user(user_id="boss")
    assert still is not None
    assert (still.active, still.login_blocked) == (True, False)


async def test_only_admins_of_the_environment_offboard(store: GraphStore) -> None:
    engine, _, piet = await office(store)
    await user(store, "kees", "e1")
    await env(store, "e2")
    stranger = await user(store, "x", "e2")
    await fails("FORBIDDEN", engine.offboarding.deactivate_user(me(piet), "kees"))
    await fails("NOT_FOUND", engine.offboarding.deactivate_user(me(stranger), "kees"))
    await fails("FORBIDDEN", engine.offboarding.seat_usage(me(piet), "e1"))
    kees = await store.get_user(user_id="kees")
    assert kees is not None
    assert kees.active


async def test_seats_count_active_users_only(store: GraphStore) -> None:
    engine, boss, _ = await office(store, seat_limit=2)
    usage = await engine.offboarding.seat_usage(me(boss), "e1")
    assert (usage.limit, usage.active, usage.inactive) == (2, 2, 0)
    err = await fails("SEAT_LIMIT_REACHED", user(store, "kees", "e1"))
    assert err.message == "the maximum number of active users (2) has been reached"
    await engine.offboarding.deactivate_user(me(boss), "piet")
    usage = await engine.offboarding.seat_usage(me(boss), "e1")
    assert (usage.active, usage.inactive) == (1, 1)
    await user(store, "kees", "e1")  # the freed seat
    err = await fails("SEAT_LIMIT_REACHED", engine.offboarding.reactivate_user(me(boss), "piet"))
    assert err.message == "the maximum number of active users (2) has been reached"
    piet = await store.get_user(user_id="piet")
    assert piet is not None
    assert (piet.active, piet.login_blocked) == (False, True)  # nothing changed
    await engine.offboarding.deactivate_user(me(boss), "kees")
    back = await engine.offboarding.reactivate_user(me(boss), "piet")
    assert back.active


async def test_unblocking_an_active_user_needs_no_free_seat(store: GraphStore) -> None:
    engine, boss, _ = await office(store, seat_limit=2)
    await engine.offboarding.block_login(me(boss), "piet")
    assert not (await engine.offboarding.unblock_login(me(boss), "piet")).login_blocked


async def test_nothing_is_assigned_to_an_inactive_user(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await user(store, "kees", "e1")
    await engine.offboarding.create_dossier(me(boss), "Dossier 1", "CANDIDATE", "kees")
    await engine.offboarding.deactivate_user(me(boss), "piet")
    await fails(
        "CONSTRAINT_VIOLATION",
        engine.offboarding.create_dossier(me(boss), "D", "CANDIDATE", "piet"),
    )
    await fails(
        "CONSTRAINT_VIOLATION",
        engine.offboarding.reassign_dossiers(
            me(boss),
            environment_id=None,
            where=DossierFilter(responsible_id="kees"),
            dossier_ids=None,
            to_user_id="piet",
            take_over=False,
        ),
    )
    await fails("CONSTRAINT_VIOLATION", engine.offboarding.set_reports_to(me(boss), "kees", "piet"))
    page = await engine.offboarding.dossiers(
        me(boss), None, DossierFilter("kees"), PageRequest(first=10)
    )
    assert [d.responsible_id for d in page.items] == ["kees"]
    assert await node_count(store, "Dossier") == 1


async def dossiers_of(engine: Engine, boss: User, responsible: str) -> list[str]:
    page = await engine.offboarding.dossiers(
        me(boss), None, DossierFilter(responsible), PageRequest(first=500)
    )
    return [d.id for d in page.items]


async def test_reassign_by_equal_and_by_contains_subset_or_all(store: GraphStore) -> None:
    engine, boss, piet = await office(store)
    await user(store, "kees", "e1", name="Kees de Vries")
    await user(store, "pieter", "e1", name="Pieter Post")  # also matches "piet"
    made = [
        (await engine.offboarding.create_dossier(me(boss), f"D{i}", "CANDIDATE", owner)).id
        for i, owner in enumerate(["piet"] * 4 + ["pieter"] * 2 + ["kees"])
    ]
    await engine.offboarding.deactivate_user(me(boss), "piet")
    # responsible equals piet, a chosen subset of two, to kees
    chosen = sorted(await dossiers_of(engine, boss, "piet"))[:2]
    moved = await engine.offboarding.reassign_dossiers(
        me(boss),
        environment_id=None,
        where=DossierFilter(responsible_id="piet"),
        dossier_ids=[*chosen, made[6]],  # kees's dossier does not match the filter: untouched
        to_user_id="kees",
        take_over=False,
    )
    assert moved == 2
    assert sorted(await dossiers_of(engine, boss, "kees")) == sorted([*chosen, made[6]])
    # responsible contains "PIET" (case-insensitive): the other two of piet and pieter's two
    contains = await engine.offboarding.dossiers(
        me(boss), None, DossierFilter(responsible_name_contains="PIET"), PageRequest(first=500)
    )
    assert len(contains.items) == 4
    moved = await engine.offboarding.reassign_dossiers(
        me(boss),
        environment_id=None,
        where=DossierFilter(responsible_name_contains="PIET"),
        dossier_ids=None,
        to_user_id=None,
        take_over=True,
    )
    assert moved == 4
    assert len(await dossiers_of(engine, boss, "boss")) == 4
    assert await dossiers_of(engine, boss, "piet") == []
    assert await edge_count(store, "RESPONSIBLE") == 7  # exactly one each
    assert piet.id == "piet"


async def test_another_environments_dossier_cannot_be_chosen_and_nothing_is_written(
    store: GraphStore,
) -> None:
    """An ADMIN names a dossier of an environment they do not run (a partner's, here):
    NOT_FOUND, word for word as for an unknown id, and no write (so no audit event)."""
    engine, boss, _ = await office(store)
    await env(store, "e2")
    wendy = await user(store, "wendy", "e2", Role.ADMIN)
    await partnership(store, "p", "boss", "wendy")
    theirs = (await engine.offboarding.create_dossier(me(wendy), "F", "CANDIDATE", "wendy")).id
    before = await store.export_graph()
    for chosen in (theirs, "dos_0000000000000000"):
        err = await fails(
            "NOT_FOUND",
            engine.offboarding.reassign_dossiers(
                me(boss),
                environment_id=None,
                where=DossierFilter(),
                dossier_ids=[chosen],
                to_user_id=None,
                take_over=True,
            ),
        )
        assert err.message == f"Dossier {chosen} does not exist"
    assert await store.export_graph() == before


@pytest.mark.parametrize("role", [Role.CLIENT, Role.CANDIDATE])
async def test_an_agencys_clients_and_candidates_neither_list_nor_create_dossiers(
    store: GraphStore, role: Role
) -> None:
    engine, boss, _ = await office(store)
    await engine.offboarding.create_dossier(me(boss), "Fatima", "CANDIDATE", "piet")
    outside = await user(store, "karim", "e1", role)
    await fails(
        "FORBIDDEN",
        engine.offboarding.dossiers(me(outside), None, DossierFilter(), PageRequest(first=10)),
    )
    await fails(
        "FORBIDDEN", engine.offboarding.create_dossier(me(outside), "x", "CANDIDATE", "piet")
    )
    assert await node_count(store, "Dossier") == 1


async def test_reassign_needs_a_selection_and_one_target(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    for where, to, take in [
        (DossierFilter(), "piet", False),
        (DossierFilter("piet"), None, False),
        (DossierFilter("piet"), "piet", True),
    ]:
        await fails(
            "INVALID_INPUT",
            engine.offboarding.reassign_dossiers(
                me(boss),
                environment_id=None,
                where=where,
                dossier_ids=None,
                to_user_id=to,
                take_over=take,
            ),
        )


async def test_mail_goes_to_the_user_then_forwarded_then_nowhere(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await engine.offboarding.set_reports_to(me(boss), "piet", "boss")
    route = await engine.offboarding.route_mail(me(boss), "piet@e1.example")
    assert route.outcome is MailOutcome.DELIVERED
    assert route.deliver_to is not None
    assert route.deliver_to.id == "piet"
    await engine.offboarding.deactivate_user(me(boss), "piet")
    route = await engine.offboarding.route_mail(me(boss), "Piet@E1.example")
    assert route.outcome is MailOutcome.FORWARDED
    assert route.deliver_to is not None
    assert route.deliver_to.id == "boss"
    assert route.forwarded_from is not None
    assert route.forwarded_from.id == "piet"
    assert (route.note, route.note_en) == (FORWARD_NOTE, FORWARD_NOTE_EN)
    # removing the mail settings stops the forwarding
    await engine.offboarding.update_mail_settings(me(boss), "piet", False)
    route = await engine.offboarding.route_mail(me(boss), "piet@e1.example")
    assert (route.outcome, route.deliver_to) == (MailOutcome.NO_RECIPIENT, None)
    # so does renaming, even with the settings back on
    await engine.offboarding.update_mail_settings(me(boss), "piet", True)
    await engine.offboarding.rename_user(me(boss), "piet", "piet_verwijderd")
    route = await engine.offboarding.route_mail(me(boss), "piet@e1.example")
    assert (route.outcome, route.deliver_to) == (MailOutcome.NO_RECIPIENT, None)


async def test_an_inactive_user_without_a_manager_gets_no_mail(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await engine.offboarding.deactivate_user(me(boss), "piet")
    route = await engine.offboarding.route_mail(me(boss), "piet@e1.example")
    assert route.outcome is MailOutcome.NO_RECIPIENT


async def test_mail_routing_is_for_the_environment_that_owns_the_domain(store: GraphStore) -> None:
    engine, _, piet = await office(store)
    await env(store, "e2")
    other_admin = await user(store, "x", "e2")
    await fails("FORBIDDEN", engine.offboarding.route_mail(me(other_admin), "piet@e1.example"))
    await fails("FORBIDDEN", engine.offboarding.route_mail(me(piet), "piet@e1.example"))
    await fails("INVALID_INPUT", engine.offboarding.route_mail(me(piet), "not an address"))
    operator = Principal(kind=PrincipalKind.OPERATOR, id="op", environment_id=None)
    found = await engine.offboarding.route_mail(operator, "piet@e1.example")
    assert found.outcome is MailOutcome.DELIVERED
    gateway = Principal(kind=PrincipalKind.INTEGRATION, id="k", environment_id="e1")
    assert (await engine.offboarding.route_mail(gateway, "nobody@e1.example")).outcome is (
        MailOutcome.NO_RECIPIENT
    )


async def test_reports_to_is_one_active_user_of_the_same_environment(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await user(store, "kees", "e1", Role.ADVANCED_USER)
    await env(store, "e2")
    await user(store, "x", "e2")
    await engine.offboarding.set_reports_to(me(boss), "piet", "boss")
    await engine.offboarding.set_reports_to(me(boss), "piet", "kees")
    assert await store.get_reports_to(user_id="piet") == "kees"
    assert await edge_count(store, "REPORTS_TO") == 1
    # A user of an unrelated environment is out of reach: as if there were none.
    await fails("NOT_FOUND", engine.offboarding.set_reports_to(me(boss), "piet", "x"))
    # A partner's user is within reach, and still of another environment.
    await env(store, "e3")
    await user(store, "y", "e3", Role.ADMIN)
    await partnership(store, "p13", "boss", "y")
    await fails("CONSTRAINT_VIOLATION", engine.offboarding.set_reports_to(me(boss), "piet", "y"))
    await fails("INVALID_INPUT", engine.offboarding.set_reports_to(me(boss), "piet", "piet"))
    await fails("NOT_FOUND", engine.offboarding.set_reports_to(me(boss), "piet", "ghost"))
    assert await store.get_reports_to(user_id="piet") == "kees"
    await engine.offboarding.set_reports_to(me(boss), "piet", None)
    assert await store.get_reports_to(user_id="piet") is None


async def test_usernames_are_unique_within_an_environment(store: GraphStore) -> None:
    engine, boss, _ = await office(store)
    await fails("CONSTRAINT_VIOLATION", engine.offboarding.rename_user(me(boss), "piet", "boss"))
    await fails("INVALID_INPUT", engine.offboarding.rename_user(me(boss), "piet", "has space"))
    renamed = await engine.offboarding.rename_user(me(boss), "piet", "piet_verwijderd")
    assert renamed.username == "piet_verwijderd"
