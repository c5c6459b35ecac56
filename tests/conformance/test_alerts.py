"""Saved filters and alert runs (HelloFlex) on both stores, through the store operations.

A run claims each filter's new matches once, ever; four runs at once over the same
200 new dossiers claim each match exactly once between them (on Neo4j each run has
its own driver, see ``race``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from builders import T0, edge_count, env, user
from races import race

from graph_engine.api.app import scheduled_alerts
from graph_engine.clock import ManualClock
from graph_engine.errors import GraphEngineError
from graph_engine.model import Alert, PageRequest
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore

LATER = T0 + timedelta(hours=1)


async def dossier(store: GraphStore, dossier_id: str, name: str, kind: str, owner: str) -> None:
    await store.create_dossier(
        dossier_id=dossier_id, name=name, kind=kind, responsible_id=owner, at=LATER
    )


async def staffing(store: GraphStore) -> None:
    """Environments e1 (users anna, bert) and e2 (carl); anna saves a vacancy filter
    after one vacancy already exists."""
    await env(store, "e1")
    await env(store, "e2")
    for name, environment in (("anna", "e1"), ("bert", "e1"), ("carl", "e2")):
        await user(store, name, environment)
    await store.create_dossier(
        dossier_id="d0", name="Old developer vacancy", kind="VACANCY", responsible_id="bert", at=T0
    )
    await store.save_filter(
        filter_id="f1",
        user_id="anna",
        name="Developers",
        kind="VACANCY",
        name_contains="DEVELOPER",
        at=T0 + timedelta(minutes=1),
    )


def matched(alerts: list[Alert]) -> dict[str, list[str]]:
    return {a.filter.id: [d.id for d in a.matches] for a in alerts}


async def test_a_run_mails_each_new_match_once_and_only_what_the_filter_selects(
    store: GraphStore,
) -> None:
    await staffing(store)
    await dossier(store, "d1", "Developer Java", "VACANCY", "bert")
    await dossier(store, "d2", "Developer Java", "CANDIDATE", "bert")  # another kind
    await dossier(store, "d3", "Tester", "VACANCY", "anna")  # another name
    await dossier(store, "d4", "Senior developer", "VACANCY", "carl")  # another environment
    alerts = await store.run_alerts(environment_id=None, at=LATER)
    assert matched(alerts) == {"f1": ["d1"]}  # d0 came before the filter was saved
    assert alerts[0].owner.id == "anna"
    assert alerts[0].owner.email == "anna@e1.example"
    assert alerts[0].filter.last_alert_at == LATER
    assert alerts[0].matches[0].name == "Developer Java"

    assert await store.run_alerts(environment_id=None, at=LATER) == []
    await dossier(store, "d5", "Developer Go", "VACANCY", "anna")
    assert matched(await store.run_alerts(environment_id="e2", at=LATER)) == {}
    assert matched(await store.run_alerts(environment_id="e1", at=LATER)) == {"f1": ["d5"]}
    assert await edge_count(store, "ALERTED") == 2


async def test_a_filter_without_kind_or_text_matches_every_new_dossier(store: GraphStore) -> None:
    await staffing(store)
    await store.save_filter(
        filter_id="f2", user_id="bert", name="All", kind=None, name_contains=None, at=T0
    )
    await dossier(store, "d1", "Anyone", "CANDIDATE", "anna")
    await dossier(store, "d2", "Developer", "VACANCY", "anna")
    assert matched(await store.run_alerts(environment_id=None, at=LATER)) == {
        "f1": ["d2"],
        "f2": ["d0", "d1", "d2"],  # saved at T0, with d0
    }


async def test_an_inactive_owners_matches_wait_until_they_are_active(store: GraphStore) -> None:
    await staffing(store)
    await dossier(store, "d1", "Developer", "VACANCY", "bert")
    await store.set_user_status(
        user_id="anna", active=False, login_blocked=True, reason="test", at=LATER
    )
    assert await store.run_alerts(environment_id=None, at=LATER) == []
    await store.set_user_status(
        user_id="anna", active=True, login_blocked=False, reason="test", at=LATER
    )
    assert matched(await store.run_alerts(environment_id=None, at=LATER)) == {"f1": ["d1"]}


async def test_filters_are_listed_and_deleted_by_their_owner_only(store: GraphStore) -> None:
    await staffing(store)
    await store.save_filter(
        filter_id="f0", user_id="anna", name="Mine", kind=None, name_contains=None, at=T0
    )
    listed = await store.list_filters(user_id="anna", page=PageRequest())
    assert [(f.id, f.name, f.kind, f.name_contains) for f in listed.items] == [
        ("f0", "Mine", None, None),
        ("f1", "Developers", "VACANCY", "DEVELOPER"),
    ]
    assert listed.items[1].environment_id == "e1"
    assert listed.items[1].owner_id == "anna"
    assert (await store.list_filters(user_id="bert", page=PageRequest())).items == []
    with pytest.raises(GraphEngineError) as err:
        await store.delete_filter(filter_id="f1", user_id="bert")
    assert err.value.code == "NOT_FOUND"
    await dossier(store, "d1", "Developer", "VACANCY", "bert")
    await store.run_alerts(environment_id=None, at=LATER)
    assert await edge_count(store, "ALERTED") == 3  # f0: d0 and d1; f1: d1
    deleted = await store.delete_filter(filter_id="f1", user_id="anna")
    assert deleted.last_alert_at == LATER
    assert [f.id for f in (await store.list_filters(user_id="anna", page=PageRequest())).items] == [
        "f0"
    ]
    assert await edge_count(store, "ALERTED") == 2  # f1's record went with it
    with pytest.raises(GraphEngineError) as err:
        await store.delete_filter(filter_id="f1", user_id="anna")
    assert err.value.code == "NOT_FOUND"


async def test_concurrent_alert_runs_claim_each_match_exactly_once(store: GraphStore) -> None:
    await staffing(store)
    for i in range(20):
        await store.save_filter(
            filter_id=f"g{i:02d}",
            user_id=("anna", "bert")[i % 2],
            name=f"All {i}",
            kind=None,
            name_contains=None,
            at=T0,
        )
    for i in range(10):
        await dossier(store, f"n{i}", f"Developer {i}", "VACANCY", "bert")
    expected = 20 * 11 + 10  # every g filter: d0 and n0..n9; f1: n0..n9

    async def run(own: GraphStore, _: int) -> list[tuple[str, str]]:
        alerts = await own.run_alerts(environment_id="e1", at=LATER)
        return [(a.filter.id, d.id) for a in alerts for d in a.matches]

    results = await asyncio.to_thread(race, store, 4, run)
    claimed = Counter(pair for r in results for pair in r)  # type: ignore[union-attr]
    assert len(claimed) == expected
    assert set(claimed.values()) == {1}
    assert await edge_count(store, "ALERTED") == expected
    assert await store.run_alerts(environment_id=None, at=LATER) == []


async def test_the_servers_own_schedule_mails_new_matches_without_a_caller(
    store: GraphStore,
) -> None:
    """GRAPH_ENGINE_ALERTS_EVERY_MINUTES: the server runs every environment's alerts
    itself; the match is claimed once, so the runs after it mail nothing more."""
    await staffing(store)
    await dossier(store, "d1", "Java developer", "VACANCY", "bert")
    engine = Engine(store, ManualClock(LATER))
    runs = asyncio.create_task(scheduled_alerts(engine, timedelta(seconds=0.05)))
    try:
        for _ in range(200):
            mails = await store.list_outbox(to="anna@e1.example", page=PageRequest(first=10))
            if mails.items:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # a few more runs
    finally:
        runs.cancel()
    mails = await store.list_outbox(to="anna@e1.example", page=PageRequest(first=10))
    assert len(mails.items) == 1
    assert "Java developer" in mails.items[0].body
