"""Snapshot + analyze time and peak memory at 100k and 1M users.

    python benchmarks/bench_snapshot.py                          # 100k and 1M, both stores
    python benchmarks/bench_snapshot.py --users 100000 --stores memory

Each (store, size) runs in a fresh child process, so its peak resident memory
(``ru_maxrss``) is its own: generate, load (not timed here), snapshot, analyze.
Without ``--neo4j`` (or ``GRAPH_ENGINE_NEO4J_URI``) a local Neo4j is started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate
from graph_engine_devtools import neo4j_local

from graph_engine.analysis import analyze, snapshot
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")


def child(store_name: str, users: int, uri: str | None) -> dict[str, Any]:
    data = generate(users=users).data

    async def work() -> dict[str, Any]:
        store: GraphStore = MemoryStore() if store_name == "memory" else Neo4jStore(uri or "")
        try:
            if isinstance(store, Neo4jStore):
                await store.migrate()
                await store.clear()
                await store.import_graph_batched(data)
            else:
                await store.import_graph(data)
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            start = time.perf_counter()
            graph = await snapshot(store)
            snapped = time.perf_counter() - start
            start = time.perf_counter()
            found = analyze(graph)
            analysed = time.perf_counter() - start
            return {
                "nodes": graph.number_of_nodes(),
                "relationships": graph.number_of_edges(),
                "snapshot_seconds": round(snapped, 1),
                "analyze_seconds": round(analysed, 1),
                "rows": {k: len(v) for k, v in found.items()},
                "peak_rss_mib_before_snapshot": round(before / 1024),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        finally:
            await store.close()

    return asyncio.run(work())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="100000,1000000")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    parser.add_argument("--child", nargs=2, metavar=("STORE", "USERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], int(args.child[1]), args.neo4j)))
        return
    stores = [s for s in args.stores.split(",") if s]
    # Neo4j when a store needs it: the one at --neo4j, or a local one for this run.
    neo4j = (
        neo4j_local.running(args.neo4j, heap="4g", pagecache="2g", timeout=180)
        if "neo4j" in stores
        else contextlib.nullcontext(args.neo4j)
    )
    with neo4j as uri:
        for users in (int(u) for u in args.users.split(",")):
            for name in stores:
                command = [sys.executable, __file__, "--child", name, str(users)]
                if uri:
                    command += ["--neo4j", uri]
                done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
                result = json.loads(done.stdout.strip().splitlines()[-1])
                print(json.dumps({"store": name, "users": users, **result}))


if __name__ == "__main__":
    main()
