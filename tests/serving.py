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

from graph_engine.neo4j_local import free_port


def console_script() -> str:
    beside = Path(sys.executable).parent / "graph-engine"
    found = str(beside) if beside.exists() else shutil.which("graph-engine")
    assert found, "the graph-engine console script is not installed"
    return found


@contextmanager
def serving(log: Path, *options: str, store: str = "memory") -> Iterator[int]:
    """``graph-engine serve`` (in memory, demo data, unless ``options`` say otherwise) on a
    free port, until the block ends (then it stops as on Ctrl-C)."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [console_script(), "serve", "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert json.load(r) == {"status": "ok", "store": store}
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"graph-engine serve did not come up:\n{log.read_text()}")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)
