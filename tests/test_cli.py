"""The command line as a user meets it: `graph-engine serve` answers the README's tour."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_engine.neo4j_local import free_port

ROOT = Path(__file__).resolve().parent.parent


def _console_script() -> str:
    beside = Path(sys.executable).parent / "graph-engine"
    found = str(beside) if beside.exists() else shutil.which("graph-engine")
    assert found, "the graph-engine console script is not installed"
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [_console_script(), "serve", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert json.load(r) == {"status": "ok", "store": "memory"}
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"graph-engine serve did not come up:\n{log.read_text()}")
                time.sleep(0.2)
        yield port, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _tour_script(port: int) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", tour, re.DOTALL)
    assert len(blocks) >= 3
    return "set -e\n" + "\n".join(blocks).replace("127.0.0.1:8000", f"127.0.0.1:{port}")


def test_serve_answers_the_readme_tour(server: tuple[int, Path]) -> None:
    port, log = server
    done = subprocess.run(  # noqa: S603 - the README's own commands
        ["bash", "-c", _tour_script(port)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert all("errors" not in r for r in replies), replies
    before, missing, repaired, after, candidates = (r["data"] for r in replies)
    assert before["canInvite"]["code"] == "NOT_CONNECTED"
    assert before["canInvite"]["fix"]["action"] == "connect"
    pairs = {(m["user"]["name"], m["peer"]["name"]) for m in missing["missingConnections"]["nodes"]}
    assert ("Carla Smit", "Anna de Vries") in pairs
    assert {r["rule"] for r in repaired["repairConnections"]} >= {"REQUEST_SENDER"}
    assert after["canInvite"] == {
        "allowed": True,
        "code": "PARTNER_CONNECTED",
        "reason": after["canInvite"]["reason"],
    }
    names = {n["name"] for n in candidates["inviteCandidates"]["nodes"]}
    assert "Anna de Vries" in names
    banner = log.read_text()
    assert "demo-password" in banner
    assert "operator key" in banner


def test_schema_command_prints_the_committed_schema() -> None:
    done = subprocess.run(  # noqa: S603
        [_console_script(), "schema"], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == (ROOT / "schema.graphql").read_text(encoding="utf-8")


def test_demo_command_walks_through_the_story() -> None:
    done = subprocess.run(  # noqa: S603
        [_console_script(), "demo"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "NOT_CONNECTED" in done.stdout
    assert "PARTNER_CONNECTED" in done.stdout
    # the Easyflex story: a transfer done in one work company only blocks the release
    assert "rights of usr_kees in org_flex_noord are held by usr_piet" in done.stdout
    assert "rights of usr_kees in org_flex_zuid are held by usr_kees" in done.stdout
    assert "CONSTRAINT_VIOLATION" in done.stdout
