"""Run a real local Neo4j Community 5.26 LTS, without Docker, for development and tests.

Neo4j's standalone tarball is not published on Maven Central, but the server itself is:
``org.neo4j.app:neo4j-server`` plus ``org.neo4j:neo4j`` bring every jar the Community
server needs. :func:`ensure_runtime` copies them once into a cache with ``mvn``
(:mod:`graph_engine_devtools.runtime`) and :func:`start` runs
``org.neo4j.server.CommunityEntryPoint`` on the machine's Java 17 with a generated
``neo4j.conf``: authentication off, Bolt only, bound to the loopback interface.

Environment variables
---------------------
GRAPH_ENGINE_CACHE_DIR
    Where the runtime (``neo4j-<version>/lib``, the Maven repository ``m2``) and, by default,
    the CLI's ``instance.json`` live. Defaults to ``~/.cache/graph-engine``. A test run sets it
    once so every test shares one download.
GRAPH_ENGINE_NEO4J_STATE
    Path of the JSON file in which ``graph-engine neo4j start`` records the running instance
    (``uri``, ``pid``, ``home``) for ``stop`` and ``status``. Defaults to
    ``<cache>/instance.json``. Tests point it at a temporary file so they neither see nor
    disturb a developer's instance while still sharing the downloaded jars.

Examples
--------
>>> server = start()                       # doctest: +SKIP
>>> server.uri                             # doctest: +SKIP
'bolt://127.0.0.1:40123'
>>> server.stop()                          # doctest: +SKIP

From the shell: ``eval "$(graph-engine neo4j start)"`` exports ``GRAPH_ENGINE_NEO4J_URI``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import click
from neo4j import GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from graph_engine_devtools.runtime import (
    NEO4J_VERSION,
    Neo4jUnavailableError,
    default_cache_dir,
    ensure_runtime,
    java_executable,
    tail_text,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = [
    "NEO4J_VERSION",
    "LocalNeo4j",
    "Neo4jUnavailableError",
    "default_cache_dir",
    "ensure_runtime",
    "free_port",
    "local_server",
    "read_state",
    "running",
    "start",
    "state_file",
    "wait_ready",
    "write_state",
]

STATE_ENV = "GRAPH_ENGINE_NEO4J_STATE"

_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
_ADMIN_ENTRY_POINT = "org.neo4j.cli.AdminTool"
_LOOPBACK = "127.0.0.1"
_POLL_INTERVAL = 0.25
_MEMORY_SIZE = re.compile(r"^[1-9][0-9]*[kKmMgG]?$")

# Neo4j 5's packaged neo4j.conf puts these in `server.jvm.additional`, and its bootloader adds
# -Dfile.encoding=UTF-8. Starting the entry point directly bypasses both, so they are passed
# here. -XX:+AlwaysPreTouch is left out on purpose: it touches every heap page before main()
# runs, which costs start-up time for no benefit on a short-lived development server.
_JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)

# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------


def _child_status(pid: int) -> tuple[bool, int | None]:
    """Return ``(is_our_child, exit_code)``, reaping ``pid`` if it is our child and exited.

    ``(True, None)`` means our child is still running; ``(False, None)`` means it is not our
    child (another CLI invocation started it) or was already reaped.
    """
    try:
        waited, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False, None
    if waited == 0:
        return True, None
    return True, os.waitstatus_to_exitcode(status)


def _is_our_server(pid: int, home: Path) -> bool:
    """Tell whether ``pid`` is alive and is the Neo4j started for ``home``.

    Checking the command line guards against PID reuse: a stale instance.json must never
    make ``stop`` signal an unrelated process.
    """
    is_child, exit_code = _child_status(pid)
    if is_child:
        # For our own child waitpid is the truth. /proc is not: while a multi-threaded JVM
        # exits, its cmdline is already empty but it cannot be reaped yet, and trusting
        # /proc then would leave a zombie behind.
        return exit_code is None
    return _looks_like_our_server(pid, home)


def _looks_like_our_server(pid: int, home: Path) -> bool:
    proc = Path("/proc")
    if proc.is_dir():
        try:
            argv = (proc / str(pid) / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        # A zombie has an empty cmdline, so it fails this test too.
        return _ENTRY_POINT.encode() in argv and f"--home-dir={home}".encode() in argv
    try:  # no procfs (macOS): fall back to "some process has this pid"
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    # The server runs in its own session, so its pid is also its process-group id; signalling
    # the group also reaches anything the JVM may have spawned.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _wait_gone(pid: int, home: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _is_our_server(pid, home):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


@dataclass
class LocalNeo4j:
    """A Neo4j server process started by :func:`start`.

    Attributes
    ----------
    uri
        ``bolt://127.0.0.1:<port>``; authentication is disabled, so connect with ``auth=None``.
    pid
        Process id of the JVM, which leads its own session and process group.
    home
        The instance folder: ``conf/neo4j.conf``, ``data``, ``logs`` (``neo4j.log``,
        ``debug.log``, ``console.log``).
    remove_home
        Delete ``home`` after :meth:`stop`; :func:`start` sets it when it created a
        throw-away home itself.
    argv
        The command line the JVM was started with (what :meth:`stopped` starts again).
    state
        The CLI's instance file that records this server, if one does; :meth:`stopped`
        writes the new pid into it.
    """

    uri: str
    pid: int
    home: Path
    remove_home: bool = False
    argv: tuple[str, ...] = ()
    state: Path | None = None

    def is_running(self) -> bool:
        """Return whether the server process is still alive."""
        return _is_our_server(self.pid, self.home)

    def stop(self, timeout: float = 30) -> None:
        """Stop the server: SIGTERM to its process group, wait, then SIGKILL.

        Neo4j checkpoints and shuts down cleanly on SIGTERM (about a second here). Calling
        this again, or on a server that already exited, does nothing.

        Parameters
        ----------
        timeout
            Seconds to wait for a clean shutdown before killing the process group.
        """
        if self.is_running():
            _signal_group(self.pid, signal.SIGTERM)
            if not _wait_gone(self.pid, self.home, timeout):
                _signal_group(self.pid, signal.SIGKILL)
                if not _wait_gone(self.pid, self.home, 10.0):
                    raise Neo4jUnavailableError(
                        f"Neo4j (pid {self.pid}) survived SIGKILL; home {self.home}"
                    )
        if self.remove_home:
            shutil.rmtree(self.home, ignore_errors=True)

    @contextlib.contextmanager
    def stopped(self, timeout: float = 180.0) -> Iterator[Path]:
        """Stop the server for the block, keeping its home, and start it again after it.

        Yields the data folder (``home/data``) for offline work on the store files
        (``neo4j-admin``). The server comes back with the same command line, so on the
        same port with the same memory settings, also when the block fails.

        Raises
        ------
        Neo4jUnavailableError
            If the command line is unknown, the server does not stop, or it is not ready
            again within ``timeout`` seconds.
        """
        argv = list(self.argv or _running_argv(self.pid))
        if not argv:
            raise Neo4jUnavailableError(f"the command line of Neo4j (pid {self.pid}) is unknown")
        self.argv = tuple(argv)  # /proc forgets it once the process is gone
        if self.is_running():
            _signal_group(self.pid, signal.SIGTERM)
            if not _wait_gone(self.pid, self.home, 60.0):
                raise Neo4jUnavailableError(f"Neo4j (pid {self.pid}) did not stop within 60 s")
        try:
            yield self.home / "data"
        finally:
            neo4j_log = self.home / "logs" / "neo4j.log"
            offset = neo4j_log.stat().st_size if neo4j_log.exists() else 0
            self.pid = _spawn(argv[0], argv, self.home / "logs" / "console.log")
            if self.state is not None:
                write_state(self.state, self)
            _await_server(self, timeout, offset)

    def admin_argv(self, *args: str) -> tuple[list[str], dict[str, str]]:
        """The command line and environment of ``neo4j-admin ARGS`` for this server's home,
        on its Java and jars (``neo4j-admin database import full``, for instance)."""
        argv = list(self.argv or _running_argv(self.pid))
        if "-cp" not in argv:
            raise Neo4jUnavailableError(f"the command line of Neo4j (pid {self.pid}) is unknown")
        classpath = argv[argv.index("-cp") + 1]
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}
        return [argv[0], "-cp", classpath, _ADMIN_ENTRY_POINT, *args], env


def _running_argv(pid: int) -> tuple[str, ...]:
    """The command line of process ``pid`` (empty where /proc cannot tell)."""
    try:
        raw = (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ()
    return tuple(part.decode() for part in raw.split(b"\0") if part)


def local_server(uri: str) -> LocalNeo4j | None:
    """The running server that ``graph-engine neo4j start`` recorded, if it listens at
    ``uri`` (its host and port); otherwise None."""
    path = state_file()
    try:
        server = read_state(path)
    except click.ClickException:
        return None
    if server is None or not server.is_running():
        return None
    given, ours = urlsplit(uri), urlsplit(server.uri)
    loopback = {"127.0.0.1", "localhost", "::1"}
    if given.port != ours.port or (given.hostname or "") not in loopback:
        return None
    server.state = path
    return server


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now.

    The kernel picks it; another process could still take it before Neo4j binds, which
    :func:`start` then reports as an early exit.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR mirrors how servers bind: sockets in TIME_WAIT from an earlier
        # instance don't count as "in use", a listening or bound socket does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((_LOOPBACK, port))
        except OSError:
            return True
    return False


def _conf_text(home: Path, port: int, pagecache: str) -> str:
    address = f"{_LOOPBACK}:{port}"
    directories = "\n".join(
        f"server.directories.{name}={home / name}"
        for name in ("data", "logs", "run", "plugins", "import")
    )
    return f"""\
