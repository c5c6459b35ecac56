"""The Neo4j Community server's jars, fetched once from Maven Central with ``mvn``.

Neo4j's standalone tarball is not published on Maven Central, but the server itself is:
``org.neo4j.app:neo4j-server`` plus ``org.neo4j:neo4j`` bring every jar the Community
server needs. :func:`ensure_runtime` copies them once into ``$GRAPH_ENGINE_CACHE_DIR``
(default ``~/.cache/graph-engine``); :mod:`graph_engine_devtools.neo4j_local` runs them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from graph_engine.store.neo4j.bulk_local_server import LocalServerError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "CACHE_ENV",
    "NEO4J_VERSION",
    "Neo4jUnavailableError",
    "default_cache_dir",
    "ensure_runtime",
    "java_executable",
    "tail_text",
]

NEO4J_VERSION: str = "5.26.30"

CACHE_ENV = "GRAPH_ENGINE_CACHE_DIR"

_MARKER = "lib.complete"
_TAIL_LINES = 30
_MVN_TIMEOUT = 1800.0

_POM_TEMPLATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by graph_engine_devtools.neo4j_local: the jars of a Neo4j Community server. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>graph_engine</groupId>
  <artifactId>neo4j-runtime</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j.app</groupId>
      <artifactId>neo4j-server</artifactId>
      <version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j</groupId>
      <artifactId>neo4j</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""


class Neo4jUnavailableError(LocalServerError):
    """A local Neo4j could not be fetched, started or reached.

    Parameters
    ----------
    reason
        One line saying what went wrong.
    log_tail
        The last lines of the server's logs when it was started but never became ready, or
        of ``mvn``'s output when the download failed; empty otherwise.
    """


def default_cache_dir() -> Path:
    """Return ``$GRAPH_ENGINE_CACHE_DIR`` if set, else ``~/.cache/graph-engine``."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "graph-engine"


# ---------------------------------------------------------------------------------------------
# Runtime: the server jars
# ---------------------------------------------------------------------------------------------


def java_executable() -> str:
    # Same rule as Neo4j's own launcher: an explicit JAVA_HOME wins over PATH.
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if found is None:
        raise Neo4jUnavailableError(
            "java was not found (set JAVA_HOME or put Java 17 or 21 on PATH); "
            f"Neo4j {NEO4J_VERSION} needs it to run"
        )
    return found


def _runtime_complete(runtime_dir: Path) -> bool:
    marker = runtime_dir / _MARKER
    lib = runtime_dir / "lib"
    try:
        jars = json.loads(marker.read_text(encoding="utf-8"))["jars"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    # Checking the recorded names (not just the marker) catches a lib dir someone pruned.
    return bool(jars) and all((lib / str(name)).is_file() for name in jars)


def tail_text(text: str, lines: int = _TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        # flock is released by the kernel if the holder dies, so a crashed fetch never
        # leaves a stale lock behind.
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def ensure_runtime(cache_dir: Path | None = None, version: str = NEO4J_VERSION) -> Path:
    """Make sure the Neo4j server jars are in the cache and return their directory.

    Runs ``mvn dependency:copy-dependencies`` (about 10 s and 123 MB for 5.26.30) only
    when the lib dir is missing or incomplete; later calls just check the marker file.
    Concurrent callers, in threads or processes, serialise on a lock file, so the jars are
    fetched once.

    Parameters
    ----------
    cache_dir
        Cache root; :func:`default_cache_dir` when ``None``.
    version
        Neo4j version to fetch from Maven Central.

    Returns
    -------
    Path
        ``<cache>/neo4j-<version>/lib``, ready for ``java -cp '<lib>/*'``.

    Raises
    ------
    Neo4jUnavailableError
        If java or mvn is missing, or mvn fails (the message carries mvn's output tail).
    """
    root = (cache_dir if cache_dir is not None else default_cache_dir()).expanduser().resolve()
    runtime_dir = root / f"neo4j-{version}"
    lib = runtime_dir / "lib"
    java_executable()  # fail before a 123 MB download that could never run
    if _runtime_complete(runtime_dir):
        return lib
    with _file_lock(root / f"neo4j-{version}.lock"):
        # Another process may have finished the fetch while this one waited for the lock.
        if _runtime_complete(runtime_dir):
            return lib
        _fetch_runtime(root, runtime_dir, version)
    return lib


def _fetch_runtime(root: Path, runtime_dir: Path, version: str) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailableError(
            f"mvn was not found on PATH; it is needed once to fetch Neo4j {version} "
            f"from Maven Central into {runtime_dir}"
        )
    runtime_dir.mkdir(parents=True, exist_ok=True)
    pom = runtime_dir / "pom.xml"
    pom.write_text(_POM_TEMPLATE.format(version=version), encoding="utf-8")
    # Copy into a scratch dir and rename: `lib` then only ever holds a full set of jars.
    partial = runtime_dir / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    command = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={partial}",
        # A private local repository keeps the fetch independent of ~/.m2 and its settings.
        f"-Dmaven.repo.local={root / 'm2'}",
    ]
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            command,
            cwd=runtime_dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=_MVN_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        output = exc.output if isinstance(exc.output, str) else ""
        raise Neo4jUnavailableError(
            f"mvn did not finish fetching Neo4j {version} within {_MVN_TIMEOUT:.0f} s",
            tail_text(output),
        ) from exc
    jars = sorted(p.name for p in partial.glob("*.jar")) if partial.is_dir() else []
    if completed.returncode != 0 or not jars:
        raise Neo4jUnavailableError(
            f"mvn failed to fetch Neo4j {version} (exit code {completed.returncode}, "
            f"{len(jars)} jars copied); command: {shlex.join(command)}",
            tail_text(completed.stdout or ""),
        )
    shutil.rmtree(runtime_dir / "lib", ignore_errors=True)
    partial.rename(runtime_dir / "lib")
    # The marker is written last: its presence means the rename above completed.
    marker = runtime_dir / _MARKER
    scratch = marker.with_suffix(".tmp")
    scratch.write_text(json.dumps({"version": version, "jars": jars}, indent=1), "utf-8")
    scratch.replace(marker)
