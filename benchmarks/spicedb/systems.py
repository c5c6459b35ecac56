"""The contenders of ``bench_spicedb.py``, each behind the same two questions.

``ask`` answers "may I invite J to O?" as allowed or not (``worker`` picks the
connection, for the runs with several in flight); ``candidates`` answers
``inviteCandidates`` as a set of user ids, every page of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


@dataclass
class System:
    name: str
    ask: Callable[[int, Question], Awaitable[bool]]
    candidates: Callable[[str, str], Awaitable[set[str]]]
    close: Callable[[], Awaitable[None]]


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


def our_http(name: str, port: int, tokens: dict[str, str], connections: int) -> System:
    """GraphQL over HTTP to a ``graph-engine serve`` process, as the inviter (logged in)."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, limits=limits)

    async def post(inviter: str, query: str, variables: dict[str, Any]) -> Any:
        reply = await client.post(
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

    return System(name, ask, candidates, client.aclose)


async def spicedb(
    name: str, server: SpiceDB, data: GraphData, connections: int, token: ZedToken | None
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
        for client in clients:
            await client.close()

    return System(name, ask, candidates, close), written, token
