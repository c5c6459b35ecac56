"""Resident memory and load time of the memory store at 100k and 1M users.

    python benchmarks/bench_memory.py                        # 100k and 1M users, every route
    python benchmarks/bench_memory.py --users 100000 --routes restore

The graph of ``generate.py`` is loaded into a ``MemoryStore`` by three routes, each in
a fresh child process so that its peak resident memory (``ru_maxrss``) is its own:

* ``restore``: a backup file (graph_engine/backup.py's format) read line by line and
  imported in batches of 5,000 records, as ``graph-engine restore`` does (here into a
  store without a snapshot file).
  Nothing but the store and one batch is held, so the peak is the store's footprint
  (plus the interpreter's); every string is its own object, as from any file.
* ``snapshot``: a snapshot file opened as ``graph-engine serve --snapshot`` starts
  (``MemoryStore.durable``): loaded, then written back with the journal folded in.
* ``import``: the generated records imported in the same process (``import_graph``),
  as ``bench_can_invite.py`` loads; the peak holds the records too.

The files are written first by another child (not timed). Reported per route: the load
time, peak RSS, RSS after the load (``/proc/self/statm``, after a garbage collection),
and for ``import`` the RSS before the load (the generated records). The load average
(``os.getloadavg``) is printed before and after each run.

Only the "memory" store is measured: "neo4j" keeps its graph in the server's heap and
page cache, sized by its own settings rather than by the graph (see bench_snapshot.py
for a Neo4j process's footprint).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

from graph_engine import backup
from graph_engine.model import GraphData
from graph_engine.store import snapshot
from graph_engine.store.memory import MemoryStore

ROUTES = ("restore", "snapshot", "import")
# Stores this benchmark measures, and why the others are left out.
STORES = ("memory",)
SKIPPED = {"neo4j": "the server's heap and page cache are set by its settings, not the graph"}


def mib(size_bytes: float) -> int:
    return round(size_bytes / 2**20)


def peak_rss() -> int:
    """Peak resident memory of this process so far, in bytes (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def current_rss() -> int | None:
    """Resident memory of this process now, in bytes (None where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def write_files(users: int, folder: Path) -> dict[str, Any]:
    """The generated graph as a backup file and as a snapshot file."""
    data = generate(users=users).data
    write_backup(data, folder / "graph.jsonl")
    snapshot.save(data, folder / "graph.json")
    return {"nodes": len(data.nodes), "relationships": len(data.relationships)}


def write_backup(data: GraphData, path: Path) -> None:
    """``data`` in the backup format (what ``graph-engine backup`` writes for it)."""

    def line(kind: str, body: dict[str, Any]) -> str:
        return json.dumps({kind: body}, separators=(",", ":")) + "\n"

    def props(values: dict[str, Any]) -> dict[str, Any]:
        return snapshot.encode_props({k: v for k, v in values.items() if v is not None})

    header = {
        "format": backup.FORMAT,
        "version": backup.VERSION,
        "sensitive": True,
        "store": "memory",
        "createdAt": datetime.now(UTC).isoformat(),
    }
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(header) + "\n")
        for n in data.nodes:
            fh.write(line("node", {"label": n.label, "id": n.id, "props": props(n.props)}))
        for r in data.relationships:
            body = {"type": r.type, "start": r.start, "end": r.end, "props": props(r.props)}
            fh.write(line("relationship", body))
        ends = {"nodes": len(data.nodes), "relationships": len(data.relationships)}
        fh.write(line("end", ends))


def child(route: str, users: int, folder: Path) -> dict[str, Any]:
    """Load the graph by ``route`` into a new memory store; what it cost."""
    out: dict[str, Any] = {}
    if route == "restore":
        checked = backup.check(folder / "graph.jsonl")
        start = time.perf_counter()
        store = MemoryStore()
        asyncio.run(backup.restore(store, folder / "graph.jsonl", checked=checked))
    elif route == "snapshot":
        start = time.perf_counter()
        store = MemoryStore.durable(folder / "graph.json")
    else:
        data = generate(users=users).data
        gc.collect()
        out["rss_before_load_mib"] = mib(current_rss() or 0)
        start = time.perf_counter()
        store = MemoryStore()
        asyncio.run(store.import_graph(data))
    seconds = time.perf_counter() - start
    peak = peak_rss()
    gc.collect()
    nodes, relationships = asyncio.run(store.graph_size())
    now = current_rss()
    asyncio.run(store.close())
    return {
        **out,
        "nodes": nodes,
        "relationships": relationships,
        "load_seconds": round(seconds, 1),
        "peak_rss_mib": mib(peak),
        "rss_after_load_mib": None if now is None else mib(now),
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(command: list[str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="100000,1000000")
    parser.add_argument("--routes", default=",".join(ROUTES))
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--child", nargs=3, metavar=("ROUTE", "USERS", "DIR"), help="internal")
    parser.add_argument("--write", nargs=2, metavar=("USERS", "DIR"), help="internal")
    args = parser.parse_args()
    if args.child:
        route, users, folder = args.child
        print(json.dumps(child(route, int(users), Path(folder))))
        return
    if args.write:
        print(json.dumps(write_files(int(args.write[0]), Path(args.write[1]))))
        return
    for name in args.stores.split(","):
        if name in SKIPPED:
            print(f"{name}: not measured here ({SKIPPED[name]})")
        elif name not in STORES:
            parser.error(f"unknown store {name}")
    routes = [r for r in args.routes.split(",") if r]
    if set(routes) - set(ROUTES):
        parser.error(f"routes are {', '.join(ROUTES)}")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for users in (int(u) for u in args.users.split(",")):
        with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
            size = run([sys.executable, __file__, "--write", str(users), tmp])
            for route in routes:
                before = load_average()
                result = run([sys.executable, __file__, "--child", route, str(users), tmp])
                line = {"store": "memory", "route": route, "users": users, **size, **result}
                line["load_average"] = {"before": before, "after": load_average()}
                print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
