"""Neo4j goes away under a running server: every request fails fast and says so, the health
checks answer within a second, and the server recovers by itself when Neo4j is back.

A Neo4j of its own (started here, stopped, started again on the same data), and a real
``graph-engine serve`` process in front of it.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from graph_engine_devtools import neo4j_local
from serving import serving

from graph_engine import ids
from graph_engine.model import PrincipalKind
from graph_engine.store.neo4j import Neo4jStore

QUERY = '{ environment(id: "env_nope") { name } }'


def get(url: str) -> tuple[int, dict[str, Any], float]:
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            body = json.load(response)
            return response.status, body, time.perf_counter() - start
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc), time.perf_counter() - start


def ask(port: int, key: str) -> tuple[int, dict[str, Any], float, dict[str, str]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {key}"},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.load(response), time.perf_counter() - start, {}
    except urllib.error.HTTPError as exc:
        headers = {k.lower(): v for k, v in exc.headers.items()}
        return exc.code, json.load(exc), time.perf_counter() - start, headers


async def operator_key(uri: str) -> str:
    store = Neo4jStore(uri)
    try:
        await store.migrate()
        key = ids.new_api_key()
        await store.create_api_key(
            key_id=ids.new_id("ApiKey"),
            kind=PrincipalKind.OPERATOR,
            name="outage test",
            key_hash=ids.token_hash(key),
            environment_id=None,
            at=datetime.now(UTC),
        )
        return key
    finally:
        await store.close()


@pytest.mark.neo4j
def test_with_neo4j_gone_every_request_fails_fast_and_health_says_so(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    neo4j = neo4j_local.start(home=home, heap="512m", pagecache="128m", timeout=180)
    try:
        key = asyncio.run(operator_key(neo4j.uri))
        with serving(tmp_path / "serve.log", "--neo4j", neo4j.uri, store="neo4j") as port:
            base = f"http://127.0.0.1:{port}"
            assert ask(port, key)[1]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            neo4j.stop()
            for _ in range(3):
                status, body, seconds, headers = ask(port, key)
                assert seconds < 5, seconds
                assert status == 503
                assert body["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
                assert headers.get("retry-after") == "5"
                text = json.dumps(body)
                assert "bolt" not in text
                assert str(neo4j.uri.rsplit(":", 1)[1]) not in text
            status, body, seconds = get(f"{base}/health/ready")
            assert (status, body["status"]) == (503, "unavailable")
            assert seconds < 1, seconds
            status, body, seconds = get(f"{base}/health/live")
            assert (status, body["status"]) == (200, "ok")
            assert seconds < 1, seconds
            # Neo4j comes back on the same data: the server recovers by itself.
            port_of_neo4j = int(neo4j.uri.rsplit(":", 1)[1])
            neo4j = neo4j_local.start(
                home=home, port=port_of_neo4j, heap="512m", pagecache="128m", timeout=180
            )
            deadline = time.monotonic() + 30
            while get(f"{base}/health/ready")[0] != 200:
                assert time.monotonic() < deadline, "the server did not recover"
                time.sleep(0.5)
            assert ask(port, key)[1]["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        # The store's address went to the server's log, for the operator.
        assert neo4j.uri.split("//")[1] in (tmp_path / "serve.log").read_text()
    finally:
        neo4j.stop()
