"""The README as a user reads it: every block that calls `gql` or `curl`, run as written
(only the port differs) against a live demo server, on both stores.

Each `gql` command prints one JSON answer. An answer holds no error unless the comment
after its command (`# → ...`) names the error code; every comma-separated fragment of such
a comment must be in the answer. The GraphQL reference blocks must be valid against the
schema. On the same demo, `graph-engine analyze` raises no false alarm.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from graph_engine_devtools.neo4j_local import free_port
from graphql import parse, validate
from serving import console_script, serving

from graph_engine.api.schema import schema

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", README, re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Command:
    text: str
    expect: tuple[str, ...]  # fragments the answer holds


def shell_blocks() -> list[str]:
    return [body for kind, body in BLOCKS if kind == "sh" and re.search(r"\b(gql|curl) ", body)]


def commands(block: str) -> list[Command]:
    """The `gql` commands of a block, in order, with what their comment expects."""
    found, current = [], ""
    for line in block.splitlines():
        if not current and not re.match(r"\s*gql\s", line):
            continue
        current += line + "\n"
        if current.count("'") % 2 == 0:  # the document's closing quote is on this line
            said = re.search(r"'\s*#\s*→\s*(.+)$", line)
            expect = tuple(f.strip() for f in said.group(1).split(", ")) if said else ()
            found.append(Command(current.strip(), expect))
            current = ""
    return found


def test_the_readme_blocks_are_found() -> None:
    blocks = shell_blocks()
    assert len(blocks) >= 8
    assert sum(len(commands(b)) for b in blocks) >= 30
    assert any("→ CONSTRAINT_VIOLATION" in c.text for b in blocks for c in commands(b))


def test_the_graphql_reference_blocks_are_valid() -> None:
    documents = []
    for kind, body in BLOCKS:
        if kind == "graphql":
            documents += re.split(r"\n(?=[{m])", body.strip())
    assert len(documents) >= 10
    for document in documents:
        errors = validate(schema._schema, parse(document))
        assert not errors, (document, errors)


@pytest.fixture(scope="module", params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def demo_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, list[str]]]:
    """A live `graph-engine serve` over the demo data, one per store for the module (the
    tests below run in order: the analysis before the snippets change the data), and how
    to point a command at its store."""
    log = tmp_path_factory.mktemp("readme") / "serve.log"
    if request.param == "memory":
        with serving(log) as port:
            yield port, []
        return
    uri: str = request.getfixturevalue("neo4j_uri")
    target = ["--neo4j", uri]
    subprocess.run(  # noqa: S603 - our own console script
        [console_script(), "demo", *target, "--reset", "--yes"],
        capture_output=True,
        check=True,
        timeout=300,
    )
    with serving(log, *target, store="neo4j") as port:
        yield port, target


def run(script: str, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the README's own commands
        ["bash", "-c", script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_analyze_raises_no_false_alarm_on_the_demo(demo_server: tuple[int, list[str]]) -> None:
    """The only finding is the story's own: the connections the old product left out."""
    _, target = demo_server
    done = subprocess.run(  # noqa: S603 - our own console script
        [console_script(), "analyze", "--json", *target],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    found = json.loads(done.stdout)
    missing = {(r["user"], r["peer"], r["rule"]) for r in found.pop("missing_connections")}
    assert missing == {
        ("usr_carla", "usr_anna", "REQUEST_SENDER"),
        ("usr_carla", "usr_ruud", "RELATIONSHIP_MANAGER"),
    }
    assert len(found) == 6
    assert all(rows == [] for rows in found.values()), found


def test_every_readme_snippet_runs_as_written(demo_server: tuple[int, list[str]]) -> None:
    port, _ = demo_server
    blocks = shell_blocks()
    done = run("set -euo pipefail\n" + "\n".join(blocks), port)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    expected = [c for b in blocks for c in commands(b)]
    answers = done.stdout.splitlines()
    assert len(answers) == len(expected), done.stdout
    for command, line in zip(expected, answers, strict=True):
        answer = json.loads(line)
        text = json.dumps(answer, ensure_ascii=False)
        for error in answer.get("errors", []):
            assert error["extensions"]["code"] in command.expect, (command.text, answer)
        if "errors" not in answer:
            assert answer["data"], (command.text, answer)
        for fragment in command.expect:
            assert fragment in text, (command.text, fragment, answer)


def _helpers() -> str:
    tour = shell_blocks()[0]
    assert "login() {" in tour
    return tour.split("CARLA=", 1)[0]


def test_login_says_why_it_fails_without_a_traceback(
    demo_server: tuple[int, list[str]],
) -> None:
    port, _ = demo_server
    wrong = run(_helpers() + "login carla@bakkerij-jansen.example 'not mine'", port)
    assert wrong.returncode == 1
    assert wrong.stdout == ""
    assert wrong.stderr.startswith("login failed: UNAUTHENTICATED: "), wrong.stderr
    assert "Traceback" not in wrong.stderr
    right = run(_helpers() + "login carla@bakkerij-jansen.example", port)
    assert right.returncode == 0, right.stderr
    assert re.fullmatch(r"\S{20,}\n", right.stdout)
    nobody = run(_helpers() + "login carla@bakkerij-jansen.example", free_port())
    assert nobody.returncode == 1
    assert nobody.stderr.startswith("login failed: no answer from"), nobody.stderr
