"""A throw-away PostgreSQL for SpiceDB: SpiceDB's production datastore, run for one benchmark.

Uses the PostgreSQL 14 or newer installed on the machine (Debian: ``apt-get install
postgresql``); nothing is downloaded. The cluster lives in a temporary folder, listens
on a free loopback port only, takes a random password, and is stopped and deleted at the
end. As root it runs as the ``postgres`` user (PostgreSQL refuses root).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from spicedb_server import free_port

USER = "spicedb"


def _tool(name: str) -> str:
    # Debian keeps the server tools out of the PATH, under the major version.
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    found = shutil.which(name) or (str(versions[0]) if versions else None)
    if found is None:
        raise SystemExit(
            f"SpiceDB on PostgreSQL needs PostgreSQL 14 or newer ({name} not found): "
            "apt-get install postgresql, or --spicedb-datastore memory"
        )
    return found


@contextlib.contextmanager
def running() -> Iterator[str]:
    """A fresh cluster; yields its connection URI (with the password) for SpiceDB."""
    as_root = os.geteuid() == 0
    run_as = "postgres" if as_root else None
    password = secrets.token_urlsafe(24)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="spicedb-postgres-") as folder:
        home = Path(folder)
        data, secret = home / "data", home / "password"
        secret.write_text(password, encoding="utf-8")
        if as_root:
            shutil.chown(home, "postgres")
            shutil.chown(secret, "postgres")
        subprocess.run(  # noqa: S603 - initdb with fixed arguments
            [
                *(_tool("initdb"), "-D", str(data), "-U", USER, f"--pwfile={secret}"),
                *("--auth=scram-sha-256", "--encoding=UTF8", "--no-instructions"),
            ],
            check=True,
            capture_output=True,
            user=run_as,
        )
        secret.unlink()
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(port),
            "unix_socket_directories": folder,
            "track_commit_timestamp": "on",  # SpiceDB's Watch API needs it
        }
        options = [f"--{key}={value}" for key, value in settings.items()]
        with (home / "postgres.log").open("wb") as log:
            server = subprocess.Popen(  # noqa: S603 - postgres with fixed arguments
                [_tool("postgres"), "-D", str(data), *options],
                stdout=log,
                stderr=subprocess.STDOUT,
                user=run_as,
            )
        try:
            deadline = time.monotonic() + 60
            ready = [_tool("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)]
            while subprocess.run(ready, check=False).returncode != 0:  # noqa: S603
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(
                        f"PostgreSQL did not start:\n{(home / 'postgres.log').read_text()}"
                    )
                time.sleep(0.2)
            yield f"postgres://{USER}:{password}@127.0.0.1:{port}/postgres?sslmode=disable"
        finally:
            server.send_signal(signal.SIGINT)  # PostgreSQL's fast shutdown
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
