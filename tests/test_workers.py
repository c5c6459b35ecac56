"""Several workers on one Neo4j: any worker answers any request, and sees every write at once."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from serving import start
from test_outage import operator_key


def post(port: int, key: str, query: str, **variables: Any) -> dict[str, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        body: dict[str, Any] = json.load(response)
    assert "errors" not in body, body
    return body


@pytest.mark.neo4j
def test_two_workers_answer_one_port_and_never_serve_a_stale_write(
    neo4j_uri: str, tmp_path: Path
) -> None:
    key = asyncio.run(operator_key(neo4j_uri))
    log = tmp_path / "serve.log"
    proc, port = start(log, "--neo4j", neo4j_uri, "--workers", "2", store="neo4j")
    try:
        pids: set[int] = set()
        deadline = time.monotonic() + 60
        while len(pids) < 2:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=2) as r:
                    pids.add(json.load(r)["pid"])
            except OSError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"workers seen: {pids}\n{log.read_text()}"
        made = post(
            port,
            key,
            'mutation { createEnvironment(input: {name: "W", emailDomain: "workers2.example"}) { id } }',
        )
        env = made["data"]["createEnvironment"]["id"]
        # Each write is read back at once, by whichever worker the kernel hands it to.
        for i in range(40):
            org = post(
                port,
                key,
                "mutation($e: ID!, $n: String!) { createOrganisation(environmentId: $e, name: $n) { id } }",
                e=env,
                n=f"Org {i}",
            )["data"]["createOrganisation"]["id"]
            seen = post(port, key, "query($o: ID!) { organisation(id: $o) { name } }", o=org)
            assert seen["data"]["organisation"]["name"] == f"Org {i}"
            listed = post(
                port,
                key,
                "query($e: ID!) { environment(id: $e) { organisations(first: 100) { nodes { id } } } }",
                e=env,
            )
            assert len(listed["data"]["environment"]["organisations"]["nodes"]) == i + 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
