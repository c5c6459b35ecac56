"""SpiceDB for a benchmark: built once at a pinned version, served on a free loopback port.

    python benchmarks/spicedb/spicedb_server.py     # build (or find) the binary, print its path

The binary is built with ``go install github.com/authzed/spicedb/cmd/spicedb@VERSION``
into the ignored folder ``.cache/spicedb/VERSION/`` of the checkout and reused from there
(``GRAPH_ENGINE_SPICEDB_BIN`` names another binary of the same version instead). It needs
Go; the build takes several minutes on two cores.

:func:`serving` starts ``spicedb serve`` with its own in-memory datastore, or on a
PostgreSQL (``spicedb_postgres.py``; migrated first), with a fresh preshared key, no HTTP
gateway, metrics server, telemetry or release check, and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

VERSION = "v1.56.2"
MODULE = "github.com/authzed/spicedb/cmd/spicedb"
ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = ROOT / ".cache" / "spicedb" / VERSION

# The caches a SpiceDB server keeps: sub-problem results (dispatch, the one that counts
# for checks) and the schema (namespaces, stored schema). Off for the "caches off" runs.
CACHES_OFF = (
    "--dispatch-cache-enabled=false",
    "--dispatch-cluster-cache-enabled=false",
    "--ns-cache-enabled=false",
    "--stored-schema-cache-enabled=false",
)


def version_of(binary: Path) -> str:
    found = subprocess.run(  # noqa: S603 - our own binary, fixed arguments
        [str(binary), "version"], capture_output=True, text=True, check=True, timeout=60
    )
    return (found.stdout + found.stderr).strip()


def ensure_binary() -> Path:
    """The pinned SpiceDB binary, built into ``.cache/spicedb/VERSION/`` when missing."""
    named = os.environ.get("GRAPH_ENGINE_SPICEDB_BIN")
    binary = Path(named) if named else CACHE / "spicedb"
    if not binary.exists():
        if named:
            raise SystemExit(f"GRAPH_ENGINE_SPICEDB_BIN names no file: {binary}")
        go = shutil.which("go")
        if go is None:
            raise SystemExit("building SpiceDB needs Go (https://go.dev/dl/) on the PATH")
        CACHE.mkdir(parents=True, exist_ok=True)
        # Built beside, then moved into place: a build stopped half-way leaves nothing.
        with tempfile.TemporaryDirectory(dir=CACHE) as partial:
            print(f"building SpiceDB {VERSION} (go install; several minutes) ...", flush=True)
            subprocess.run(  # noqa: S603 - go with fixed arguments
                [go, "install", f"{MODULE}@{VERSION}"],
                env={**os.environ, "GOBIN": partial},
                check=True,
            )
            Path(partial, "spicedb").replace(binary)
    found = version_of(binary)
    if VERSION not in found:
        raise SystemExit(f"{binary} is not SpiceDB {VERSION}: {found!r}")
    return binary


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class SpiceDB:
    target: str  # host:port of the gRPC API
    key: str  # the preshared key, sent as a bearer token
    caches: bool
    datastore: str  # "memory" or "postgres"
    log: Path


def migrate(binary: Path, postgres: str) -> None:
    """Create SpiceDB's tables in the PostgreSQL at ``postgres`` (a connection URI)."""
    subprocess.run(  # noqa: S603 - our own binary, fixed arguments
        [str(binary), "datastore", "migrate", "head", "--datastore-engine", "postgres"],
        env={**os.environ, "SPICEDB_DATASTORE_CONN_URI": postgres},
        check=True,
        capture_output=True,
        timeout=300,
    )


@contextlib.contextmanager
def serving(
    binary: Path, *, caches: bool, log: Path, postgres: str | None = None
) -> Iterator[SpiceDB]:
    """A ``spicedb serve`` on a free loopback port, stopped at the end: in memory, or on
    the (migrated) PostgreSQL at the connection URI ``postgres``."""
    port = free_port()
    key = secrets.token_urlsafe(32)
    datastore = "memory" if postgres is None else "postgres"
    command = [
        str(binary),
        "serve",
        "--datastore-engine",
        datastore,
        "--grpc-addr",
        f"127.0.0.1:{port}",
        "--http-enabled=false",
        "--metrics-enabled=false",
        "--dispatch-cluster-enabled=false",
        "--telemetry-endpoint=",
        "--skip-release-check=true",
        "--log-level=warn",
        *(() if caches else CACHES_OFF),
    ]
    # Secrets go in the environment (SpiceDB reads SPICEDB_<FLAG>), not the process list.
    env = {**os.environ, "SPICEDB_GRPC_PRESHARED_KEY": key}
    if postgres is not None:
        env["SPICEDB_DATASTORE_CONN_URI"] = postgres
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"spicedb serve did not come up:\n{log.read_text()}")
            time.sleep(0.1)
        yield SpiceDB(f"127.0.0.1:{port}", key, caches, datastore, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    path = ensure_binary()
    print(path, file=sys.stdout)
