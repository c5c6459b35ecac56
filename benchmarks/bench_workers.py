"""HTTP throughput of ``canInvite`` with 1, 2 and 4 workers on one Neo4j.

    python benchmarks/bench_workers.py                              # 100k users, 1,2,4 workers
    python benchmarks/bench_workers.py --neo4j bolt://127.0.0.1:7687 --workers 1,2,4,8

The ``bench_can_invite.py`` graph is loaded into Neo4j (cleared first; not timed), the
inviters log in, then for each worker count a real ``graph-engine serve --neo4j URI
--workers N`` is started and a client keeps ``--concurrency`` requests in flight for
``--seconds`` after a warm-up, asking ``canInvite`` questions round-robin. Reported per
worker count: requests per second, p50/p95/p99 latency in ms, and errors (must be 0).
The client runs on the same machine, so it takes its share of the cores; the JSON line
at the end is what ``benchmarks/README.md`` records.

For comparison the same graph is served by the "memory" store too (``serve --snapshot``,
one process: the memory store refuses ``--workers``); ``--stores neo4j`` leaves it out.
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
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_can_invite import PASSWORD, QUERY, load, percentiles
from generate import Generated, generate

from graph_engine import neo4j_local
from graph_engine.security import hash_password
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent


async def prepare(
    store: GraphStore, generated: Generated, samples: int, inviters: int
) -> tuple[list[Any], dict[str, str]]:
    """Load the graph into ``store`` and log the inviters in: the questions and tokens."""
    seconds = await load(store, generated)
    print(f"{store.name}: loaded {len(generated.data.nodes):,} nodes in {seconds:.1f} s")
    engine = Engine(store)
    triples = generated.triples(samples, environments=inviters)
    tokens = {}
    for inviter in sorted({t[0] for t in triples}):
        tokens[inviter], _ = await engine.identity.login(generated.email_of[inviter], PASSWORD)
    return triples, tokens


async def on_neo4j(uri: str, generated: Generated, args: argparse.Namespace) -> Any:
    store = Neo4jStore(uri)
    try:
        return await prepare(store, generated, args.samples, args.inviters)
    finally:
        await store.close()


async def in_memory(path: Path, generated: Generated, args: argparse.Namespace) -> Any:
    store = MemoryStore()
    found = await prepare(store, generated, args.samples, args.inviters)
    store.save_snapshot(path)
    return found


def serve(target: list[str], workers: int, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "graph-engine"),
        "serve",
        *target,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"serve did not come up:\n{log.read_text()}") from None
            time.sleep(0.2)


async def drive(
    port: int, triples: list[Any], tokens: dict[str, str], concurrency: int, seconds: float
) -> dict[str, Any]:
    samples: list[float] = []
    errors = 0
    position = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits
    ) as client:

        async def worker(until: float, *, record: bool) -> None:
            nonlocal errors, position
            while time.perf_counter() < until:
                t = triples[position % len(triples)]
                position += 1
                start = time.perf_counter()
                reply = await client.post(
                    "/graphql",
                    json={"query": QUERY, "variables": {"i": t[1], "o": t[2]}},
                    headers={"authorization": f"Bearer {tokens[t[0]]}"},
                )
                took = (time.perf_counter() - start) * 1000
                failed = reply.status_code != 200 or "errors" in reply.json()  # noqa: PLR2004
                if record:
                    samples.append(took)
                    errors += failed

        warm = time.perf_counter() + min(5.0, seconds / 4)
        await asyncio.gather(*(worker(warm, record=False) for _ in range(concurrency)))
        began = time.perf_counter()
        await asyncio.gather(*(worker(began + seconds, record=True) for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return {
        "requests": len(samples),
        "per_second": round(len(samples) / elapsed, 1),
        "errors": errors,
        **percentiles(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=2_000, help="distinct questions")
    parser.add_argument("--inviters", type=int, default=100)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured time per run")
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    parser.add_argument("--stores", default="memory,neo4j")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",") if n]
    stores = [s for s in args.stores.split(",") if s]

    generated = generate(users=args.users, users_per_env=20, password_hash=hash_password(PASSWORD))
    runs: list[tuple[str, list[str], int, Any]] = []
    results: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        if "memory" in stores:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            snapshot = folder / "graph.json"
            asked = asyncio.run(in_memory(snapshot, generated, args))
            runs.append(("memory", ["--snapshot", str(snapshot)], 1, asked))
        if "neo4j" in stores:
            uri = stack.enter_context(
                neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
            )
            asked = asyncio.run(on_neo4j(uri, generated, args))
            runs += [("neo4j", ["--neo4j", uri], n, asked) for n in counts]
        for store, target, workers, (triples, tokens) in runs:
            port = neo4j_local.free_port()
            log = Path(tempfile.gettempdir()) / f"bench-workers-{store}-{workers}.log"
            proc = serve(target, workers, port, log)
            try:
                found = asyncio.run(drive(port, triples, tokens, args.concurrency, args.seconds))
            finally:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=60)
            results[f"{store} x{workers}"] = found
            print(
                f"{store:6} {workers} worker(s): {found['per_second']:8.1f} req/s"
                f"  p50 {found['p50']:7.2f}  p95 {found['p95']:7.2f}  p99 {found['p99']:7.2f} ms"
                f"  errors {found['errors']}",
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
                f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}",
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
