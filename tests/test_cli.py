"""The command line as a user meets it: `graph-engine serve` answers the README's tour."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from serving import console_script, serving

from graph_engine.cli import main, plugins

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    log = tmp_path / "serve.log"
    with serving(log) as port:
        yield port, log


def _tour_script(port: int) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", tour, re.DOTALL)
    assert len(blocks) >= 3
    return "set -e\n" + "\n".join(blocks).replace("127.0.0.1:8000", f"127.0.0.1:{port}")


def test_the_operator_key_is_minted_once_per_store(tmp_path: Path) -> None:
    snapshot = tmp_path / "graph.snapshot.json"
    for start in range(2):
        log = tmp_path / f"serve{start}.log"
        with serving(log, "--snapshot", str(snapshot)):
            pass
        said = log.read_text()
        if start == 0:
            assert "operator key for this store: gek_" in said
        else:
            assert "an operator key exists in this store" in said
            assert "gek_" not in said
    kept = json.loads(snapshot.read_text())
    keys = [n for n in kept["nodes"] if n["label"] == "ApiKey"]
    assert [k["props"]["kind"] for k in keys] == ["OPERATOR"]


def test_serve_answers_the_readme_tour(server: tuple[int, Path]) -> None:
    port, log = server
    done = subprocess.run(  # noqa: S603 - the README's own commands
        ["bash", "-c", _tour_script(port)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    replies = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert all("errors" not in r for r in replies), replies
    before, missing, repaired, after, candidates = (r["data"] for r in replies)
    assert before["canInvite"]["code"] == "NOT_CONNECTED"
    assert before["canInvite"]["fix"]["action"] == "connect"
    pairs = {(m["user"]["name"], m["peer"]["name"]) for m in missing["missingConnections"]["nodes"]}
    assert ("Carla Smit", "Anna de Vries") in pairs
    assert {r["rule"] for r in repaired["repairConnections"]} >= {"REQUEST_SENDER"}
    assert after["canInvite"] == {
        "allowed": True,
        "code": "PARTNER_CONNECTED",
        "reason": after["canInvite"]["reason"],
    }
    names = {n["name"] for n in candidates["inviteCandidates"]["nodes"]}
    assert "Anna de Vries" in names
    banner = log.read_text()
    assert "tulips and bicycles" in banner
    assert "operator key" in banner


def test_schema_command_prints_the_committed_schema() -> None:
    done = subprocess.run(  # noqa: S603
        [console_script(), "schema"], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == (ROOT / "schema.graphql").read_text(encoding="utf-8")


def test_demo_command_walks_through_the_story() -> None:
    done = subprocess.run(  # noqa: S603
        [console_script(), "demo"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "NOT_CONNECTED" in done.stdout
    assert "PARTNER_CONNECTED" in done.stdout
    # the Easyflex story: a transfer done in one work company only blocks the release
    assert "rights of usr_kees in org_flex_noord are held by usr_piet" in done.stdout
    assert "rights of usr_kees in org_flex_zuid are held by usr_kees" in done.stdout
    assert "CONSTRAINT_VIOLATION" in done.stdout


async def _demo_counts() -> tuple[int, int]:
    from graph_engine import demo  # noqa: PLC0415
    from graph_engine.services import Engine  # noqa: PLC0415
    from graph_engine.store.memory import MemoryStore  # noqa: PLC0415

    store = MemoryStore()
    await demo.load_demo(Engine(store))
    data = await store.export_graph()
    return len(data.nodes), len(data.relationships)


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_export_of_the_demo_opens_in_networkx_with_the_same_counts(
    tmp_path: Path, fmt: str
) -> None:
    import networkx as nx  # noqa: PLC0415

    out = tmp_path / f"demo.{fmt}"
    subprocess.run(  # noqa: S603
        [console_script(), "export", "--format", fmt, "--out", str(out)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    if fmt == "json":
        data = json.loads(out.read_text(encoding="utf-8"))
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    else:
        graph = nx.read_graphml(out, force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == asyncio.run(_demo_counts())


def test_analyze_reports_the_missing_connection_of_the_demo() -> None:
    done = subprocess.run(  # noqa: S603
        [console_script(), "analyze", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found = json.loads(done.stdout)
    pairs = {(r["user"], r["peer"], r["rule"]) for r in found["missing_connections"]}
    assert ("usr_carla", "usr_anna", "REQUEST_SENDER") in pairs
    # Not a terminal: one progress line, not counts run together on one line.
    assert re.fullmatch(r"read [\d,]+ nodes, [\d,]+ relationships\n", done.stderr), done.stderr


def test_draw_writes_a_picture(tmp_path: Path) -> None:
    for suffix in ("svg", "png"):
        out = tmp_path / f"carla.{suffix}"
        subprocess.run(  # noqa: S603
            [console_script(), "draw", "--around", "usr_carla", "--depth", "1", "--out", str(out)],
            capture_output=True,
            check=True,
            timeout=120,
        )
        assert out.stat().st_size > 1000
    refused = subprocess.run(  # noqa: S603
        [console_script(), "draw", "--around", "nobody", "--out", str(tmp_path / "x.svg")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "NOT_FOUND" in refused.stderr
    assert "Traceback" not in refused.stderr


async def test_the_demo_shows_a_forwarded_mail_and_an_alert() -> None:
    """Carerix: Karin left and her mail went to Wendy with the note on top; HelloFlex:
    Bram's saved filter was alerted (both in the outbox of a store without SMTP)."""
    from graph_engine import demo  # noqa: PLC0415
    from graph_engine.model import PageRequest  # noqa: PLC0415
    from graph_engine.services import Engine  # noqa: PLC0415
    from graph_engine.store.memory import MemoryStore  # noqa: PLC0415

    store = MemoryStore()
    await demo.load_demo(Engine(store))
    to_wendy = await store.list_outbox(to="wendy@werving.example", page=PageRequest(first=10))
    [mail] = to_wendy.items
    assert mail.subject == "Fwd: Sollicitatie Verpleegkundige"
    assert mail.body.startswith(
        "Dit bericht is doorgestuurd vanuit de inactieve gebruiker karin@werving.example"
        " (Karin Smit)."
    )
    assert "Hierbij mijn sollicitatie." in mail.body
    to_bram = await store.list_outbox(to="bram@zorgflex.example", page=PageRequest(first=10))
    assert len(to_bram.items) == 1
    assert "Verpleegkundige nachtdienst" in to_bram.items[0].body


def test_without_the_development_tools_neo4j_says_how_to_get_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The engine's wheel has no `neo4j` group of its own: devtools/ adds it by entry point.
    monkeypatch.setattr(plugins, "entry_points", lambda **_: [])
    group = click.Group("graph-engine")
    plugins.add_installed_commands(group)
    said = CliRunner().invoke(group, ["neo4j", "start", "--port", "7687"])
    assert said.exit_code == 1
    assert "development tool" in said.output
    assert "pip install -e devtools" in said.output


def test_with_the_development_tools_neo4j_is_their_group() -> None:
    from graph_engine_devtools.cli import neo4j_group  # noqa: PLC0415 - the plugin itself

    assert main.commands["neo4j"] is neo4j_group
