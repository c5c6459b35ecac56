"""``graph-engine serve`` refuses to start in one line that says what to check.

Nothing is printed as ready (no key, no URL) before the port is bound and the store
answers; no traceback, no retry chatter.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from graph_engine_devtools.neo4j_local import free_port
from serving import console_script

from graph_engine.settings import Settings, SettingsError


def serve(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str, float]:
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own console script
        [console_script(), "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_an_unreachable_neo4j_is_one_line_naming_what_to_check() -> None:
    nobody = free_port()
    code, out, err, seconds = serve(
        "--neo4j", f"bolt://127.0.0.1:{nobody}", "--port", str(free_port())
    )
    assert code == 1
    line = one_line(err)
    assert line.startswith(f"Error: cannot reach Neo4j at bolt://127.0.0.1:{nobody}")
    assert "GRAPH_ENGINE_NEO4J_URI" in line
    assert "GraphQL API on" not in out
    assert "operator key" not in out
    assert seconds < 15


def test_a_port_in_use_is_one_line_and_nothing_is_announced() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err, _ = serve("--port", str(port))
    assert code == 1
    assert one_line(err).startswith(f"Error: cannot listen on 127.0.0.1:{port}")
    assert out == ""


def test_a_bad_setting_is_one_line_naming_it() -> None:
    code, out, err, _ = serve(env={"GRAPH_ENGINE_PORT": "abc"})
    assert code == 1
    assert "GRAPH_ENGINE_PORT" in one_line(err)
    assert out == ""


def test_workers_on_the_memory_store_are_refused() -> None:
    code, _, err, _ = serve("--workers", "2", "--port", str(free_port()))
    assert code == 2
    assert "--workers needs --neo4j" in err


def test_a_snapshot_another_server_holds_is_refused(tmp_path: Path) -> None:
    from graph_engine.store.memory import MemoryStore  # noqa: PLC0415

    path = tmp_path / "graph.json"
    held = MemoryStore.durable(path)
    try:
        code, out, err, _ = serve("--snapshot", str(path), "--port", str(free_port()))
    finally:
        assert held._journal is not None
        held._journal.close()
    assert code == 1
    assert one_line(err) == f"Error: {path} is in use by another graph-engine process"
    assert "operator key" not in out


def test_the_schedule_is_a_setting_of_whole_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GRAPH_ENGINE_ALERTS_EVERY_MINUTES", raising=False)
    assert Settings.from_env().alerts_every is None
    monkeypatch.setenv("GRAPH_ENGINE_ALERTS_EVERY_MINUTES", "15")
    assert Settings.from_env().alerts_every == timedelta(minutes=15)
    monkeypatch.setenv("GRAPH_ENGINE_ALERTS_EVERY_MINUTES", "0")
    with pytest.raises(SettingsError):
        Settings.from_env()
