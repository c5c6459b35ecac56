"""How fast is ``canInvite``? p50/p95/p99 per level, interleaved, beside the wire's limit.

    python benchmarks/bench_can_invite.py                      # 100k users, both stores
    python benchmarks/bench_can_invite.py --users 1000000 --stores neo4j
    python benchmarks/bench_can_invite.py --neo4j bolt://127.0.0.1:7687
    python benchmarks/bench_can_invite.py --neo4j bolt://127.0.0.1:7687 --reuse  # again, no load

Levels, timed one call after the other (latency, not throughput) and interleaved: each
question is asked at every level in turn (the order rotating), so a busy moment of the
machine falls on all of them alike.

* ``return1 sync`` (Neo4j): ``RETURN 1`` through the sync driver, auto-commit: the
  physical limit of a round trip from Python; every other level is also shown as a
  multiple of it;
* ``return1 async`` (Neo4j): ``RETURN 1`` through the async driver the store uses, in
  the same auto-commit session the store's reads take;
* ``statement sync`` (Neo4j): the store's decision statement (``can_invite.cypher``, with
  the viewer) through the sync driver, auto-commit, its rows fetched and nothing built
  from them: what the query itself costs beyond the bare round trip;
* ``store``: ``GraphStore.can_invite`` with the viewer the engine passes (the one
  Cypher statement, or the networkx walk);
* ``engine``: what a request does without HTTP: the bearer token's session and the
  decision in one store call, the session admitted (expiry, maintenance), the answer;
* ``http``: a GraphQL ``canInvite`` POST over a kept-alive connection to a real
  ``graph-engine serve`` in its own process (``--neo4j``, or ``--snapshot`` of the
  memory store); the server's CPU time per request is read from ``/proc``.

Without ``--neo4j`` (or ``GRAPH_ENGINE_NEO4J_URI``) a local Neo4j is started and stopped
(``graph_engine_devtools.neo4j_local``); the Neo4j store is cleared before loading, unless
``--reuse`` finds it already holding the generated graph (every label's count and a sample of
ids; the load time is then not reported). Every table
says the machine's load average before and after. Results are printed as tables and as
one JSON line; ``benchmarks/README.md`` records them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import neo4j

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Generated, generate
from graph_engine_devtools import neo4j_local

from graph_engine.security import hash_password
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")
PASSWORD = "bench-password"  # noqa: S105 - generated users of a throw-away graph
QUERY = """query($i: ID!, $o: ID!) {
  canInvite(inviteeId: $i, organisationId: $o) { allowed code reason }
}"""
WARM_UP = 200
LIMIT = "return1 sync"

Question = tuple[str, str, str]
Call = Callable[[Question], Awaitable[Any]]


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "mean": round(statistics.fmean(samples_ms), 3),
        "n": len(samples_ms),
    }


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def settle(idle: float = 0.85, most: float = 120.0) -> float:
    """Wait until the machine's processors are at least ``idle`` idle over two seconds
    (Neo4j flushes what a load wrote for a while after it; Community has no checkpoint
    procedure to ask for it), at most ``most`` seconds; the seconds waited (Linux)."""
    began = time.perf_counter()

    def ticks() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return fields[3], sum(fields)  # idle, all

    while time.perf_counter() - began < most:
        idle_before, total_before = ticks()
        time.sleep(2)
        idle_after, total_after = ticks()
        if (idle_after - idle_before) >= idle * max(total_after - total_before, 1):
            break
    return time.perf_counter() - began


async def holds(store: Neo4jStore, generated: Generated) -> bool:
    """Whether ``store`` already holds the generated graph: as many nodes of each label,
    and a sample of a hundred of its ids (the generator is deterministic)."""
    counts: dict[str, int] = {}
    for node in generated.data.nodes:
        counts[node.label] = counts.get(node.label, 0) + 1
    records, _, _ = await store.driver.execute_query(
        "MATCH (n:Entity) RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, count(*) AS n",
        database_=store.database,
    )
    held = {record["label"]: record["n"] for record in records}
    if any(held.get(label) != count for label, count in counts.items()):
        return False
    sample = generated.data.nodes[:: max(1, len(generated.data.nodes) // 100)]
    records, _, _ = await store.driver.execute_query(
        "UNWIND $ids AS id MATCH (n:Entity {id: id}) RETURN count(n) AS n",
        ids=[node.id for node in sample],
        database_=store.database,
    )
    return bool(records[0]["n"] == len(sample))


async def load(store: GraphStore, generated: Generated, *, reuse: bool = False) -> float | None:
    """Load the generated graph; the seconds it took, None when ``reuse`` found it there."""
    start = time.perf_counter()
    if isinstance(store, Neo4jStore):
        await store.migrate()
        if reuse and await holds(store, generated):
            return None
        await store.clear()
        await store.import_graph_batched(generated.data)
    else:
        await store.import_graph(generated.data)
    return time.perf_counter() - start


async def log_in(
    store: GraphStore, generated: Generated, questions: list[Question]
) -> dict[str, str]:
    engine = Engine(store)
    tokens = {}
    for inviter in sorted({q[0] for q in questions}):
        tokens[inviter], _ = await engine.identity.login(generated.email_of[inviter], PASSWORD)
    return tokens


def start_server(
    target: list[str], port: int, log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """``graph-engine serve`` on ``port`` in its own process, once it answers ready."""
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
    deadline = time.monotonic() + 300
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=2):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"serve did not come up:\n{log.read_text()}") from None
            time.sleep(0.2)


@contextlib.contextmanager
def server(target: list[str], log: Path, workers: int = 1) -> Iterator[tuple[int, list[int]]]:
    """A server in its own process until the block ends: its port and its processes."""
    port = neo4j_local.free_port()
    proc = start_server(target, port, log, workers)
    try:
        yield port, [proc.pid, *children(proc.pid)]
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=60)


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the processes, from /proc (Linux)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(FileNotFoundError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class Http:
    """GraphQL POSTs over one kept-alive connection (the standard library's: little
    client work of its own on the clock)."""

    def __init__(self, port: int, tokens: dict[str, str]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.tokens = tokens

    async def __call__(self, q: Question) -> Any:
        body = json.dumps({"query": QUERY, "variables": {"i": q[1], "o": q[2]}})
        headers = {
            "content-type": "application/json",
            "authorization": f"Bearer {self.tokens[q[0]]}",
        }
        self.connection.request("POST", "/graphql", body, headers)
        reply = self.connection.getresponse()
        answer = json.loads(reply.read())
        if reply.status != 200 or "errors" in answer:  # noqa: PLR2004
            raise RuntimeError(f"HTTP {reply.status}: {answer}")
        return answer


def levels(
    store: GraphStore, tokens: dict[str, str], uri: str | None
) -> tuple[dict[str, Call], Callable[[], None]]:
    """The levels below HTTP, and what closes them."""
    engine = Engine(store)
    partnerships = engine.partnerships

    async def at_store(q: Question) -> Any:
        return await store.can_invite(
            inviter_id=q[0], invitee_id=q[1], organisation_id=q[2], viewer_id=q[0]
        )

    async def at_engine(q: Question) -> Any:
        return await engine.identity.authenticate_with(
            tokens[q[0]], lambda h: partnerships.can_invite_in_session(h, q[1], q[2])
        )

    calls: dict[str, Call] = {}
    closers: list[Callable[[], None]] = []
    if uri is not None and isinstance(store, Neo4jStore):
        sync_driver = neo4j.GraphDatabase.driver(
            uri, notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF
        )
        closers.append(sync_driver.close)
        driver = store.driver

        async def return1_sync(_: Question) -> Any:
            with sync_driver.session(database=store.database) as session:
                return session.run("RETURN 1 AS one").single()

        decide = store.queries["can_invite"]

        async def statement_sync(q: Question) -> Any:
            with sync_driver.session(database=store.database) as session:
                return session.run(
                    decide,
                    inviterId=q[0],
                    inviteeId=q[1],
                    organisationId=q[2],
                    viewerId=q[0],
                ).single()

        async def return1_async(_: Question) -> Any:
            async with driver.session(
                database=store.database,
                default_access_mode=neo4j.READ_ACCESS,
                bookmark_manager=driver.execute_query_bookmark_manager,
            ) as session:
                result = await session.run("RETURN 1 AS one")
                return [r async for r in result]

        calls = {
            LIMIT: return1_sync,
            "return1 async": return1_async,
            "statement sync": statement_sync,
        }
    calls |= {"store": at_store, "engine": at_engine}

    def close() -> None:
        for closer in closers:
            closer()

    return calls, close


async def interleaved(calls: dict[str, Call], questions: list[Question]) -> dict[str, list[float]]:
    """Each question at every level in turn, the order rotating; milliseconds per level."""
    names = list(calls)
    for q in questions[:WARM_UP]:
        for name in names:
            await calls[name](q)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for k, q in enumerate(questions):
        for name in names[k % len(names) :] + names[: k % len(names)]:
            start = time.perf_counter()
            await calls[name](q)
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def run_store(
    name: str, generated: Generated, args: argparse.Namespace, uri: str | None
) -> dict[str, Any]:
    questions = generated.triples(args.samples, environments=args.inviters)
    memory = MemoryStore()
    folder = Path(tempfile.mkdtemp(prefix="bench-can-invite-"))

    def make_store() -> GraphStore:
        # A Neo4j driver belongs to the event loop it was made in: one per asyncio.run.
        return Neo4jStore(uri) if name == "neo4j" and uri else memory

    async def prepare() -> tuple[float | None, dict[str, str]]:
        store = make_store()
        seconds = await load(store, generated, reuse=args.reuse)
        tokens = await log_in(store, generated, questions)
        if isinstance(store, MemoryStore):
            store.save_snapshot(folder / "graph.json")
        else:
            await store.close()
        return seconds, tokens

    load_seconds, tokens = asyncio.run(prepare())
    print(f"{name}: waited {settle():.0f} s for the machine to be quiet", flush=True)
    target = (
        ["--neo4j", str(uri)] if name == "neo4j" else ["--snapshot", str(folder / "graph.json")]
    )
    with server(target, folder / "serve.log") as (port, pids):

        async def measure() -> tuple[dict[str, list[float]], float]:
            store = make_store()
            calls, close = levels(store, tokens, uri)
            if args.http:
                calls["http"] = Http(port, tokens)
            codes: dict[str, int] = {}
            for q in questions:
                found = await calls["store"](q)
                codes[found.code] = codes.get(found.code, 0) + 1
            cpu = cpu_seconds(pids)
            try:
                samples = await interleaved(calls, questions)
            finally:
                close()
                if isinstance(store, Neo4jStore):
                    await store.close()
            http_cpu = (cpu_seconds(pids) - cpu) / (len(questions) + WARM_UP) * 1000
            samples["codes"] = codes  # type: ignore[assignment]
            return samples, http_cpu

        before = load_average()
        samples, http_cpu = asyncio.run(measure())
    codes = samples.pop("codes")
    result: dict[str, Any] = {level: percentiles(s) for level, s in samples.items()}
    result |= {
        "codes": codes,
        "load_seconds": None if load_seconds is None else round(load_seconds, 1),
        "server_cpu_ms_per_request": round(http_cpu, 3) if args.http else None,
        "load_average": f"{before} -> {load_average()}",
    }
    return result


def table(name: str, result: dict[str, Any], users: int) -> None:
    print(
        f"\n{name}: canInvite in ms, {users:,} users, load average (1/5/15 min)"
        f" {result['load_average']}"
    )
    limit = result.get(LIMIT)
    print(f"{'level':14} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8} {'p50 x':>7} {'p95 x':>7}")
    for level, r in result.items():
        if not isinstance(r, dict) or "p50" not in r:
            continue
        ratio = f"{r['p50'] / limit['p50']:7.2f} {r['p95'] / limit['p95']:7.2f}" if limit else ""
        print(
            f"{level:14} {r['p50']:8.3f} {r['p95']:8.3f} {r['p99']:8.3f} {r['mean']:8.3f} {ratio}"
        )
    if result.get("server_cpu_ms_per_request") is not None:
        print(f"server CPU per HTTP request: {result['server_cpu_ms_per_request']:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--users-per-env", type=int, default=20)
    parser.add_argument("--samples", type=int, default=2_000, help="questions per level")
    parser.add_argument("--inviters", type=int, default=100, help="distinct inviters asked")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    parser.add_argument("--no-http", dest="http", action="store_false")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Neo4j: keep the graph when the store already holds it (no clear, no load)",
    )
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    unknown = set(stores) - set(STORES)
    if unknown:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    generated = generate(
        users=args.users, users_per_env=args.users_per_env, password_hash=hash_password(PASSWORD)
    )
    print(
        f"generated {len(generated.data.nodes):,} nodes and "
        f"{len(generated.data.relationships):,} relationships "
        f"in {time.perf_counter() - started:.1f} s"
    )
    results: dict[str, Any] = {}
    # Neo4j when a store needs it: the one at --neo4j, or a local one for this run.
    neo4j_uri = (
        neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
        if "neo4j" in stores
        else contextlib.nullcontext(args.neo4j)
    )
    with neo4j_uri as uri:
        for name in stores:
            results[name] = run_store(name, generated, args, uri)
            print(f"{name}: loaded in {results[name]['load_seconds']} s")
            table(name, results[name], args.users)
    print("decision codes asked:", results[stores[0]]["codes"])
    print(
        json.dumps(
            {
                "benchmark": "can_invite",
                "users": args.users,
                "machine": f"{platform.machine()} {os.cpu_count()} cores, Python "
                f"{platform.python_version()}",
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
