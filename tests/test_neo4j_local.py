"""Tests for graph_engine_devtools.neo4j_local (devtools/) against a real Neo4j Community server.

The tests marked ``neo4j`` start real JVMs; they share the jars in ``$GRAPH_ENGINE_CACHE_DIR``
(downloaded once by ``ensure_runtime``) and keep the CLI's instance file in a temporary
``GRAPH_ENGINE_NEO4J_STATE`` so a developer's own instance is never touched. The fetch tests
use a stand-in ``mvn`` script so they can check locking and error reporting without a
download.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from graph_engine_devtools import neo4j_local
from graph_engine_devtools.cli import neo4j_group
from graph_engine_devtools.neo4j_local import (
    NEO4J_VERSION,
    STATE_ENV,
    LocalNeo4j,
    Neo4jUnavailableError,
    default_cache_dir,
    ensure_runtime,
    free_port,
    start,
    wait_ready,
)
from neo4j import GraphDatabase

if TYPE_CHECKING:
    from collections.abc import Iterator


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _servers_for_home(home: Path) -> list[int]:
    """Pids of live JVMs started with ``--home-dir=<home>``."""
    marker = f"--home-dir={home.resolve()}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker in argv:
            pids.append(int(entry.name))
    return pids


def _port_of(uri: str) -> int:
    return int(uri.rsplit(":", 1)[1])


@pytest.fixture(scope="module")
def lib_dir() -> Path:
    # Fetched (or found) once per module in the shared cache, so no test pays for a download.
    return ensure_runtime()


# ---------------------------------------------------------------------------------------------
# Helpers that need no server
# ---------------------------------------------------------------------------------------------


def test_default_cache_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GRAPH_ENGINE_CACHE_DIR", str(tmp_path))
    assert default_cache_dir() == tmp_path
    monkeypatch.delenv("GRAPH_ENGINE_CACHE_DIR")
    assert default_cache_dir() == Path.home() / ".cache" / "graph-engine"


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))


def test_wait_ready_gives_up_on_a_closed_port() -> None:
    began = time.monotonic()
    with pytest.raises(Neo4jUnavailableError, match="not ready within 1 s"):
        wait_ready(f"bolt://127.0.0.1:{free_port()}", timeout=1.0)
    assert time.monotonic() - began < 5


def test_start_rejects_a_malformed_size() -> None:
    with pytest.raises(ValueError, match="heap must be a size"):
        start(heap="lots")


# ---------------------------------------------------------------------------------------------
# ensure_runtime with a stand-in mvn
# ---------------------------------------------------------------------------------------------

_FAKE_MVN = """\
#!/bin/sh
# Stand-in for mvn: records the call, takes a while, then copies one "jar" (or fails).
echo call >> "{calls}"
sleep 1
for arg in "$@"; do
  case "$arg" in -DoutputDirectory=*) out="${{arg#-DoutputDirectory=}}";; esac
