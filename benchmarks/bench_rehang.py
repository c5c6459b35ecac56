"""How long does ``rehangTasks`` take for 100,000 open tasks in one call?

    python benchmarks/bench_rehang.py                          # 100k open tasks, both stores
    python benchmarks/bench_rehang.py --tasks 200000 --stores neo4j
    python benchmarks/bench_rehang.py --neo4j bolt://127.0.0.1:7687

The graph: a vendor environment with two relations, ``old`` holding ``--tasks``
OPEN tasks and ``--closed`` CLOSED ones, and a customer contractant linked to
``old``. Loading (``import_graph_batched`` on Neo4j) is outside the timed part.
Each round re-hangs every open task in one call and one transaction, then
checks the count; rounds alternate direction (old → new, new → old), so every
round moves all open tasks and the closed ones stay put.

Without ``--neo4j`` (or ``GRAPH_ENGINE_NEO4J_URI``) a local Neo4j is started and
stopped (``graph_engine_devtools.neo4j_local``); the Neo4j store is cleared before loading.
Results are printed as a table and as one JSON line; ``benchmarks/README.md``
records them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from graph_engine_devtools import neo4j_local

from graph_engine.model import GraphData, NodeRecord, RelRecord, TaskStatus
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def build(open_tasks: int, closed_tasks: int) -> GraphData:
    """The vendor, the customer, two relations and the tasks of the old one, whose
    active subscription carries the link."""
    nodes = [
        NodeRecord("Environment", "env_staff", _env("Staff", "staff.example")),
        NodeRecord("Environment", "env_cust", _env("Bakkerij", "bakkerij.example")),
        NodeRecord("Relation", "rel_old", {"name": "Bakkerij", "createdAt": T0}),
        NodeRecord("Relation", "rel_new", {"name": "Bakkerij BV", "createdAt": T0}),
        NodeRecord("Subscription", "sub_old", {"active": True, "createdAt": T0}),
    ]
    rels = [
        RelRecord("IN", "rel_old", "env_staff"),
        RelRecord("IN", "rel_new", "env_staff"),
        RelRecord("OF", "sub_old", "rel_old"),
        RelRecord(
            "LINKED_TO",
            "sub_old",
            "env_cust",
            {"database": "db", "contractant": "env_cust", "linkedAt": T0},
        ),
    ]
    for i in range(open_tasks + closed_tasks):
        status = TaskStatus.OPEN if i < open_tasks else TaskStatus.CLOSED
        task_id = f"tsk_{i:08}"
        nodes.append(
            NodeRecord(
                "Task", task_id, {"title": f"Task {i}", "status": str(status), "createdAt": T0}
            )
        )
        rels.append(RelRecord("CONCERNS", task_id, "rel_old"))
    return GraphData(nodes=tuple(nodes), relationships=tuple(rels))


def _env(name: str, domain: str) -> dict[str, Any]:
    return {"name": name, "emailDomain": domain, "billing": "PER_LICENCE", "createdAt": T0}


async def load(store: GraphStore, data: GraphData) -> float:
    start = time.perf_counter()
    if isinstance(store, Neo4jStore):
        await store.migrate()
        await store.clear()
        await store.import_graph_batched(data)
    else:
        await store.import_graph(data)
    return time.perf_counter() - start


async def measure(store: GraphStore, args: argparse.Namespace) -> dict[str, Any]:
    load_seconds = await load(store, build(args.tasks, args.closed))
    samples: list[float] = []
    ends = ("rel_old", "rel_new")
    for i in range(args.rounds):
        source, target = ends[i % 2], ends[(i + 1) % 2]
        start = time.perf_counter()
        moved = await store.rehang_tasks(from_relation_id=source, to_relation_id=target)
        samples.append(time.perf_counter() - start)
        if moved != args.tasks:
            msg = f"round {i}: moved {moved}, expected {args.tasks}"
            raise RuntimeError(msg)
    return {
        "load_seconds": round(load_seconds, 1),
        "seconds": [round(s, 3) for s in samples],
        "median": round(statistics.median(samples), 3),
        "min": round(min(samples), 3),
        "max": round(max(samples), 3),
    }


def run_store(name: str, args: argparse.Namespace, uri: str | None) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        if name == "memory":
            return await measure(MemoryStore(), args)
        assert uri is not None  # noqa: S101 - started or given by main()
        store = Neo4jStore(uri)
        try:
            result = await measure(store, args)
            await store.clear()
        finally:
            await store.close()
        return result

    return asyncio.run(work())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000, help="open tasks to re-hang")
    parser.add_argument("--closed", type=int, default=10_000, help="closed tasks that stay")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    unknown = set(stores) - set(STORES)
    if unknown:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")

    results: dict[str, Any] = {}
    # Neo4j when a store needs it: the one at --neo4j, or a local one for this run.
    neo4j = (
        neo4j_local.running(args.neo4j, heap="1g", pagecache="512m", timeout=180)
        if "neo4j" in stores
        else contextlib.nullcontext(args.neo4j)
    )
    with neo4j as uri:
        for name in stores:
            results[name] = run_store(name, args, uri)
            print(f"{name}: loaded in {results[name]['load_seconds']} s")

    print(
        f"\nrehangTasks of {args.tasks:,} open tasks ({args.closed:,} closed stay), "
        f"one call each, {args.rounds} rounds, seconds"
    )
    print(f"{'store':8} {'median':>8} {'min':>8} {'max':>8}")
    for name, r in results.items():
        print(f"{name:8} {r['median']:8.3f} {r['min']:8.3f} {r['max']:8.3f}")
    print(
        json.dumps(
            {
                "benchmark": "rehang_tasks",
                "open_tasks": args.tasks,
                "closed_tasks": args.closed,
                "machine": f"{platform.machine()} {os.cpu_count()} cores, Python "
                f"{platform.python_version()}",
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