# Written by graph_engine_devtools.neo4j_local for a throw-away development/test server.
# Authentication is off, so nothing may listen beyond the loopback interface.
dbms.security.auth_enabled=false
server.default_listen_address={_LOOPBACK}
server.bolt.listen_address={address}
server.bolt.advertised_address={address}
server.http.enabled=false
server.https.enabled=false
{directories}
dbms.usage_report.enabled=false
server.memory.pagecache.size={pagecache}
# Netty waits a 5 s quiet period per event-loop group (10 s in all) before the Bolt server
# stops; the databases are already checkpointed by then, so a dev server need not wait.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
"""


def _spawn(java: str, argv: list[str], console_log: Path) -> int:
    # posix_spawn rather than subprocess.Popen: the server must outlive this process (the CLI
    # exits right after `start`), and an abandoned Popen object warns "subprocess is still
    # running" when collected; the early-exit status is read with waitpid instead.
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    file_actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(console_log), flags, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    return os.posix_spawn(
        java,
        argv,
        dict(os.environ),
        file_actions=file_actions,
        # Own session: no controlling terminal, so Ctrl-C in the shell that ran
        # `graph-engine neo4j start` does not reach the server; own process group for stop().
        setsid=True,
        # Python ignores SIGPIPE and the JVM would inherit that; subprocess resets these too.
        setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
    )


def _log_tail(home: Path) -> str:
    parts = []
    for name in ("neo4j.log", "console.log"):
        path = home / "logs" / name
        try:
            with path.open("rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 64 * 1024))
                text = handle.read().decode("utf-8", errors="replace")
        except OSError:
            continue
        if text.strip():
            parts.append(f"--- {path} (last lines) ---\n{tail_text(text)}")
    return "\n".join(parts)


def _failure_hint(home: Path, log_offset: int) -> str:
    """Pick the line of the logs that best says why the server died, or ``""``.

    Only ``neo4j.log`` past ``log_offset`` is searched: a kept home accumulates the logs of
    earlier runs, whose failures must not be blamed on this one.
    """
    hint = ""
    with contextlib.suppress(OSError), (home / "logs" / "neo4j.log").open("rb") as handle:
        handle.seek(log_offset)
        text = handle.read().decode("utf-8", errors="replace")
        # Neo4j wraps the real cause in several layers; the innermost "Caused by" is the one
        # a person can act on (e.g. "bind(..) failed with error(-98): Address already in use").
        causes = re.findall(r"^Caused by: (.+)$", text, flags=re.MULTILINE)
        errors = re.findall(r"^\S+ \S+ ERROR\s+(.+)$", text, flags=re.MULTILINE)
        hint = causes[-1] if causes else (errors[-1] if errors else "")
    if not hint:
        with contextlib.suppress(OSError):
            lines = (home / "logs" / "console.log").read_text("utf-8", errors="replace")
            console = [line.strip() for line in lines.splitlines() if line.strip()]
            for index, line in enumerate(console):
                # The JVM's own start-up failures put the reason on the line after this one.
                if line.startswith("Error occurred during initialization of VM"):
                    hint = " ".join(console[index : index + 2])
                elif line.startswith(("Error:", "Exception in thread")):
                    hint = line
    return hint[:300]


def start(
    *,
    cache_dir: Path | None = None,
    port: int | None = None,
    home: Path | None = None,
    heap: str = "1g",
    pagecache: str = "512m",
    timeout: float = 120.0,
    extra_jvm_args: Sequence[str] = (),
) -> LocalNeo4j:
    """Start a Neo4j Community server on 127.0.0.1 and wait until it answers queries.

    The server runs detached (own session), so it outlives the caller; stop it with
    :meth:`LocalNeo4j.stop`. Once the jars are cached it is ready in 5 to 15 s, depending
    on how busy the CPUs are (about 7 s on two shared cores).

    Parameters
    ----------
    cache_dir
        Where the jars are cached; see :func:`ensure_runtime`.
    port
        Bolt port; a free one is picked when ``None``.
    home
        Instance folder for conf, data and logs; existing data there is reused. When
        ``None`` a throw-away folder is created and removed again by ``stop()``.
    heap
        JVM heap (``-Xms``/``-Xmx``), e.g. ``"1g"``.
    pagecache
        ``server.memory.pagecache.size``, e.g. ``"512m"``.
    timeout
        Seconds to wait for the server to become ready.
    extra_jvm_args
        More JVM options, placed after the defaults so they win; for example
        ``["-XX:TieredStopAtLevel=1"]`` roughly halves start-up on a small machine at the
        price of slower long-running queries.

    Returns
    -------
    LocalNeo4j
        The running server.

    Raises
    ------
    Neo4jUnavailableError
        If the runtime is unavailable, the port is taken, the process exits early (the
        message gives its exit code) or the server is not ready in time; the message ends
        with the tail of ``neo4j.log`` and ``console.log``. The process is stopped first.
    ValueError
        If ``heap`` or ``pagecache`` is not a size like ``512m`` or ``2g``.
    """
    for name, value in (("heap", heap), ("pagecache", pagecache)):
        if not _MEMORY_SIZE.match(value):
            raise ValueError(f"{name} must be a size like 512m or 2g, not {value!r}")
    lib = ensure_runtime(cache_dir)
    java = java_executable()
    if port is None:
        port = free_port()
    elif _port_in_use(port):
        # Checked up front: Neo4j binds Bolt only after its databases are up, so it would
        # report a taken port after 10 s or more of start-up.
        raise Neo4jUnavailableError(f"port {port} on {_LOOPBACK} is already in use")
    created_home = home is None
    home = Path(tempfile.mkdtemp(prefix="graph-engine-neo4j-")) if home is None else home
    home = home.expanduser().resolve()
    for name in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / name).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(_conf_text(home, port, pagecache), "utf-8")
    neo4j_log = home / "logs" / "neo4j.log"
    log_offset = neo4j_log.stat().st_size if neo4j_log.exists() else 0
    argv = [
        java,
        *_JVM_FLAGS,
        # Heap settings in neo4j.conf are read by Neo4j's launcher script, which is bypassed.
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *extra_jvm_args,
        "-cp",
        f"{lib}/*",
        _ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
    ]
    pid = _spawn(java, argv, home / "logs" / "console.log")
    server = LocalNeo4j(uri=f"bolt://{_LOOPBACK}:{port}", pid=pid, home=home, argv=tuple(argv))
    try:
        _await_server(server, timeout, log_offset)
    except BaseException:
        # Also on KeyboardInterrupt: never leave a half-started JVM behind. The home is kept
        # so its logs can be read.
        server.stop(timeout=10)
        raise
    server.remove_home = created_home
    return server


@contextlib.contextmanager
def running(
    uri: str | None, *, heap: str = "1g", pagecache: str = "512m", timeout: float = 120.0
) -> Iterator[str]:
    """The Neo4j at ``uri``; without one, a local server started for the block and
    stopped after it (the test suite and the benchmarks).

    Raises :class:`Neo4jUnavailableError` on entry when the local server cannot start.
    """
    if uri is not None:
        yield uri
        return
    server = start(heap=heap, pagecache=pagecache, timeout=timeout)
    try:
        yield server.uri
    finally:
        server.stop()


def _await_server(server: LocalNeo4j, timeout: float, log_offset: int) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no attempt made"
    while True:
        _, exit_code = _child_status(server.pid)
        if exit_code is not None:
            hint = _failure_hint(server.home, log_offset)
            raise Neo4jUnavailableError(
                f"Neo4j exited during start-up with exit code {exit_code}"
                f"{': ' + hint if hint else ''} (home {server.home})",
                _log_tail(server.home),
            )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Neo4jUnavailableError(
                f"Neo4j at {server.uri} was not ready within {timeout:g} s "
                f"(last error: {last_error}; home {server.home})",
                _log_tail(server.home),
            )
        error = _probe(server.uri, min(remaining, 5.0))
        if error is None:
            return
        last_error = error
        time.sleep(min(_POLL_INTERVAL, max(0.0, deadline - time.monotonic())))


def _probe(uri: str, timeout: float) -> str | None:
    """Try one connection and ``RETURN 1``; return None on success, else why it failed."""
    parts = urlsplit(uri)
    host = parts.hostname or _LOOPBACK
    port = parts.port or 7687
    try:
        # A plain TCP connect first: while the JVM boots it is refused instantly, which is
        # cheaper and quieter than building a driver each time.
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        return f"{host}:{port}: {exc.strerror or exc}"
    try:
        with GraphDatabase.driver(
            uri,
            auth=None,
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
            max_connection_pool_size=1,
        ) as driver:
            driver.verify_connectivity()
            # session.run does not retry, unlike execute_query, whose retries could run for
            # 30 s past our deadline.
            with driver.session(database="neo4j") as session:
                record = session.run("RETURN 1 AS ready").single(strict=True)
                if record["ready"] != 1:
                    return f"RETURN 1 answered {record['ready']!r}"
    except (DriverError, Neo4jError, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def wait_ready(uri: str, timeout: float = 120.0) -> None:
    """Wait until the server at ``uri`` accepts a connection and runs ``RETURN 1``.

    Uses the official driver without authentication against database ``neo4j``.

    Parameters
    ----------
    uri
        Bolt URI, e.g. ``bolt://127.0.0.1:7687``.
    timeout
        Seconds to keep trying.

    Raises
    ------
    Neo4jUnavailableError
        If the server is not ready within ``timeout``; the message gives the last error.
    """
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        error = _probe(uri, max(0.1, min(remaining, 5.0)))
        if error is None:
            return
        if time.monotonic() + _POLL_INTERVAL >= deadline:
            raise Neo4jUnavailableError(
                f"Neo4j at {uri} was not ready within {timeout:g} s (last error: {error})"
            )
        time.sleep(_POLL_INTERVAL)


# ---------------------------------------------------------------------------------------------
# The instance file of `graph-engine neo4j start`
# ---------------------------------------------------------------------------------------------


def state_file() -> Path:
    """The instance file: ``$GRAPH_ENGINE_NEO4J_STATE``, else ``<cache>/instance.json``."""
    configured = os.environ.get(STATE_ENV)
    if configured:
        return Path(configured).expanduser()
    return default_cache_dir() / "instance.json"


def read_state(path: Path) -> LocalNeo4j | None:
    """The server the instance file at ``path`` records, or None when there is no file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LocalNeo4j(
            uri=str(data["uri"]),
            pid=int(data["pid"]),
            home=Path(data["home"]),
            remove_home=bool(data.get("remove_home", False)),
            argv=tuple(str(part) for part in data.get("argv", ())),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}; delete it if stale") from exc


def write_state(path: Path, server: LocalNeo4j) -> None:
    """Record ``server`` in the instance file at ``path`` (atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "uri": server.uri,
        "pid": server.pid,
        "home": str(server.home),
        "remove_home": server.remove_home,
        "version": NEO4J_VERSION,
        "argv": list(server.argv),
    }
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    scratch.replace(path)  # atomic: `status` never reads half a file
