"""SpiceDB beside graph_engine: the invite rule answered by both, checked equal, timed.

    python benchmarks/spicedb/bench_spicedb.py                   # 100k users, memory and neo4j
    python benchmarks/spicedb/bench_spicedb.py --stores memory   # without Neo4j
    python benchmarks/spicedb/bench_spicedb.py --spicedb-datastore memory --users 10000
    python benchmarks/spicedb/bench_spicedb.py --users 1000000 --neo4j bolt://127.0.0.1:7687

Needs the ``bench`` extra (``pip install -e '.[bench]'``), Go, to build SpiceDB v1.56.2
once into ``.cache/spicedb/`` (``spicedb_server.py``), and PostgreSQL 14 or newer
installed (``spicedb_postgres.py`` runs a throw-away cluster) unless
``--spicedb-datastore memory``.

What runs, on one graph (``benchmarks/generate.py``, 100,000 users by default):

* SpiceDB twice, two ``spicedb serve`` processes: one with its dispatch and schema
  caches off, one with them on. By default both read one PostgreSQL, SpiceDB's
  production datastore; with ``--spicedb-datastore memory`` each has its own in-memory
  datastore (which scans: see ``benchmarks/README.md``). ``schema.zed`` is written and the
  graph goes in with ImportBulkRelationships; every read asks to be at least as fresh as
  the write.
* Our engine: the "memory" store in this process, the "neo4j" store (a local Neo4j
  started for the run unless ``--neo4j`` names one, which is then cleared and loaded),
  each called at store level, and a ``graph-engine serve`` process on each for GraphQL
  over HTTP (the inviters logged in).

First every answer is compared: ``canInvite`` for the benchmark's questions (admins of
an organisation's environment about colleagues and partner users, as
``bench_can_invite.py`` asks) and, outside HTTP, a varied set of other inviters and
invitees; ``inviteCandidates`` for every (inviter, organisation) among them, as sets.
Our decision codes map to allowed/denied. Any disagreement stops the run and is listed.
Then, interleaved in rounds (each round visits the contenders in turn, the next round
in reverse order): latency one call at a time, throughput with 16 in flight (one
connection each; from Go clients for SpiceDB and for our HTTP, see ``systems.py``), and
``inviteCandidates`` latency. Every timed answer is checked too.
The load average is printed with the figures; ``benchmarks/README.md`` records them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import itertools
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spicedb_postgres
import systems
from bench_can_invite import PASSWORD, load, percentiles, start_server
from bench_workers import go_build
from generate import Generated, generate
from graph_engine_devtools import neo4j_local
from spicedb_server import VERSION, SpiceDB, ensure_binary, migrate, serving
from systems import Question, System

from graph_engine.security import hash_password
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

STORES = ("memory", "neo4j")
WARM_UP = 200


class DisagreementError(SystemExit):
    """SpiceDB and our engine (or our two stores) answered a question differently."""


def varied_questions(generated: Generated, count: int, seed: int = 11) -> list[Question]:
    """Inviters and invitees of every kind: plain users, accountants with access to a
    customer's organisation, partner users, users of unrelated environments."""
    rng = random.Random(seed)
    envs = sorted(e for e, users in generated.users_of_env.items() if users)
    out: list[Question] = []
    for n in range(count):
        env = rng.choice(envs)
        org = rng.choice(generated.orgs_of_env[env])
        partners = generated.partners_of_env.get(env, [])
        side = rng.choice(partners) if partners and n % 3 else env
        inviters = generated.users_of_env[side]
        inviter = rng.choice(inviters[:3] if n % 3 == 2 else inviters)  # noqa: PLR2004
        invitee_env = rng.choice([env, env, *partners, rng.choice(envs)])
        out.append((inviter, rng.choice(generated.users_of_env[invitee_env]), org))
    return out


async def log_in(store: GraphStore, generated: Generated, questions: list[Question]) -> Any:
    engine = Engine(store)
    tokens = {}
    for inviter in sorted({q[0] for q in questions}):
        tokens[inviter], _ = await engine.identity.login(generated.email_of[inviter], PASSWORD)
    return tokens


