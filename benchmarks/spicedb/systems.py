"""The contenders of ``bench_spicedb.py``, each behind the same two questions.

``ask`` answers "may I invite J to O?" as allowed or not (``worker`` picks the
connection, for the runs with several in flight); ``candidates`` answers
``inviteCandidates`` as a set of user ids, every page of it. ``flight``, where there is
one, keeps questions in flight from a Go client (``benchmarks/loadgen`` for GraphQL over
HTTP, ``benchmarks/spicedb/loadgen`` for SpiceDB's gRPC) instead of this Python process,
whose own CPU per request would otherwise be what the run measures; the in-process store
levels have none.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import spicedb_client
from authzed.api.v1 import ZedToken
from spicedb_server import SpiceDB

from graph_engine.model import GraphData, PageRequest
from graph_engine.store.base import GraphStore

Question = tuple[str, str, str]  # inviter, invitee, organisation
PAGE = 500  # the largest page our API gives

CAN_INVITE = """query($i: ID!, $o: ID!) {
  canInvite(inviteeId: $i, organisationId: $o) { allowed code }
}"""
CANDIDATES = """query($o: ID!, $after: String) {
  inviteCandidates(organisationId: $o, first: 500, after: $after) {
    nodes { id } pageInfo { hasNextPage endCursor }
  }
}"""


# (questions, their expected answers, in flight, seconds) -> (answers, seconds, latencies ms)
Flight = Callable[
    [list[Question], dict[Question, bool], int, float], Awaitable[tuple[int, float, list[float]]]
]
ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class System:
    name: str
    ask: Callable[[int, Question], Awaitable[bool]]
    candidates: Callable[[str, str], Awaitable[set[str]]]
    close: Callable[[], Awaitable[None]]
    flight: Flight | None = None


async def drive(
    command: list[str], lines: list[dict[str, Any]], workers: int, seconds: float
) -> tuple[int, float, list[float]]:
    """Run a Go client over ``lines`` (its requests file) with ``workers`` in flight for
    ``seconds`` after 1 s of warm-up; every answer must have been the expected one."""
    with tempfile.TemporaryDirectory() as folder:
        asks, samples = Path(folder) / "asks.jsonl", Path(folder) / "samples.txt"
        asks.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        done = await asyncio.to_thread(
            subprocess.run,
            [
                *command,
                str(asks),
                "-c",
                str(workers),
                "-d",
                f"{seconds}s",
                "-warmup",
                "1s",
                "-samples",
                str(samples),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        found = json.loads(done.stdout)
        if found["errors"]:
            raise RuntimeError(f"{command[0]}: {found['errors']} answers not the expected ones")
        latencies = [float(x) for x in samples.read_text(encoding="utf-8").split()]
    return found["requests"], found["requests"] / found["per_second"], latencies


def our_store(name: str, store: GraphStore) -> System:
    """``GraphStore.can_invite`` and ``invite_candidates``, called in this process."""

    async def ask(_worker: int, q: Question) -> bool:
        decision = await store.can_invite(inviter_id=q[0], invitee_id=q[1], organisation_id=q[2])
        return decision.allowed

    async def candidates(inviter: str, organisation: str) -> set[str]:
        found: set[str] = set()
        after = None
        while True:
            page = await store.invite_candidates(
                inviter_id=inviter,
                organisation_id=organisation,
                search=None,
                page=PageRequest(first=PAGE, after=after),
            )
            found.update(u.id for u in page.items)
            if not page.has_next_page:
                return found
            after = page.end_cursor

    return System(name, ask, candidates, store.close)


def our_http(
    name: str, port: int, tokens: dict[str, str], connections: int, client: Path
) -> System:
    """GraphQL over HTTP to a ``graph-engine serve`` process, as the inviter (logged in);
    ``client`` is the built ``benchmarks/loadgen``, which keeps the questions in flight."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits)

    async def post(inviter: str, query: str, variables: dict[str, Any]) -> Any:
        reply = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {tokens[inviter]}"},
        )
        body = reply.json()
        if reply.status_code != 200 or "errors" in body:  # noqa: PLR2004
            raise RuntimeError(f"{name}: HTTP {reply.status_code}: {body}")
        return body["data"]

    async def ask(_worker: int, q: Question) -> bool:
        data = await post(q[0], CAN_INVITE, {"i": q[1], "o": q[2]})
        return bool(data["canInvite"]["allowed"])

    async def candidates(inviter: str, organisation: str) -> set[str]:
        found: set[str] = set()
        after = None
        while True:
            data = await post(inviter, CANDIDATES, {"o": organisation, "after": after})
            page = data["inviteCandidates"]
            found.update(str(n["id"]) for n in page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    async def flight(
        questions: list[Question], expected: dict[Question, bool], workers: int, seconds: float
    ) -> tuple[int, float, list[float]]:
        lines = [
            {
                "body": json.dumps({"query": CAN_INVITE, "variables": {"i": q[1], "o": q[2]}}),
                "token": tokens[q[0]],
                "expect": f'"allowed":{str(expected[q]).lower()}',
            }
            for q in questions
        ]
        url = f"http://127.0.0.1:{port}/graphql"
        return await drive([str(client), "-url", url, "-requests"], lines, workers, seconds)

    return System(name, ask, candidates, http.aclose, flight)


async def spicedb(  # noqa: PLR0917 - the server, the graph, the clients and the token
    name: str,
    server: SpiceDB,
    data: GraphData,
    connections: int,
    token: ZedToken | None,
    client: Path,
) -> tuple[System, int, ZedToken]:
    """SpiceDB with one gRPC connection per worker, loaded with the graph unless ``token``
    says its datastore holds it already (two servers on one PostgreSQL); the number of
    relationships written and the token of the write."""
    clients = [spicedb_client.connect(server.target, server.key) for _ in range(connections)]
    written = 0
    if token is None:
        written, token = await spicedb_client.load(clients[0], data)
    fresh = token

    async def ask(worker: int, q: Question) -> bool:
        return await spicedb_client.can_invite(clients[worker], fresh, *q)

    async def candidates(inviter: str, organisation: str) -> set[str]:
        return await spicedb_client.invite_candidates(clients[0], fresh, inviter, organisation)

    async def close() -> None:
        for each in clients:
            await each.close()

    async def flight(
        questions: list[Question], expected: dict[Question, bool], workers: int, seconds: float
    ) -> tuple[int, float, list[float]]:
        lines = [
            {"inviter": q[0], "invitee": q[1], "organisation": q[2], "allowed": expected[q]}
            for q in questions
        ]
        # name=value: a key or token may begin with a dash
        command = [str(client), f"-target={server.target}", f"-key={server.key}"]
        command += [f"-token={fresh.token}", "-questions"]
        return await drive(command, lines, workers, seconds)

    return System(name, ask, candidates, close, flight), written, token
