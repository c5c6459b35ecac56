"""Ownership rights, licences and process messages (DESIGN §3.2, the Easyflex article),
on both stores, through the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from builders import T0, edge_count, env, org, user

from graph_engine import ids
from graph_engine.clock import ManualClock
from graph_engine.errors import GraphEngineError
from graph_engine.model import Billing, Ownership, PageRequest, Principal, PrincipalKind, Role, User
from graph_engine.security import hash_password
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore

OPERATOR = Principal(kind=PrincipalKind.OPERATOR, id="key_ops", environment_id=None)


def me(u: User) -> Principal:
    return Principal(kind=PrincipalKind.USER, id=u.id, environment_id=u.environment_id, user=u)


async def fails(code: str, work: object) -> GraphEngineError:
    with pytest.raises(GraphEngineError) as err:
        await work  # type: ignore[misc]
    assert err.value.code == code, err.value
    return err.value


async def agency(
    store: GraphStore, billing: Billing = Billing.PER_LICENCE, anna_password: str | None = None
) -> tuple[Engine, ManualClock, User]:
    """Environment e1 (its ADMIN 'boss'), work companies w1 and w2.

    anna, bert, carl and dirk are employees; anna logs in with ``anna_password``.

    anna and bert have access to both, carl only to w1, and dirk (inactive) to both.
    """
    await env(store, "e1", billing=billing)
    boss = await user(store, "boss", "e1", Role.ADMIN)
    secret = hash_password(anna_password) if anna_password else None
    await user(store, "anna", "e1", password_hash=secret)
    for name in ("bert", "carl", "dirk"):
        await user(store, name, "e1")
    for company in ("w1", "w2"):
        await org(store, company, "e1")
    for name, companies in {
        "anna": "w1 w2",
        "bert": "w1 w2",
        "carl": "w1",
        "dirk": "w1 w2",
    }.items():
        for company in companies.split():
            await store.grant_access(user_id=name, organisation_id=company, role=Role.USER)
    await store.set_user_status(user_id="dirk", active=False, login_blocked=True, reason="", at=T0)
    clock = ManualClock(T0)
    return Engine(store, clock), clock, boss


def holders(found: list[Ownership]) -> dict[str, str]:
    return {o.work_company_id: o.holder_id for o in found}


async def test_by_default_every_employee_holds_their_own_rights(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    found = await engine.ownership.ownership_of(me(boss), "anna")
    assert found == [
        Ownership("anna", "w1", "anna", explicit=False),
        Ownership("anna", "w2", "anna", explicit=False),
    ]
    held = await engine.ownership.rights_held_by(me(boss), "anna", PageRequest(first=10))
    assert [(o.work_company_id, o.employee_id) for o in held.items] == [
        ("w1", "anna"),
        ("w2", "anna"),
    ]
    assert await edge_count(store, "HOLDS_RIGHTS_OF") == 0


async def test_transfer_moves_every_right_in_every_work_company(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.transfer(me(boss), "carl", "anna")  # carl's own, in w1
    done = await engine.ownership.transfer(me(boss), "anna", "bert")
    assert [(o.work_company_id, o.employee_id) for o in done.moved] == [
        ("w1", "anna"),
        ("w1", "carl"),
        ("w2", "anna"),
    ]
    assert holders(await engine.ownership.ownership_of(me(boss), "anna")) == {
        "w1": "bert",
        "w2": "bert",
    }
    assert holders(await engine.ownership.ownership_of(me(boss), "carl")) == {"w1": "bert"}
    held = await engine.ownership.rights_held_by(me(boss), "anna", PageRequest(first=10))
    assert held.items == []


async def test_transfer_of_listed_employees_in_listed_work_companies(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.transfer(me(boss), "carl", "anna")
    done = await engine.ownership.transfer(
        me(boss), "anna", "bert", employee_ids=["carl"], work_company_ids=["w1"]
    )
    assert [(o.employee_id, o.holder_id) for o in done.moved] == [("carl", "bert")]
    assert holders(await engine.ownership.ownership_of(me(boss), "anna")) == {
        "w1": "anna",
        "w2": "anna",
    }
    # rights given back to the employee are the default again: no edge is stored
    await engine.ownership.transfer(me(boss), "bert", "carl", employee_ids=["carl"])
    assert await edge_count(store, "HOLDS_RIGHTS_OF") == 0


async def test_a_transfer_in_one_work_company_leaves_the_other_and_release_lists_it(
    store: GraphStore,
) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.assign_licence(me(boss), "L-100", "anna", "w1")
    await engine.ownership.transfer(me(boss), "anna", "bert", work_company_ids=["w1"])
    assert holders(await engine.ownership.ownership_of(me(boss), "anna")) == {
        "w1": "bert",
        "w2": "anna",
    }
    err = await fails("CONSTRAINT_VIOLATION", engine.ownership.release_licence(me(boss), "anna"))
    assert err.details["workCompanies"] == ["w2"]
    assert "w2" in err.message
    assert (await engine.ownership.licence_of(me(boss), "anna")) is not None

    await engine.ownership.transfer(me(boss), "anna", "bert", work_company_ids=["w2"])
    released = await engine.ownership.release_licence(me(boss), "anna")
    assert (released.assigned_to, released.password_set, str(released.status)) == (
        None,
        False,
        "RELEASED",
    )
    assert await engine.ownership.licence_of(me(boss), "anna") is None
    # a released licence can be assigned to someone else (carl has no password yet)
    again = await engine.ownership.assign_licence(me(boss), "L-100", "carl", "w1")
    assert (again.assigned_to, again.password_set, again.started_at) == ("carl", False, T0)


async def test_a_released_licence_takes_the_password_and_the_sessions_with_it(
    store: GraphStore,
) -> None:
    engine, _, boss = await agency(store, anna_password="correct horse")
    await engine.ownership.assign_licence(me(boss), "L-9", "anna", "w1")
    await engine.identity.login("anna@e1.example", "correct horse")
    assert (await engine.ownership.licence_of(me(boss), "anna")).password_set  # type: ignore[union-attr]
    await engine.ownership.transfer(me(boss), "anna", "bert")
    # A session still open when the licence goes (opened here without a login, which
    # would take her rights back and block the release).
    token = "ges_still-open"
    await store.create_session(
        session_id="s_open", user_id="anna", token_hash=ids.token_hash(token), at=T0
    )
    await engine.identity.authenticate(token)
    released = await engine.ownership.release_licence(me(boss), "anna")
    assert released.password_set is False
    credentials = await store.get_credentials(email="anna@e1.example")
    assert credentials is not None
    assert credentials.password_hash is None  # the hash itself, not a flag
    await fails("SESSION_INVALIDATED", engine.identity.authenticate(token))
    await fails("UNAUTHENTICATED", engine.identity.login("anna@e1.example", "correct horse"))
    # A new licence alone does not let her in: she sets a new password first, herself.
    again = await engine.ownership.assign_licence(me(boss), "L-9", "anna", "w1")
    assert again.password_set is False
    # Not through an activation token: that would let an ADMIN choose her password and
    # log in as her.
    refused = await fails(
        "CONSTRAINT_VIOLATION", engine.identity.create_activation_token(me(boss), "anna")
    )
    assert "requestPasswordReset" in (refused.suggestion or "")
    # The reset code goes to her own address (here put in the store as the mail would).
    await store.set_reset_token(
        email="anna@e1.example", token_hash=ids.token_hash("grt_mailed"), at=T0
    )
    await engine.identity.reset_password("grt_mailed", "a new horse battery")
    await engine.identity.login("anna@e1.example", "a new horse battery")
    assert (await engine.ownership.licence_of(me(boss), "anna")).password_set  # type: ignore[union-attr]


async def test_login_needs_a_licence_only_where_licences_are_billed(store: GraphStore) -> None:
    engine, _, boss = await agency(store, anna_password="correct horse")
    err = await fails("LICENCE_REQUIRED", engine.identity.login("anna@e1.example", "correct horse"))
    assert "licence" in err.message
    # A wrong password never reveals whether a licence is missing.
    await fails("UNAUTHENTICATED", engine.identity.login("anna@e1.example", "wrong horse"))
    await engine.ownership.assign_licence(me(boss), "L-1", "anna", "w1")
    await engine.identity.login("anna@e1.example", "correct horse")

    await store.clear()
    engine, _, boss = await agency(
        store, billing=Billing.PER_PROCESSED_HOUR, anna_password="correct horse"
    )
    await engine.identity.login("anna@e1.example", "correct horse")


async def test_release_counts_rights_of_others_the_user_holds(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.assign_licence(me(boss), "L-7", "bert", "w1")
    await engine.ownership.transfer(me(boss), "bert", "anna")  # bert's own rights go
    await engine.ownership.transfer(me(boss), "anna", "bert", employee_ids=["anna"])
    err = await fails("CONSTRAINT_VIOLATION", engine.ownership.release_licence(me(boss), "bert"))
    assert err.details["workCompanies"] == ["w1", "w2"]


@pytest.mark.parametrize(
    ("to", "companies", "code"),
    [
        ("dirk", None, "CONSTRAINT_VIOLATION"),  # inactive
        ("carl", ["w1", "w2"], "CONSTRAINT_VIOLATION"),  # no access to w2
        ("carl", None, "CONSTRAINT_VIOLATION"),  # no access to w2, where rights would move
        ("nobody", None, "NOT_FOUND"),
        ("bert", ["w9"], "NOT_FOUND"),
    ],
)
async def test_a_refused_transfer_changes_nothing_anywhere(
    store: GraphStore, to: str, companies: list[str] | None, code: str
) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.transfer(me(boss), "bert", "anna", work_company_ids=["w1"])
    before = await store.export_graph()
    err = await fails(
        code, engine.ownership.transfer(me(boss), "anna", to, work_company_ids=companies)
    )
    if to == "carl":
        assert err.details["workCompanies"] == ["w2"]
    assert await store.export_graph() == before


async def test_bad_transfer_input_is_refused(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    anna = await store.get_user(user_id="anna")
    assert anna is not None
    await fails("INVALID_INPUT", engine.ownership.transfer(me(boss), "anna", "anna"))
    await fails(
        "INVALID_INPUT", engine.ownership.transfer(me(boss), "anna", "bert", employee_ids=[])
    )
    await fails(
        "NOT_FOUND", engine.ownership.transfer(me(boss), "anna", "bert", employee_ids=["x"])
    )
    await fails("FORBIDDEN", engine.ownership.transfer(me(anna), "anna", "bert"))
    err = await fails(
        "CONSTRAINT_VIOLATION",
        engine.ownership.transfer(me(boss), "anna", "bert", employee_ids=["carl"]),
    )
    assert err.details["employees"] == ["carl"]
    assert await edge_count(store, "HOLDS_RIGHTS_OF") == 0


async def test_messages_go_to_the_holder_at_delivery_time_once(store: GraphStore) -> None:
    engine, clock, boss = await agency(store)
    night = datetime(2026, 1, 6, 2, 0, tzinfo=UTC)
    clock.set(night)
    created = await engine.ownership.run_nightly(OPERATOR, "e1", "Verloning")
    assert created == 7  # anna 2, bert 2, carl 1, dirk 2
    clock.set(night.replace(hour=15))  # the transfer at 15:00
    await engine.ownership.transfer(me(boss), "anna", "bert")
    clock.set(night + timedelta(days=1))  # the next night's delivery
    assert await engine.ownership.deliver(OPERATOR, "e1") == 7
    inbox = await engine.ownership.inbox(OPERATOR, "bert", PageRequest(first=50))
    about = sorted((m.employee_id, m.work_company_id) for m in inbox.items)
    assert about == [("anna", "w1"), ("anna", "w2"), ("bert", "w1"), ("bert", "w2")]
    assert all(m.delivered_to == "bert" for m in inbox.items)
    assert (await engine.ownership.inbox(OPERATOR, "anna", PageRequest(first=50))).items == []
    # repeated runs deliver nothing new; a later transfer never re-sends
    assert await engine.ownership.deliver(OPERATOR, "e1") == 0
    await engine.ownership.transfer(me(boss), "bert", "anna", employee_ids=["anna"])
    assert await engine.ownership.deliver(OPERATOR, None) == 0
    assert await edge_count(store, "DELIVERED_TO") == 7
    assert (await engine.ownership.inbox(OPERATOR, "anna", PageRequest(first=50))).items == []


async def test_messages_delivered_before_a_transfer_stay_with_the_old_holder(
    store: GraphStore,
) -> None:
    engine, clock, boss = await agency(store)
    await engine.ownership.run_nightly(OPERATOR, "e1", None)
    await engine.ownership.deliver(OPERATOR, "e1")  # the night: anna gets hers
    clock.advance(timedelta(hours=6))  # the morning transfer of the article
    await engine.ownership.transfer(me(boss), "anna", "bert")
    assert await engine.ownership.deliver(OPERATOR, "e1") == 0
    anna_inbox = await engine.ownership.inbox(OPERATOR, "anna", PageRequest(first=50))
    assert len(anna_inbox.items) == 2
    bert_inbox = await engine.ownership.inbox(OPERATOR, "bert", PageRequest(first=50))
    assert {m.employee_id for m in bert_inbox.items} == {"bert"}


async def test_only_operators_and_the_backoffice_key_run_the_night(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    await fails("FORBIDDEN", engine.ownership.run_nightly(me(boss), "e1", None))
    await fails("FORBIDDEN", engine.ownership.deliver(me(boss), "e1"))
    backoffice = Principal(kind=PrincipalKind.BACKOFFICE, id="key_bo", environment_id="e1")
    assert await engine.ownership.run_nightly(backoffice, None, None) == 7
    assert await engine.ownership.deliver(backoffice, None) == 7
    integration = Principal(kind=PrincipalKind.INTEGRATION, id="key_in", environment_id="e1")
    await fails("FORBIDDEN", engine.ownership.deliver(integration, "e1"))


LICENCE_START = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("requested", "effective"),
    [
        # within the minimum term: the end of the 12 months (Thursday 2026-03-12 09:00)
        (datetime(2025, 6, 1, 12, 0, tzinfo=UTC), datetime(2026, 3, 12, 9, 0, tzinfo=UTC)),
        (datetime(2026, 3, 5, 10, 0, tzinfo=UTC), datetime(2026, 3, 12, 9, 0, tzinfo=UTC)),
        # the next Monday falls after the term's end: the Monday
        (datetime(2026, 3, 10, 8, 0, tzinfo=UTC), datetime(2026, 3, 16, 0, 0, tzinfo=UTC)),
        # exactly at the term's end
        (datetime(2026, 3, 12, 9, 0, tzinfo=UTC), datetime(2026, 3, 16, 0, 0, tzinfo=UTC)),
        # a second before the week boundary, and exactly at it
        (datetime(2026, 3, 22, 23, 59, 59, tzinfo=UTC), datetime(2026, 3, 23, 0, 0, tzinfo=UTC)),
        (datetime(2026, 3, 23, 0, 0, tzinfo=UTC), datetime(2026, 3, 30, 0, 0, tzinfo=UTC)),
    ],
)
async def test_cancellation_takes_effect_after_the_minimum_term_per_week(
    store: GraphStore, requested: datetime, effective: datetime
) -> None:
    engine, clock, boss = await agency(store)
    clock.set(LICENCE_START)
    await engine.ownership.assign_licence(me(boss), "L-1", "carl", "w1")
    await engine.ownership.transfer(me(boss), "carl", "anna")
    await engine.ownership.release_licence(me(boss), "carl")
    clock.set(requested)
    answer = await engine.ownership.request_cancellation(me(boss), "L-1")
    assert answer.needed
    assert answer.effective_at == effective
    assert answer.licence is not None
    assert str(answer.licence.status) == "CANCELLED"
    # asking again gives the same date; a cancelled licence is not assigned again
    clock.advance(timedelta(days=30))
    assert (await engine.ownership.request_cancellation(me(boss), "L-1")).effective_at == effective
    await fails(
        "CONSTRAINT_VIOLATION", engine.ownership.assign_licence(me(boss), "L-1", "bert", "w1")
    )


async def test_a_term_started_on_29_february_ends_on_28_february(store: GraphStore) -> None:
    engine, clock, boss = await agency(store)
    clock.set(datetime(2024, 2, 29, 9, 0, tzinfo=UTC))
    await engine.ownership.assign_licence(me(boss), "L-2", "carl", "w1")
    await engine.ownership.transfer(me(boss), "carl", "anna")
    await engine.ownership.release_licence(me(boss), "carl")
    clock.set(datetime(2024, 6, 1, tzinfo=UTC))
    answer = await engine.ownership.request_cancellation(me(boss), "L-2")
    assert answer.effective_at == datetime(2025, 2, 28, 9, 0, tzinfo=UTC)


async def test_a_per_processed_hour_contract_needs_no_cancellation(store: GraphStore) -> None:
    engine, _, boss = await agency(store, Billing.PER_PROCESSED_HOUR)
    await engine.ownership.assign_licence(me(boss), "L-3", "carl", "w1")
    answer = await engine.ownership.request_cancellation(me(boss), "L-3")
    assert (answer.needed, answer.effective_at) == (False, None)
    assert "not needed" in answer.message
    licence = await engine.ownership.licence_of(me(boss), "carl")
    assert licence is not None
    assert str(licence.status) == "ASSIGNED"


async def test_licence_rules(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.assign_licence(me(boss), "L-4", "carl", "w1")
    # an assigned licence is released before it is cancelled
    await fails("CONSTRAINT_VIOLATION", engine.ownership.request_cancellation(me(boss), "L-4"))
    # one licence per user, one user per licence, access to the work company, active user
    await fails(
        "CONSTRAINT_VIOLATION", engine.ownership.assign_licence(me(boss), "L-5", "carl", "w1")
    )
    await fails(
        "CONSTRAINT_VIOLATION", engine.ownership.assign_licence(me(boss), "L-4", "anna", "w1")
    )
    await fails(
        "CONSTRAINT_VIOLATION", engine.ownership.assign_licence(me(boss), "L-6", "carl", "w2")
    )
    await fails(
        "CONSTRAINT_VIOLATION", engine.ownership.assign_licence(me(boss), "L-6", "dirk", "w1")
    )
    await fails("INVALID_INPUT", engine.ownership.assign_licence(me(boss), "  ", "anna", "w1"))
    await fails("NOT_FOUND", engine.ownership.release_licence(me(boss), "anna"))
    await fails("NOT_FOUND", engine.ownership.request_cancellation(me(boss), "L-404"))
    assert await edge_count(store, "ASSIGNED_TO") == 1


async def test_taking_rights_ends_the_holders_sessions(store: GraphStore) -> None:
    engine, _, boss = await agency(store)
    await store.create_session(session_id="s1", user_id="anna", token_hash="h1", at=T0)
    done = await engine.ownership.transfer(me(boss), "anna", "bert")
    assert done.invalidated_sessions == 1
    session = await store.resolve_session(token_hash="h1")
    assert session is not None
    assert session.invalidated_reason is not None
    assert "transferred to bert" in session.invalidated_reason


async def test_login_with_a_licence_takes_own_rights_back_everywhere(store: GraphStore) -> None:
    engine, _, boss = await agency(store, anna_password="correct horse")
    await engine.ownership.transfer(me(boss), "carl", "anna")  # anna holds carl's too
    await engine.ownership.transfer(me(boss), "anna", "bert")
    await store.create_session(session_id="s2", user_id="bert", token_hash="h2", at=T0)
    # without a licence, logging in is refused and gives nothing back
    await fails("LICENCE_REQUIRED", engine.identity.login("anna@e1.example", "correct horse"))
    assert holders(await engine.ownership.ownership_of(me(boss), "anna")) == {
        "w1": "bert",
        "w2": "bert",
    }
    await engine.ownership.assign_licence(me(boss), "L-8", "anna", "w1")
    await engine.identity.login("anna@e1.example", "correct horse")
    assert holders(await engine.ownership.ownership_of(me(boss), "anna")) == {
        "w1": "anna",
        "w2": "anna",
    }
    assert holders(await engine.ownership.ownership_of(me(boss), "carl")) == {"w1": "bert"}
    session = await store.resolve_session(token_hash="h2")
    assert session is not None
    assert session.invalidated_reason is not None


async def test_licence_numbers_are_per_environment_and_stay_unseen_elsewhere(
    store: GraphStore,
) -> None:
    engine, _, boss = await agency(store)
    await engine.ownership.assign_licence(me(boss), "L-500", "anna", "w1")
    # Another agency uses the same number for its own licence, and sees nothing of e1's.
    await env(store, "e2", billing=Billing.PER_LICENCE)
    other = await user(store, "other_boss", "e2", Role.ADMIN)
    await user(store, "olaf", "e2")
    await org(store, "w9", "e2")
    await store.grant_access(user_id="olaf", organisation_id="w9", role=Role.USER)
    theirs = await engine.ownership.assign_licence(me(other), "L-500", "olaf", "w9")
    mine = await engine.ownership.licence_of(me(boss), "anna")
    assert mine is not None
    assert theirs.id != mine.id
    assert (theirs.assigned_to, mine.assigned_to) == ("olaf", "anna")
    # An ADMIN cancels only their own environment's; an operator must be told which.
    await fails("CONSTRAINT_VIOLATION", engine.ownership.request_cancellation(me(other), "L-500"))
    operator = Principal(kind=PrincipalKind.OPERATOR, id="op", environment_id=None)
    await fails("INVALID_INPUT", engine.ownership.request_cancellation(operator, "L-500"))
