"""The GraphQL-over-HTTP spec's own audit against a live server, on both stores.

``auditServer`` of the ``graphql-http`` npm package (pinned in ``tests/http_audit/``,
installed there by ``scripts/test`` with ``npm ci``) sends its 61 requests to a running
``graph-engine serve`` and grades each answer ``ok``, ``notice`` (a MAY the server
does not do), ``warn`` (a SHOULD it breaks) or ``error`` (a MUST it breaks).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import STORES
from serving import serving

AUDIT = Path(__file__).resolve().parent / "http_audit"
# The MAYs the server leaves out on purpose: queries over GET (only POST is served, so a
# link or an image tag cannot run an operation).
NOTICES = {"5A70", "D6D5", "6A70"}


@pytest.fixture(
    params=[pytest.param(s, marks=[pytest.mark.neo4j] if s == "neo4j" else []) for s in STORES]
)
def live_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    options: tuple[str, ...] = ()
    if request.param == "neo4j":
        options = ("--neo4j", request.getfixturevalue("neo4j_uri"))
    with serving(tmp_path / "serve.log", *options, store=request.param) as port:
        yield f"http://127.0.0.1:{port}/graphql"


def test_the_graphql_over_http_audit_finds_no_error_and_no_warning(live_url: str) -> None:
    node = shutil.which("node")
    assert node, "the audit needs Node.js (node) on the PATH"
    assert (AUDIT / "node_modules" / "graphql-http").is_dir(), (
        "graphql-http is not installed: scripts/test runs `npm ci` in tests/http_audit"
    )
    done = subprocess.run(  # noqa: S603 - our own script, a URL we made
        [node, "audit.mjs", live_url],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    counts = Counter(r["status"] for r in results)
    print(f"graphql-http audit of {live_url}: {dict(counts)} of {len(results)}")  # noqa: T201
    broken = [r for r in results if r["status"] in {"warn", "error"}]
    assert broken == [], json.dumps(broken, indent=1)
    assert {r["id"] for r in results if r["status"] == "notice"} == NOTICES
    assert counts["ok"] == len(results) - len(NOTICES) >= 58