done
if [ -n "{fail}" ]; then echo "[ERROR] Could not resolve dependencies"; exit 1; fi
mkdir -p "$out" && echo jar > "$out/neo4j-server-{version}.jar"
"""


def _fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "mvn-calls"
    mvn = bin_dir / "mvn"
    mvn.write_text(_FAKE_MVN.format(calls=calls, fail="yes" if fail else "", version=NEO4J_VERSION))
    java = bin_dir / "java"
    java.write_text("#!/bin/sh\nexit 0\n")  # ensure_runtime only checks java exists
    for tool in (mvn, java):
        tool.chmod(0o755)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    return calls


def test_ensure_runtime_fetches_once_under_concurrency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_tools(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    script = (
        "import sys; from pathlib import Path; from graph_engine_devtools.neo4j_local import "
        "ensure_runtime; print(ensure_runtime(Path(sys.argv[1])))"
    )
    workers = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script, str(cache)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        for _ in range(3)
    ]
    outputs = [worker.communicate(timeout=60)[0].strip() for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0]
    lib = cache.resolve() / f"neo4j-{NEO4J_VERSION}" / "lib"
    assert outputs == [str(lib)] * 3
    assert calls.read_text().splitlines() == ["call"]
    assert (lib / f"neo4j-server-{NEO4J_VERSION}.jar").is_file()
    # Idempotent: a later call finds the marker and does not run mvn again.
    assert ensure_runtime(cache) == lib
    assert calls.read_text().splitlines() == ["call"]


def test_ensure_runtime_refetches_a_pruned_lib_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_tools(tmp_path, monkeypatch)
    lib = ensure_runtime(tmp_path / "cache")
    (lib / f"neo4j-server-{NEO4J_VERSION}.jar").unlink()
    assert ensure_runtime(tmp_path / "cache") == lib
    assert len(calls.read_text().splitlines()) == 2
    assert (lib / f"neo4j-server-{NEO4J_VERSION}.jar").is_file()


def test_ensure_runtime_reports_mvn_failure_with_its_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_tools(tmp_path, monkeypatch, fail=True)
    with pytest.raises(Neo4jUnavailableError, match="mvn failed") as caught:
        ensure_runtime(tmp_path / "cache")
    assert "Could not resolve dependencies" in str(caught.value)
    assert not (tmp_path / "cache" / f"neo4j-{NEO4J_VERSION}" / "lib").exists()


def test_ensure_runtime_reports_missing_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(Neo4jUnavailableError, match="java was not found"):
        ensure_runtime(tmp_path / "cache")
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\n")
    java.chmod(0o755)
    with pytest.raises(Neo4jUnavailableError, match="mvn was not found"):
        ensure_runtime(tmp_path / "cache")


# ---------------------------------------------------------------------------------------------
# A real server
# ---------------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_runtime_is_complete(lib_dir: Path) -> None:
    assert (lib_dir / f"neo4j-server-{NEO4J_VERSION}.jar").is_file()
    began = time.monotonic()
    assert ensure_runtime() == lib_dir
    assert time.monotonic() - began < 1  # cached: no mvn run


@pytest.mark.neo4j
def test_start_query_stop(lib_dir: Path) -> None:
    server = start()
    try:
        port = _port_of(server.uri)
        assert server.uri == f"bolt://127.0.0.1:{port}"
        assert server.is_running()
        assert (server.home / "conf" / "neo4j.conf").is_file()
        with GraphDatabase.driver(server.uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "CREATE (n:Probe {value: $value}) RETURN n.value AS value",
                value=42,
                database_="neo4j",
            )
        assert [record["value"] for record in records] == [42]
    finally:
        server.stop()
    assert not server.is_running()
    assert not Path(f"/proc/{server.pid}").exists()
    assert not _port_open(port)
    assert not server.home.exists()  # a throw-away home goes with the server
    server.stop()  # idempotent


@pytest.mark.neo4j
def test_kept_home_survives_a_restart(lib_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "instance"
    first = start(home=home)
    try:
        with GraphDatabase.driver(first.uri, auth=None) as driver:
            driver.execute_query("CREATE (:Kept {id: 1})", database_="neo4j")
    finally:
        first.stop()
    assert (home / "logs" / "neo4j.log").is_file()
    second = start(home=home)
    try:
        with GraphDatabase.driver(second.uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (k:Kept) RETURN count(k) AS n", database_="neo4j"
            )
        assert records[0]["n"] == 1
    finally:
        second.stop()
    assert home.is_dir()


@pytest.mark.neo4j
def test_busy_port_fails_fast_with_a_reason(lib_dir: Path, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        began = time.monotonic()
        with pytest.raises(Neo4jUnavailableError, match=f"port {port} .* already in use"):
            start(port=port, home=tmp_path / "busy", timeout=5)
    assert time.monotonic() - began < 5
    assert _servers_for_home(tmp_path / "busy") == []


@pytest.mark.neo4j
def test_port_taken_after_the_check_is_reported_as_an_exit(
    lib_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulates losing the race between the up-front check and Neo4j's own bind: the server
    # must exit and the reason must come from its log, well before the timeout.
    monkeypatch.setattr(neo4j_local, "_port_in_use", lambda _port: False)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(Neo4jUnavailableError) as caught:
            start(port=port, home=tmp_path, timeout=100)
    assert "exited during start-up with exit code 1" in caught.value.reason
    assert "Address already in use" in caught.value.reason
    assert _servers_for_home(tmp_path) == []


@pytest.mark.neo4j
def test_early_exit_reports_exit_code_and_log(lib_dir: Path, tmp_path: Path) -> None:
    began = time.monotonic()
    with pytest.raises(Neo4jUnavailableError) as caught:
        start(home=tmp_path, heap="1m", timeout=60)  # the JVM refuses a 1 MB heap at once
    assert time.monotonic() - began < 30
    error = caught.value
    assert "exited during start-up with exit code 1" in error.reason
    assert "Too small maximum heap" in error.reason
    assert "console.log" in error.log_tail
    assert str(error).startswith(error.reason)


@pytest.mark.neo4j
def test_timeout_stops_the_process(lib_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(Neo4jUnavailableError, match=r"not ready within 0\.5 s") as caught:
        start(home=tmp_path, timeout=0.5)
    assert "home" in caught.value.reason
    assert _servers_for_home(tmp_path) == []
    assert (tmp_path / "logs" / "console.log").exists()  # kept for reading


# ---------------------------------------------------------------------------------------------
# The CLI
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def state_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "state" / "instance.json"
    monkeypatch.setenv(STATE_ENV, str(path))
    yield path
    # A failed assertion must not leak a JVM.
    if path.exists():
        data = json.loads(path.read_text())
        LocalNeo4j(uri=data["uri"], pid=data["pid"], home=Path(data["home"])).stop()


@pytest.mark.neo4j
def test_cli_start_status_stop(lib_dir: Path, state_file: Path) -> None:
    runner = CliRunner()

    result = runner.invoke(neo4j_group, ["status"])
    assert result.exit_code == 1
    assert result.stdout.startswith("not running")

    result = runner.invoke(neo4j_group, ["start", "--heap", "512m"])
    assert result.exit_code == 0, result.output
    state = json.loads(state_file.read_text())
    uri, pid = state["uri"], state["pid"]
    assert result.stdout == f"export GRAPH_ENGINE_NEO4J_URI={uri}\n"
    assert uri in result.stderr

    result = runner.invoke(neo4j_group, ["start"])
    assert result.exit_code == 1
    assert "already running" in result.output
    assert "Traceback" not in result.output
    assert json.loads(state_file.read_text())["pid"] == pid

    result = runner.invoke(neo4j_group, ["status"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == ["running", f"uri:  {uri}", f"pid:  {pid}"]
    wait_ready(uri, timeout=5)

    result = runner.invoke(neo4j_group, ["stop"])
    assert result.exit_code == 0, result.output
    assert "Stopped" in result.stdout
    assert not state_file.exists()
    assert not Path(f"/proc/{pid}").exists()
    assert not _port_open(_port_of(uri))
    assert not Path(state["home"]).exists()

    result = runner.invoke(neo4j_group, ["stop"])
    assert result.exit_code == 0
    assert "No local Neo4j is running" in result.stdout
    assert runner.invoke(neo4j_group, ["status"]).exit_code == 1


@pytest.mark.neo4j
def test_a_recorded_server_stops_for_offline_work_and_comes_back_the_same(
    lib_dir: Path, state_file: Path
) -> None:
    assert CliRunner().invoke(neo4j_group, ["start", "--heap", "512m"]).exit_code == 0
    state = json.loads(state_file.read_text())
    uri = state["uri"]
    assert neo4j_local.local_server(uri.replace("127.0.0.1", "localhost")) is not None
    assert neo4j_local.local_server("bolt://127.0.0.1:1") is None
    server = neo4j_local.local_server(uri)
    assert server is not None
    try:
        with GraphDatabase.driver(uri, auth=None) as driver:
            driver.execute_query("CREATE (:Kept {id: 1})", database_="neo4j")
        before = server.pid
        with server.stopped() as data:
            assert not server.is_running()
            assert not _port_open(_port_of(uri))
            assert (data / "databases" / "neo4j").is_dir()
        assert server.is_running()
        assert server.pid != before
        assert json.loads(state_file.read_text())["pid"] == server.pid  # stop finds it
        with GraphDatabase.driver(uri, auth=None) as driver:
            records, _, _ = driver.execute_query(
                "MATCH (k:Kept) RETURN count(k) AS n", database_="neo4j"
            )
        assert records[0]["n"] == 1
    finally:
        result = CliRunner().invoke(neo4j_group, ["stop"])
    assert result.exit_code == 0, result.output
    assert not Path(state["home"]).exists()


def test_cli_forgets_a_dead_instance(state_file: Path, tmp_path: Path) -> None:
    state_file.parent.mkdir(parents=True)
    # A pid that is certainly not a Neo4j for this home: our own test process.
    stale = {"uri": "bolt://127.0.0.1:1", "pid": os.getpid(), "home": str(tmp_path / "gone")}
    state_file.write_text(json.dumps(stale))
    result = CliRunner().invoke(neo4j_group, ["status"])
    assert result.exit_code == 1
    assert result.stdout.startswith("not running")
    result = CliRunner().invoke(neo4j_group, ["stop"])
    assert result.exit_code == 0
    assert "is gone" in result.stdout
    assert not state_file.exists()


@pytest.mark.neo4j
def test_cli_reports_errors_in_one_line(lib_dir: Path, state_file: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(neo4j_group, ["start", "--port", str(port)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: port {port} on 127.0.0.1 is already in use"
    assert not state_file.exists()


@pytest.mark.neo4j
def test_cli_fetch_prints_the_lib_dir(lib_dir: Path) -> None:
    result = CliRunner().invoke(neo4j_group, ["fetch"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{lib_dir}\n"


def test_cli_help_describes_the_group() -> None:
    result = CliRunner().invoke(neo4j_group, ["--help"])
    assert result.exit_code == 0
    assert "Run a local Neo4j Community 5.26" in result.stdout
    for command in ("start", "stop", "status", "fetch"):
        assert command in result.stdout
