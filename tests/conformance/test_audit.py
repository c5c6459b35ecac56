"""The audit capability: a mutation's event is written with its first write, once, and
listed per environment the ids it touched live in, in the order things happened."""

from __future__ import annotations

from datetime import timedelta

from builders import T0, env, org, user

from graph_engine import audit
from graph_engine.model import PageRequest
from graph_engine.store.base import GraphStore


async def events(store: GraphStore, environment_id: str) -> list[tuple[str, str]]:
    page = await store.list_audit_events(environment_id=environment_id, page=PageRequest(first=50))
    return [(e.action, e.request_id) for e in page.items]


async def test_a_mutations_event_rides_on_its_first_write_and_only_once(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    await env(store, "e2")
    await user(store, "u1", "e1")
    with audit.opened("createOrganisation", "req-1", T0) as event:
        event.ids.append("o1")
        await org(store, "o1", "e1")
        await org(store, "o2", "e1")  # a second write of the same mutation: no second event
        assert event.written
        await store.record_audit_event(event=event)  # written already: nothing more
    assert await events(store, "e1") == [("createOrganisation", "req-1")]
    assert await events(store, "e2") == []


async def test_an_event_no_write_carried_is_recorded_by_itself_in_order(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    await user(store, "u1", "e1")
    for i, action in enumerate(("endSession", "logout", "endSession")):
        with audit.opened(action, f"req-{i}", T0 + timedelta(seconds=i)) as event:
            event.ids.append("u1")
            await store.record_audit_event(event=event)
    assert await events(store, "e1") == [
        ("endSession", "req-0"),
        ("logout", "req-1"),
        ("endSession", "req-2"),
    ]