def disagree(kind: str, found: list[str]) -> None:
    if found:
        shown = "\n  ".join(found[:30])
        raise DisagreementError(f"{len(found)} {kind} disagree(s):\n  {shown}")


async def agree(
    contenders: list[System],
    reference: GraphStore,
    questions: list[Question],
    varied: list[Question],
) -> tuple[dict[Question, bool], dict[tuple[str, str], set[str]], dict[str, Any]]:
    """Every contender's answers against the memory store's (``reference``, our
    reference implementation); the expected answers and lists."""
    expected: dict[Question, bool] = {}
    codes: dict[str, Counter[str]] = {"benchmark": Counter(), "varied": Counter()}
    for kind, asked in (("benchmark", questions), ("varied", varied)):
        for q in asked:
            decision = await reference.can_invite(
                inviter_id=q[0], invitee_id=q[1], organisation_id=q[2]
            )
            expected[q] = decision.allowed
            codes[kind][str(decision.code)] += 1
    pairs = sorted({(q[0], q[2]) for q in questions})
    more_pairs = sorted({(q[0], q[2]) for q in varied} - set(pairs))
    ours = systems.our_store("reference", reference)
    wanted = {p: await ours.candidates(*p) for p in pairs + more_pairs}
    checked = {"questions": 0, "candidate_lists": 0}
    for system in contenders:
        over_http = system.name.endswith("HTTP")  # only the logged-in inviters, within reach
        asked = questions if over_http else questions + varied
        wrong = [
            f"{system.name}: {q} answered {not expected[q]}, ours {expected[q]}"
            for q in asked
            if await system.ask(0, q) != expected[q]
        ]
        disagree("canInvite answers", wrong)
        lists = pairs if over_http else pairs + more_pairs
        wrong = []
        for p in lists:
            got = await system.candidates(*p)
            if got != wanted[p]:
                missing, extra = sorted(wanted[p] - got), sorted(got - wanted[p])
                wrong.append(f"{system.name}: {p} lacks {missing[:5]}, adds {extra[:5]}")
        disagree("inviteCandidates lists", wrong)
        checked["questions"] += len(asked)
        checked["candidate_lists"] += len(lists)
    sizes = [len(s) for s in wanted.values()]
    facts = {
        "codes": {k: dict(v.most_common()) for k, v in codes.items()},
        "allowed": sum(expected.values()),
        "pairs": len(pairs),
        "candidates_per_list": {"mean": round(sum(sizes) / len(sizes), 1), "max": max(sizes)},
        **checked,
    }
    return expected, {p: wanted[p] for p in pairs}, facts


async def one_at_a_time(
    system: System, questions: list[Question], expected: dict[Question, bool]
) -> list[float]:
    out = []
    for q in questions:
        start = time.perf_counter()
        allowed = await system.ask(0, q)
        out.append((time.perf_counter() - start) * 1000)
        if allowed != expected[q]:
            disagree("timed canInvite answers", [f"{system.name}: {q}"])
    return out


async def in_flight(
    system: System,
    questions: list[Question],
    expected: dict[Question, bool],
    workers: int,
    seconds: float,
) -> tuple[int, float, list[float]]:
    """``workers`` callers, each on its own connection, for ``seconds`` after a warm-up."""
    position = itertools.count()
    samples: list[float] = []

    async def worker(number: int, until: float, *, record: bool) -> None:
        while time.perf_counter() < until:
            q = questions[next(position) % len(questions)]
            start = time.perf_counter()
            allowed = await system.ask(number, q)
            if record:
                samples.append((time.perf_counter() - start) * 1000)
            if allowed != expected[q]:
                disagree("timed canInvite answers", [f"{system.name}: {q}"])

    warm = time.perf_counter() + 1
    await asyncio.gather(*(worker(n, warm, record=False) for n in range(workers)))
    began = time.perf_counter()
    await asyncio.gather(*(worker(n, began + seconds, record=True) for n in range(workers)))
    return len(samples), time.perf_counter() - began, samples


