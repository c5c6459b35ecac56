"""How fast is ``canInvite`` on a big graph? p50/p95/p99 per store and over HTTP.

    python benchmarks/bench_can_invite.py                      # 100k users, both stores
    python benchmarks/bench_can_invite.py --users 1000000 --stores neo4j
    python benchmarks/bench_can_invite.py --neo4j bolt://127.0.0.1:7687

Three levels are timed, one call after the other (latency, not throughput):

* ``store``: ``GraphStore.can_invite`` alone (the one Cypher query, or the networkx walk);
* ``engine``: what a request does without HTTP: resolve the bearer token from the
  graph, check the caller may ask, then ``can_invite``;
* ``http``: a GraphQL ``canInvite`` POST to a uvicorn server on this machine, over a
  kept-alive connection.

Without ``--neo4j`` (or ``GRAPH_ENGINE_NEO4J_URI``) a local Neo4j is started and stopped
(``graph_engine.neo4j_local``); the Neo4j store is cleared before loading. Results are
printed as a table and as one JSON line; ``benchmarks/README.md`` records them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Generated, generate

from graph_engine import neo4j_local
from graph_engine.api.app import create_app
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


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "mean": round(statistics.fmean(samples_ms), 3),
        "n": len(samples_ms),
    }


async def timed(calls: list[Callable[[], Awaitable[Any]]]) -> list[float]:
    for call in calls[:WARM_UP]:
        await call()
    out = []
    for call in calls:
        start = time.perf_counter()
        await call()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def load(store: GraphStore, generated: Generated) -> float:
    start = time.perf_counter()
    if isinstance(store, Neo4jStore):
        await store.migrate()
        await store.clear()
        await store.import_graph_batched(generated.data)
    else:
        await store.import_graph(generated.data)
    return time.perf_counter() - start


async def measure_engine(
    store: GraphStore, generated: Generated, triples: list[tuple[str, str, str]]
) -> tuple[dict[str, Any], dict[str, str]]:
    engine = Engine(store)
    tokens: dict[str, str] = {}
    for inviter in sorted({t[0] for t in triples}):
        tokens[inviter], _ = await engine.identity.login(generated.email_of[inviter], PASSWORD)

    def store_call(t: tuple[str, str, str]) -> Callable[[], Awaitable[Any]]:
        return lambda: store.can_invite(inviter_id=t[0], invitee_id=t[1], organisation_id=t[2])

    def engine_call(t: tuple[str, str, str]) -> Callable[[], Awaitable[Any]]:
        async def call() -> Any:
            caller = await engine.identity.authenticate(tokens[t[0]])
            return await engine.partnerships.can_invite(caller, t[1], t[2])

        return call

    codes: dict[str, int] = {}
    for t in triples:
        decision = await engine_call(t)()
        codes[decision.code] = codes.get(decision.code, 0) + 1
    return {
        "store": percentiles(await timed([store_call(t) for t in triples])),
        "engine": percentiles(await timed([engine_call(t) for t in triples])),
        "codes": codes,
    }, tokens


def measure_http(
    make_store: Callable[[], GraphStore],
    triples: list[tuple[str, str, str]],
    tokens: dict[str, str],
) -> dict[str, float]:
    port = neo4j_local.free_port()
    config = uvicorn.Config(
        create_app(Engine(make_store())), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:

            def ask(t: tuple[str, str, str]) -> None:
                reply = client.post(
                    "/graphql",
                    json={"query": QUERY, "variables": {"i": t[1], "o": t[2]}},
                    headers={"authorization": f"Bearer {tokens[t[0]]}"},
                )
                body = reply.json()
                if reply.status_code != 200 or "errors" in body:  # noqa: PLR2004
                    raise RuntimeError(f"HTTP {reply.status_code}: {body}")

            for t in triples[:WARM_UP]:
                ask(t)
            samples = []
            for t in triples:
                start = time.perf_counter()
                ask(t)
                samples.append((time.perf_counter() - start) * 1000)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    return percentiles(samples)


def run_store(
    name: str, generated: Generated, args: argparse.Namespace, uri: str | None
) -> dict[str, Any]:
    triples = generated.triples(args.samples, environments=args.inviters)
    memory = MemoryStore()

    def make_store() -> GraphStore:
        if name == "memory":
            return memory
        assert uri is not None  # noqa: S101
        return Neo4jStore(uri)

    async def engine_part() -> tuple[dict[str, Any], dict[str, str], float]:
        store = make_store()
        try:
            seconds = await load(store, generated)
            result, tokens = await measure_engine(store, generated, triples)
        finally:
            if name == "neo4j":
                await store.close()
        return result, tokens, seconds

    result, tokens, load_seconds = asyncio.run(engine_part())
    result["load_seconds"] = round(load_seconds, 1)
    if args.http:
        result["http"] = measure_http(make_store, triples, tokens)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--users-per-env", type=int, default=20)
    parser.add_argument("--samples", type=int, default=2_000, help="questions per level")
    parser.add_argument("--inviters", type=int, default=100, help="distinct inviters asked")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    parser.add_argument("--no-http", dest="http", action="store_false")
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
    neo4j = (
        neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
        if "neo4j" in stores
        else contextlib.nullcontext(args.neo4j)
    )
    with neo4j as uri:
        for name in stores:
            results[name] = run_store(name, generated, args, uri)
            print(f"{name}: loaded in {results[name]['load_seconds']} s")

    print(f"\ncanInvite latency in ms, {args.users:,} users, {args.samples:,} questions per level")
    print(f"{'store':8} {'level':7} {'p50':>8} {'p95':>8} {'p99':>8} {'mean':>8}")
    for name, result in results.items():
        for level in ("store", "engine", "http"):
            if level in result:
                r = result[level]
                print(
                    f"{name:8} {level:7} {r['p50']:8.3f} {r['p95']:8.3f} "
                    f"{r['p99']:8.3f} {r['mean']:8.3f}"
                )
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
