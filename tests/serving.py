"""Run the real ``graph-engine`` console script, as a user on a fresh machine would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from graph_engine_devtools.neo4j_local import free_port


def console_script() -> str:
    beside = Path(sys.executable).parent / "graph-engine"
    found = str(beside) if beside.exists() else shutil.which("graph-engine")
    assert found, "the graph-engine console script is not installed"
    return found


def start(
    log: Path, *options: str, store: str = "memory", port: int | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``graph-engine serve`` (in memory, demo data, unless ``options`` say
    otherwise) on ``port`` or a free one, its output appended to ``log``, and wait
    until it answers; the process and its port."""
    port = port or free_port()
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [console_script(), "serve", "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                assert json.load(r) == {"status": "ok", "store": store}
                return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"graph-engine serve did not come up:\n{log.read_text()}")
            time.sleep(0.2)


@contextmanager
def serving(log: Path, *options: str, store: str = "memory") -> Iterator[int]:
    """:func:`start` on a free port, until the block ends (then it stops as on Ctrl-C)."""
    proc, port = start(log, *options, store=store)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
