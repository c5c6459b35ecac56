"""The login throttle holds across server processes: two `graph-engine serve` on one Neo4j.

A password guesser who spreads attempts over the workers behind a load balancer
meets one count, because the counters live in the store.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from serving import serving

from graph_engine.model import Billing, Role
from graph_engine.security import hash_password
from graph_engine.store.neo4j import Neo4jStore

PASSWORD = "correct horse battery"
LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }"


def login(port: int, password: str) -> tuple[int, dict[str, Any], str | None]:
    body = json.dumps(
        {"query": LOGIN, "variables": {"e": "guessed@workers.example", "p": password}}
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=body.encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.load(response), response.headers.get("Retry-After")
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc), exc.headers.get("Retry-After")


@pytest.mark.neo4j
async def test_two_workers_share_one_login_throttle(neo4j_uri: str, tmp_path: Path) -> None:
    store = Neo4jStore(neo4j_uri)
    try:
        await store.migrate()
        await store.clear()
        now = datetime.now(UTC)
        await store.create_environment(
            environment_id="env_workers",
            name="Workers",
            email_domain="workers.example",
            billing=Billing.PER_PROCESSED_HOUR,
            seat_limit=None,
            at=now,
        )
        await store.create_user(
            user_id="usr_guessed",
            environment_id="env_workers",
            email="guessed@workers.example",
            username="guessed",
            name="Guessed",
            role=Role.ADMIN,
            password_hash=hash_password(PASSWORD),
            at=now,
        )
    finally:
        await store.close()
    with (
        serving(tmp_path / "a.log", "--neo4j", neo4j_uri, store="neo4j") as a,
        serving(tmp_path / "b.log", "--neo4j", neo4j_uri, store="neo4j") as b,
    ):
        # Five free guesses, spread over both workers, then a sixth: the account waits.
        for port in (a, b, a, b, a, b):
            status, reply, _ = login(port, "a wrong guess")
            assert status == 200
            assert reply["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        for port in (a, b):
            status, reply, retry = login(port, PASSWORD)  # even the right password
            assert status == 429, reply
            assert reply["errors"][0]["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
            assert retry is not None
            assert 1 <= int(retry) <= 3
        time.sleep(int(retry or 1) + 0.2)  # noqa: ASYNC251 - the servers run in other processes
        status, reply, _ = login(b, PASSWORD)
        assert status == 200
        assert reply["data"]["login"]["token"].startswith("ges_")