async def lists(
    system: System, pairs: list[tuple[str, str]], wanted: dict[tuple[str, str], set[str]]
) -> list[float]:
    out = []
    for p in pairs:
        start = time.perf_counter()
        got = await system.candidates(*p)
        out.append((time.perf_counter() - start) * 1000)
        if got != wanted[p]:
            disagree("timed inviteCandidates lists", [f"{system.name}: {p}"])
    return out


async def measure(
    contenders: list[System],
    questions: list[Question],
    expected: dict[Question, bool],
    wanted: dict[tuple[str, str], set[str]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    latency: dict[str, list[float]] = {s.name: [] for s in contenders}
    flight: dict[str, list[float]] = {s.name: [] for s in contenders}
    done: Counter[str] = Counter()
    took: dict[str, float] = {s.name: 0.0 for s in contenders}
    candidates: dict[str, list[float]] = {s.name: [] for s in contenders}
    pairs = sorted(wanted)
    loads = []
    for system in contenders:
        await one_at_a_time(system, questions[:WARM_UP], expected)
    for n in range(args.rounds):
        order = contenders if n % 2 == 0 else contenders[::-1]
        for system in order:
            latency[system.name] += await one_at_a_time(
                system, questions[n :: args.rounds], expected
            )
        for system in order:
            keep_in_flight = system.flight or functools.partial(in_flight, system)
            count, seconds, samples = await keep_in_flight(
                questions, expected, args.concurrency, args.seconds / args.rounds
            )
            done[system.name] += count
            took[system.name] += seconds
            flight[system.name] += samples
        for system in order:
            candidates[system.name] += await lists(system, pairs[n :: args.rounds], wanted)
        loads.append(round(os.getloadavg()[0], 2))
        print(f"round {n + 1} of {args.rounds} done, load average {loads[-1]}", flush=True)
    return {
        s.name: {
            "latency": percentiles(latency[s.name]),
            "throughput": {
                "per_second": round(done[s.name] / took[s.name], 1),
                **percentiles(flight[s.name]),
            },
            "candidates": percentiles(candidates[s.name]),
        }
        for s in contenders
    } | {"load_average_after_rounds": loads}


async def run(
    args: argparse.Namespace,
    generated: Generated,
    spicedbs: list[SpiceDB],
    uri: str | None,
    stack: contextlib.ExitStack,
) -> dict[str, Any]:
    # On PostgreSQL both servers read one datastore: the first loads it for both.
    shared = spicedbs[0].datastore == "postgres"
    questions = generated.triples(args.samples, environments=args.inviters)
    varied = varied_questions(generated, args.varied)
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    loaded: dict[str, float] = {}
    contenders: list[System] = []
    http: list[tuple[str, list[str], dict[str, str]]] = []

    def timer(name: str) -> contextlib.AbstractContextManager[None]:
        @contextlib.contextmanager
        def block() -> Any:
            start = time.perf_counter()
            yield
            loaded[name] = round(time.perf_counter() - start, 1)
            print(f"{name}: loaded in {loaded[name]} s", flush=True)

        return block()

    written, token = 0, None
    for server in spicedbs:
        name = f"spicedb, caches {'on' if server.caches else 'off'}"
        with timer(name):
            system, count, token = await systems.spicedb(
                name,
                server,
                generated.data,
                args.concurrency,
                token if shared else None,
                args.grpc_client,
            )
        written = max(written, count)
        contenders.append(system)
    memory = MemoryStore()
    with timer("memory"):
        await load(memory, generated)
    contenders.append(systems.our_store("memory store", memory))
    snapshot = folder / "graph.json"
    tokens = await log_in(memory, generated, questions)
    memory.save_snapshot(snapshot)
    http.append(("memory", ["--snapshot", str(snapshot)], tokens))
    if uri is not None:
        neo4j = Neo4jStore(uri)
        with timer("neo4j"):
            await load(neo4j, generated)
        contenders.append(systems.our_store("neo4j store", neo4j))
        http.append(("neo4j", ["--neo4j", uri], await log_in(neo4j, generated, questions)))
    for store, target, store_tokens in http:
        port = neo4j_local.free_port()
        proc = start_server(target, port, folder / f"serve-{store}.log")
        stack.callback(stop, proc)
        contenders.append(
            systems.our_http(
                f"{store} HTTP", port, store_tokens, args.concurrency, args.http_client
            )
        )
    try:
        print(f"checking every answer, load average {os.getloadavg()[0]:.2f}", flush=True)
        expected, wanted, facts = await agree(contenders, memory, questions, varied)
        print(f"all agree: {json.dumps(facts)}", flush=True)
        results = await measure(contenders, questions, expected, wanted, args)
    finally:
        for system in contenders:
            await system.close()
    return {"relationships": written, "load_seconds": loaded, "agreement": facts} | results


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=60)


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    print(
        f"\n{args.users:,} users; canInvite one at a time and {args.concurrency} in flight, "
        "inviteCandidates one at a time (ms)"
    )
    print(
        f"{'contender':24} {'p50':>7} {'p95':>7} {'req/s':>8} {'p50':>7} {'p95':>7}"
        f" {'lists p50':>9} {'p95':>7}"
    )
    for name, r in results.items():
        if not isinstance(r, dict) or "latency" not in r:
            continue
        one, many, cand = r["latency"], r["throughput"], r["candidates"]
        print(
            f"{name:24} {one['p50']:7.3f} {one['p95']:7.3f} {many['per_second']:8.1f}"
            f" {many['p50']:7.2f} {many['p95']:7.2f} {cand['p50']:9.3f} {cand['p95']:7.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=2_000, help="benchmark questions")
    parser.add_argument("--inviters", type=int, default=100, help="distinct inviters asked")
    parser.add_argument("--varied", type=int, default=2_000, help="extra questions checked")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds")
    parser.add_argument("--seconds", type=float, default=20.0, help="in flight, per contender")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument(
        "--spicedb-datastore",
        choices=("postgres", "memory"),
        default="postgres",
        help="SpiceDB's datastore: a throw-away PostgreSQL (production's) or its own memory",
    )
    parser.add_argument("--neo4j", default=os.environ.get("GRAPH_ENGINE_NEO4J_URI"))
    args = parser.parse_args()
    stores = [s for s in args.stores.split(",") if s]
    if not set(stores) <= set(STORES) or "memory" not in stores:
        parser.error("--stores takes memory (the reference) and optionally neo4j")

    binary = ensure_binary()
    args.grpc_client = go_build(Path(__file__).resolve().parent / "loadgen")
    args.http_client = go_build(systems.ROOT / "benchmarks" / "loadgen")
    started = time.perf_counter()
    generated = generate(users=args.users, password_hash=hash_password(PASSWORD))
    print(
        f"generated {len(generated.data.nodes):,} nodes and "
        f"{len(generated.data.relationships):,} relationships "
        f"in {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with contextlib.ExitStack() as stack:
        logs = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        postgres = None
        if args.spicedb_datastore == "postgres":
            postgres = stack.enter_context(spicedb_postgres.running())
            migrate(binary, postgres)
        spicedbs = [
            stack.enter_context(
                serving(
                    binary, caches=caches, log=logs / f"spicedb-{caches}.log", postgres=postgres
                )
            )
            for caches in (False, True)
        ]
        uri = (
            stack.enter_context(
                neo4j_local.running(args.neo4j, heap="2g", pagecache="1g", timeout=180)
            )
            if "neo4j" in stores
            else None
        )
        results = asyncio.run(run(args, generated, spicedbs, uri, stack))
    report(results, args)
    print(
        json.dumps(
            {
                "benchmark": "spicedb",
                "spicedb": VERSION,
                "spicedb_datastore": args.spicedb_datastore,
                "users": args.users,
                "samples": args.samples,
                "concurrency": args.concurrency,
                "machine": f"{platform.machine()} {os.cpu_count()} cores, Python "
                f"{platform.python_version()}",
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
