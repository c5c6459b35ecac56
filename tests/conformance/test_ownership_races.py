"""Ownership under concurrent writers (DESIGN §3.2): exactly-once delivery, one holder.

Four delivery runs start together over the same 10,000 pending messages; every
message must end with exactly one ``DELIVERED_TO``, and the runs' counts must add
up to 10,000. On Neo4j each run has its own driver (see ``race``).
"""

from __future__ import annotations

import asyncio
from collections import Counter

from builders import T0, edge_count, env, org, user
from races import ROUNDS, codes, race

from graph_engine.model import GraphData, NodeRecord, RelRecord, Role
from graph_engine.store.base import GraphStore

EMPLOYEES = 1_000
COMPANIES = 10  # EMPLOYEES * COMPANIES messages
RUNNERS = 4


def staff() -> GraphData:
    """Employees with access to every work company; every tenth one's rights in w0
    are held by the next employee."""
    nodes = []
    rels = []
    for i in range(EMPLOYEES):
        uid = f"u{i:04d}"
        nodes.append(
            NodeRecord(
                "User",
                uid,
                {"email": f"{uid}@e1.example", "username": uid, "name": uid, "createdAt": T0},
            )
        )
        rels.append(RelRecord("MEMBER_OF", uid, "e1", {"role": "USER"}))
        rels.extend(
            RelRecord("HAS_ACCESS", uid, f"w{c}", {"role": "USER"}) for c in range(COMPANIES)
        )
        if i % 10 == 0:
            holder = f"u{(i + 1) % EMPLOYEES:04d}"
            rels.append(RelRecord("HOLDS_RIGHTS_OF", holder, uid, {"organisation": "w0"}))
    return GraphData(nodes=tuple(nodes), relationships=tuple(rels))


async def test_concurrent_delivery_runs_deliver_each_message_exactly_once(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    for c in range(COMPANIES):
        await org(store, f"w{c}", "e1")
    await store.import_graph(staff())
    created = await store.run_nightly_processing(
        environment_id="e1", run_id="night", process="Verloning", at=T0
    )
    assert created == EMPLOYEES * COMPANIES

    async def deliver(own: GraphStore, _: int) -> int:
        return await own.deliver_process_messages(environment_id=None, at=T0, batch_size=1_000)

    results = await asyncio.to_thread(race, store, RUNNERS, deliver)
    assert sum(results) == EMPLOYEES * COMPANIES  # type: ignore[arg-type]
    data = await store.export_graph()
    delivered = Counter(r.start for r in data.relationships if r.type == "DELIVERED_TO")
    assert len(delivered) == EMPLOYEES * COMPANIES
    assert set(delivered.values()) == {1}
    # the holder at delivery time got the message about u0000 in w0
    to = {r.start: r.end for r in data.relationships if r.type == "DELIVERED_TO"}
    assert to["night:w0:u0000"] == "u0001"
    assert to["night:w1:u0000"] == "u0000"
    assert await store.deliver_process_messages(environment_id=None, at=T0) == 0


async def test_two_simultaneous_transfers_of_the_same_rights_leave_one_holder(
    store: GraphStore,
) -> None:
    await env(store, "e1")
    await org(store, "w1", "e1")
    for name in ("anna", "bert", "carl"):
        await user(store, name, "e1")
        await store.grant_access(user_id=name, organisation_id="w1", role=Role.USER)
    for _ in range(ROUNDS):

        async def transfer(own: GraphStore, i: int) -> int:
            done = await own.transfer_ownership(
                from_user_id="anna",
                to_user_id=("bert", "carl")[i],
                employee_ids=["anna"],
                work_company_ids=None,
                invalidate=True,
                reason="race",
                at=T0,
            )
            return len(done.moved)

        results = await asyncio.to_thread(race, store, 2, transfer)
        assert codes(results) == ["CONSTRAINT_VIOLATION", "ok"]
        assert await edge_count(store, "HOLDS_RIGHTS_OF") == 1
        holders = await store.ownership_of(employee_id="anna")
        assert [o.holder_id for o in holders] in (["bert"], ["carl"])
        # give them back for the next round
        await store.transfer_ownership(
            from_user_id=holders[0].holder_id,
            to_user_id="anna",
            employee_ids=["anna"],
            work_company_ids=None,
            invalidate=False,
            reason="",
            at=T0,
        )
