"""Deliver 1,000,000 process messages (DESIGN §3.2), on each store.

    python benchmarks/bench_deliver.py --stores memory              # 1M messages
    python benchmarks/bench_deliver.py --stores neo4j --neo4j bolt://127.0.0.1:7687
    python benchmarks/bench_deliver.py --messages 100000            # smaller, both stores

One environment with 1,000 employees in 10 work companies; every tenth
employee's rights in the first work company are held by a colleague. Each
nightly run writes 10,000 pending messages (one per employee and work
company); ``messages / 10,000`` runs are loaded first (not timed). Timed: one
``deliver_process_messages`` over all of them, checked afterwards (every
message delivered exactly once, a second run delivers nothing). Memory is the
peak resident size of this process (``ru_maxrss``) and, with ``--neo4j-pid``,
of the Neo4j server (``VmHWM``). Run one store per process, so that the
memory figure is that store's. Without ``--neo4j`` (or
``GRAPH_ENGINE_NEO4J_URI``) a local Neo4j is started; the Neo4j store is
cleared before loading.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from graph_engine_devtools import neo4j_local

from graph_engine.model import Billing, GraphData, NodeRecord, RelRecord
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")
AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
EMPLOYEES = 1_000
COMPANIES = 10
PER_RUN = EMPLOYEES * COMPANIES


def staff() -> GraphData:
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []
    for c in range(COMPANIES):
        nodes.append(
            NodeRecord("Organisation", f"w{c}", {"name": f"Werkmaatschappij {c}", "createdAt": AT})
        )
        rels.append(RelRecord("BELONGS_TO", f"w{c}", "env", {}))
    for i in range(EMPLOYEES):
        uid = f"u{i:04d}"
        props = {"email": f"{uid}@flex.example", "username": uid, "name": uid, "createdAt": AT}
        nodes.append(NodeRecord("User", uid, props))
        rels.append(RelRecord("MEMBER_OF", uid, "env", {"role": "USER"}))
        rels.extend(
            RelRecord("HAS_ACCESS", uid, f"w{c}", {"role": "USER"}) for c in range(COMPANIES)
        )
        if i % 10 == 0:
            holder = f"u{(i + 1) % EMPLOYEES:04d}"
            rels.append(RelRecord("HOLDS_RIGHTS_OF", holder, uid, {"organisation": "w0"}))
    return GraphData(nodes=tuple(nodes), relationships=tuple(rels))


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def server_peak_mib(pid: int | None) -> float | None:
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


async def run(store: GraphStore, messages: int, neo4j_pid: int | None) -> dict[str, Any]:
    start = time.perf_counter()
    if isinstance(store, Neo4jStore):
        await store.migrate()
        await store.clear()
    await store.create_environment(
        environment_id="env",
        name="Flex",
        email_domain="flex.example",
        billing=Billing.PER_LICENCE,
        seat_limit=None,
        at=AT,
    )
    await store.import_graph(staff())
    runs = max(1, messages // PER_RUN)
    for n in range(runs):
        await store.run_nightly_processing(
            environment_id="env", run_id=f"run{n:04d}", process="Verloning", at=AT
        )
    loaded = time.perf_counter() - start
    before = peak_rss_mib()
    start = time.perf_counter()
    delivered = await store.deliver_process_messages(
        environment_id=None, at=AT + timedelta(hours=4)
    )
    seconds = time.perf_counter() - start
    if delivered != runs * PER_RUN:
        raise RuntimeError(f"delivered {delivered}, expected {runs * PER_RUN}")
    if await store.deliver_process_messages(environment_id=None, at=AT) != 0:
        raise RuntimeError("a second run delivered again")
    return {
        "messages": delivered,
        "load_seconds": round(loaded, 1),
        "deliver_seconds": round(seconds, 2),
        "peak_rss_mib_before_delivery": before,
        "peak_rss_mib": peak_rss_mib(),
        "neo4j_server_peak_mib": server_peak_mib(neo4j_pid)
        if isinstance(store, Neo4jStore)
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    parser.add_argument("--neo4j-pid", type=int, default=None)
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    pid = args.neo4j_pid
    results: dict[str, Any] = {}
    # Neo4j when a store needs it: the one at --neo4j, or a local one for this run.
    neo4j = (
        neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
        if "neo4j" in stores
        else contextlib.nullcontext(args.neo4j)
    )
    with neo4j as uri:
        for name in stores:
            store: GraphStore = MemoryStore() if name == "memory" else Neo4jStore(uri or "")

            async def one(store: GraphStore = store) -> dict[str, Any]:
                try:
                    return await run(store, args.messages, pid)
                finally:
                    await store.close()

            results[name] = asyncio.run(one())
            print(f"{name}: {results[name]}")
    print(json.dumps({"benchmark": "deliver_process_messages", "results": results}))


if __name__ == "__main__":
    main()
