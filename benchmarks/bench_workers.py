"""HTTP throughput of ``canInvite``: the memory store's one process, Neo4j with 1, 2, 4 workers.

    python benchmarks/bench_workers.py                              # 100k users, 1,2,4 workers
    python benchmarks/bench_workers.py --neo4j bolt://127.0.0.1:7687 --workers 1,2,4,8

The ``bench_can_invite.py`` graph is loaded (into Neo4j: cleared first; not timed), the
inviters log in, then for each run a real ``graph-engine serve`` is started (``--neo4j
URI --workers N``; the memory store from a ``--snapshot`` in one process, as it refuses
``--workers``) and ``benchmarks/loadgen`` (Go, built here with ``go build``; it needs no
module from the network) keeps ``--concurrency`` requests in flight for ``--seconds``
after a warm-up, asking ``canInvite`` questions round-robin. A Go client spends a small
fraction of the CPU a Python one would, so on a small machine the server is what is
measured; it still shares the cores, as does Neo4j. Reported per run: requests per
second (and per worker), p50/p95/p99 latency in ms, errors (must be 0), the server's CPU
time per request (its processes' user and system time from ``/proc``) and the load
average. The JSON line at the end is what ``benchmarks/README.md`` records.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_can_invite import (
    PASSWORD,
    QUERY,
    cpu_seconds,
    load,
    load_average,
    log_in,
    server,
    settle,
)
from generate import Generated, generate
from graph_engine_devtools import neo4j_local

from graph_engine.security import hash_password
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")

ROOT = Path(__file__).resolve().parent.parent


async def prepare(store: GraphStore, generated: Generated, args: argparse.Namespace) -> Path:
    """Load the graph into ``store``, log the inviters in, and write the requests file."""
    seconds = await load(store, generated)
    print(f"{store.name}: loaded {len(generated.data.nodes):,} nodes in {seconds:.1f} s")
    questions = generated.triples(args.samples, environments=args.inviters)
    tokens = await log_in(store, generated, questions)
    asks = Path(tempfile.mkdtemp(prefix="bench-workers-")) / "asks.jsonl"
    with asks.open("w", encoding="utf-8") as out:
        for inviter, invitee, organisation in questions:
            body = json.dumps({"query": QUERY, "variables": {"i": invitee, "o": organisation}})
            out.write(json.dumps({"body": body, "token": tokens[inviter]}) + "\n")
    return asks


async def on_neo4j(uri: str, generated: Generated, args: argparse.Namespace) -> Path:
    store = Neo4jStore(uri)
    try:
        return await prepare(store, generated, args)
    finally:
        await store.close()


async def in_memory(snapshot: Path, generated: Generated, args: argparse.Namespace) -> Path:
    store = MemoryStore()
    asks = await prepare(store, generated, args)
    store.save_snapshot(snapshot)
    return asks


def go_build(folder: Path) -> Path:
    """The Go command in ``folder`` (``benchmarks/loadgen``, standard library only, or
    ``benchmarks/spicedb/loadgen``, which fetches authzed-go once), built into the
    temporary folder."""
    binary = Path(tempfile.gettempdir()) / f"graph-engine-{folder.parent.name}-{folder.name}"
    subprocess.run(  # noqa: S603 - our own source
        ["go", "build", "-o", str(binary), "."],  # noqa: S607 - the machine's Go
        cwd=folder,
        check=True,
    )
    return binary


def drive(binary: Path, port: int, asks: Path, seconds: float, concurrency: int) -> dict[str, Any]:
    """``concurrency`` requests in flight for ``seconds``, no warm-up (see :func:`main`)."""
    done = subprocess.run(  # noqa: S603 - the binary built above
        [
            str(binary),
            "-url",
            f"http://127.0.0.1:{port}/graphql",
            "-requests",
            str(asks),
            "-c",
            str(concurrency),
            "-d",
            f"{seconds}s",
            "-warmup",
            "0s",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=2_000, help="distinct questions")
    parser.add_argument("--inviters", type=int, default=100)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured time per run")
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    parser.add_argument("--stores", default=",".join(STORES))
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n]
    stores = [s for s in args.stores.split(",") if s]

    generated = generate(users=args.users, users_per_env=20, password_hash=hash_password(PASSWORD))
    runs: list[tuple[str, list[str], int, Path]] = []
    results: dict[str, Any] = {}
    binary = go_build(ROOT / "benchmarks" / "loadgen")
    with contextlib.ExitStack() as stack:
        if "memory" in stores:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            snapshot = folder / "graph.json"
            asks = asyncio.run(in_memory(snapshot, generated, args))
            runs.append(("memory", ["--snapshot", str(snapshot)], 1, asks))
        if "neo4j" in stores:
            uri = stack.enter_context(
                neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
            )
            asks = asyncio.run(on_neo4j(uri, generated, args))
            runs += [("neo4j", ["--neo4j", uri], n, asks) for n in counts]
        for store, target, workers, asks in runs:
            log = Path(tempfile.gettempdir()) / f"bench-workers-{store}-{workers}.log"
            print(f"waited {settle():.0f} s for the machine to be quiet", flush=True)
            with server(target, log, workers) as (port, pids):
                # The warm-up is a run of its own, so that the CPU time read around the
                # measured run is that run's alone.
                drive(binary, port, asks, min(5.0, args.seconds / 4), args.concurrency)
                before, cpu = load_average(), cpu_seconds(pids)
                found = drive(binary, port, asks, args.seconds, args.concurrency)
                cpu = cpu_seconds(pids) - cpu
            found["server_cpu_ms_per_request"] = round(cpu / max(found["requests"], 1) * 1000, 3)
            found["per_worker"] = round(found["per_second"] / workers, 1)
            found["load_average"] = f"{before} -> {load_average()}"
            results[f"{store} x{workers}"] = found
            print(
                f"{store:6} {workers} worker(s): {found['per_second']:8.1f} req/s"
                f" ({found['per_worker']:.1f} per worker)"
                f"  p50 {found['p50']:7.2f}  p95 {found['p95']:7.2f}  p99 {found['p99']:7.2f} ms"
                f"  errors {found['errors']}  server CPU {found['server_cpu_ms_per_request']:.3f}"
                f" ms/request  load {found['load_average']}",
                flush=True,
            )
    print(
        json.dumps(
            {
                "benchmark": "workers",
                "users": args.users,
                "concurrency": args.concurrency,
                "seconds": args.seconds,
                "machine": f"{platform.machine()} {os.cpu_count()} cores, Python "
                f"{platform.python_version()}",
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
