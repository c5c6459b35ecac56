"""Loading a whole generated graph into an empty store: 100k and 1M users.

    python benchmarks/bench_load.py                              # 100k and 1M, both stores
    python benchmarks/bench_load.py --users 100000 --online      # and the online path
    python benchmarks/bench_load.py --stores neo4j --heap 2g --pagecache 2g

Neo4j: a local server is started for the run (the bulk load stops and starts it,
so it must be this machine's own), the graph is generated (not timed), the
store cleared, and ``load_offline`` is timed from the records in memory to a
graph that answers with every constraint and index online: CSV files,
neo4j-admin, the restart, ``migrate``. ``stages`` gives the second at which
each stage began; ``cpu_seconds`` the processor time of every process of the
load (this one, neo4j-admin, the server before and after its restart), which
bounds what a machine with idle cores would take. ``--online`` also times
``import_graph_batched`` (the online path the other benchmarks load with) on a
cleared store. Memory: ``import_graph`` into a fresh store, beside. Each figure
is printed as a JSON line with the load average (1 minute) before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate
from graph_engine_devtools import neo4j_local
from graph_engine_devtools.neo4j_local import LocalNeo4j

from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _cpu(server: LocalNeo4j) -> float:
    """Processor seconds of this process, its finished children (neo4j-admin, a
    stopped server) and the running server."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + _running(server)


def _running(server: LocalNeo4j) -> float:
    try:
        stat = Path(f"/proc/{server.pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def bulk(server: LocalNeo4j, data: GraphData) -> dict[str, Any]:
    store = Neo4jStore(server.uri)
    try:
        await store.migrate()
        await store.clear()
        stages: dict[str, float] = {}
        records: list[NodeRecord | RelRecord] = [*data.nodes, *data.relationships]
        before = _load()
        # The server's time so far counts here and again in the children's once it is
        # stopped and reaped: the difference is the load's alone.
        cpu = _cpu(server)
        start = time.perf_counter()

        def progress(stage: str, _done: int, _total: int) -> None:
            stages.setdefault(stage, time.perf_counter() - start)

        loaded = await store.load_offline(server, records, total=len(records), progress=progress)
        seconds = time.perf_counter() - start
        cpu = _cpu(server) - cpu
        assert loaded, "the generated graph has a value without a CSV form"  # noqa: S101
        assert await store.graph_size() == (len(data.nodes), len(data.relationships))  # noqa: S101
        # Seconds from the start of the load to each stage's start.
        marks = {k: round(v, 1) for k, v in stages.items()}
        return {"path": "offline", "seconds": round(seconds, 1), "stages": marks} | {
            "cpu_seconds": round(cpu, 1),
            "load_before": before,
            "load_after": _load(),
        }
    finally:
        await store.close()


async def online(uri: str, data: GraphData) -> dict[str, Any]:
    store = Neo4jStore(uri)
    try:
        await store.migrate()
        await store.clear()
        before = _load()
        start = time.perf_counter()
        await store.import_graph_batched(data)
        seconds = time.perf_counter() - start
        return {"path": "online", "seconds": round(seconds, 1)} | {
            "load_before": before,
            "load_after": _load(),
        }
    finally:
        await store.close()


async def memory(data: GraphData) -> dict[str, Any]:
    store = MemoryStore()
    before = _load()
    start = time.perf_counter()
    await store.import_graph(data)
    seconds = time.perf_counter() - start
    await store.close()
    return {"path": "import_graph", "seconds": round(seconds, 1)} | {
        "load_before": before,
        "load_after": _load(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="100000,1000000")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--online", action="store_true", help="also time the online path")
    parser.add_argument("--heap", default="2g")
    parser.add_argument("--pagecache", default="2g")
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    server = (
        neo4j_local.start(heap=args.heap, pagecache=args.pagecache, timeout=300)
        if "neo4j" in stores
        else None
    )
    try:
        for users in (int(u) for u in args.users.split(",")):
            data = generate(users=users).data
            size = {"users": users, "nodes": len(data.nodes), "rels": len(data.relationships)}
            runs: list[tuple[str, Callable[[], Coroutine[Any, Any, dict[str, Any]]]]] = []
            if server is not None:
                runs.append(("neo4j", functools.partial(bulk, server, data)))
                if args.online:
                    runs.append(("neo4j", functools.partial(online, server.uri, data)))
            if "memory" in stores:
                runs.append(("memory", functools.partial(memory, data)))
            for name, run in runs:
                print(json.dumps({"store": name, **size, **asyncio.run(run())}), flush=True)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
