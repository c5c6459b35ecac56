"""Backup, restore and import (graph_engine/backup.py and their commands).

The round trip memory → Neo4j → memory must give back the same graph, secrets'
hashes included (a session opened before the backup still works after the
restore); a damaged file is refused before anything is written; the legacy
example file shows the article's missing A–C connection on both stores.
"""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from apiclient import Api
from serving import console_script

from graph_engine import backup, demo
from graph_engine.api.app import create_app
from graph_engine.errors import InvalidInput
from graph_engine.model import PageRequest, PrincipalKind
from graph_engine.services import Engine
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT / "examples" / "legacy-missing-connection.json"

ME = "{ me { id name } }"
AUDIT = "query ($env: ID!) { auditLog(environmentId: $env) { nodes { id action actorId } } }"
REPAIR = "mutation ($p: ID!) { repairConnections(partnershipId: $p) { userId peerId } }"


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - our own console script
        [console_script(), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def records(path: Path) -> list[str]:
    """The file's records in a stable order (the header's time and store left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["sensitive"] is True
    return sorted(json.dumps(json.loads(line), sort_keys=True) for line in lines[1:])


class Served:
    """The GraphQL API of one engine, over HTTP into the real ASGI app."""

    def __init__(self, store: GraphStore) -> None:
        self.engine = Engine(store)

    async def __aenter__(self) -> Api:
        app = create_app(self.engine, close_store=False)
        self._lifespan = app.router.lifespan_context(app)
        await self._lifespan.__aenter__()
        transport = httpx.ASGITransport(app=app)
        self._http = httpx.AsyncClient(transport=transport, base_url="http://engine.test")
        return Api(http=self._http, engine=self.engine)

    async def __aexit__(self, *exc: object) -> None:
        await self._http.aclose()
        await self._lifespan.__aexit__(None, None, None)


@pytest.mark.neo4j
async def test_memory_to_neo4j_to_memory_gives_the_same_working_graph(
    memory_store: MemoryStore, empty_neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    async with Served(memory_store) as api:
        await demo.load_demo(api.engine)
        _, operator = await api.engine.identity.issue_api_key(PrincipalKind.OPERATOR, "ops", None)
        anna = await api.login("anna@boekhouder.example", demo.PASSWORD)
        bas = await api.login("bas@bakkerij-jansen.example", demo.PASSWORD)
        await api.ok(REPAIR, bas, p=demo.PARTNERSHIP)
        before_me = await api.ok(ME, anna)
        before_audit = await api.ok(AUDIT, operator, env=demo.CUSTOMER_ENV)
    assert before_audit["auditLog"]["nodes"], "the source has audit events to carry"

    first, second, third = (tmp_path / f"{n}.jsonl" for n in ("first", "second", "third"))
    done = await backup.backup(memory_store, first)
    assert (done.nodes, done.relationships) == await memory_store.graph_size()
    await backup.restore(empty_neo4j_store, first)
    await backup.backup(empty_neo4j_store, second)
    again = MemoryStore()
    await backup.restore(again, second)
    await backup.backup(again, third)
    assert records(first) == records(second) == records(third)

    # The restored graph works: hashes of passwords, sessions and keys came along.
    for restored in (empty_neo4j_store, again):
        async with Served(restored) as api:
            assert await api.ok(ME, anna) == before_me
            assert await api.ok(AUDIT, operator, env=demo.CUSTOMER_ENV) == before_audit
            await api.login("carla@bakkerij-jansen.example", demo.PASSWORD)


async def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    source = MemoryStore()
    await demo.load_demo(Engine(source))
    good = tmp_path / "good.jsonl"
    await backup.backup(source, good)
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)

    truncated = tmp_path / "truncated.jsonl"
    truncated.write_text("".join(lines[:-5]), encoding="utf-8")
    garbled = tmp_path / "garbled.jsonl"
    garbled.write_text("".join([*lines[:3], "{not json\n", *lines[3:]]), encoding="utf-8")
    miscounted = tmp_path / "miscounted.jsonl"
    miscounted.write_text("".join([*lines[:3], *lines[4:]]), encoding="utf-8")
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text('{"format": "something else"}\n', encoding="utf-8")

    target = MemoryStore()
    for damaged, said in (
        (truncated, "incomplete"),
        (garbled, "line 4 is not a backup record"),
        (miscounted, "but holds"),
        (foreign, "not a graph_engine backup"),
    ):
        with pytest.raises(InvalidInput, match=said):
            await backup.restore(target, damaged)
        assert await target.graph_size() == (0, 0)

    await backup.restore(target, good)
    with pytest.raises(InvalidInput, match="restore into an empty store"):
        await backup.restore(target, good)


def test_the_commands_back_up_restore_and_refuse_a_store_in_use(tmp_path: Path) -> None:
    source, target = tmp_path / "source.json", tmp_path / "target.json"
    cli("demo", "--snapshot", str(source))
    out = tmp_path / "backup.jsonl"
    said = cli("backup", "--snapshot", str(source), "--out", str(out)).stdout
    assert "backed up" in said
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(source.stat().st_mode) == 0o600

    cli("restore", "--snapshot", str(target), str(out))
    again = cli("restore", "--snapshot", str(target), str(out), check=False)
    assert again.returncode == 1
    assert "INVALID_INPUT: the store holds" in again.stderr
    # --reset asks first; with no one to answer, nothing is deleted.
    asked = cli("restore", "--snapshot", str(target), "--reset", str(out), check=False)
    assert asked.returncode == 1
    cli("restore", "--snapshot", str(target), "--reset", "--yes", str(out))
    copy = tmp_path / "copy.jsonl"
    cli("backup", "--snapshot", str(target), "--out", str(copy))
    assert records(copy) == records(out)

    nowhere = cli("backup", "--out", str(copy), check=False)
    assert nowhere.returncode == 2
    assert "give --neo4j URI or --snapshot FILE" in nowhere.stderr


def test_the_commands_draw_no_progress_bar_without_a_terminal(tmp_path: Path) -> None:
    source = tmp_path / "source.json"
    cli("demo", "--snapshot", str(source))
    out = tmp_path / "backup.jsonl"
    backed = cli("backup", "--snapshot", str(source), "--out", str(out))
    restored = cli("restore", "--snapshot", str(tmp_path / "target.json"), str(out))
    imported = cli("import", "--snapshot", str(tmp_path / "other.json"), str(LEGACY))
    assert backed.stderr == restored.stderr == imported.stderr == ""


@dataclass
class Target:
    """A store named on the command line, and how to look at it afterwards."""

    args: list[str]
    look: Callable[[], GraphStore]


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    if request.param == "neo4j":
        store: GraphStore = request.getfixturevalue("empty_neo4j_store")
        return Target(["--neo4j", request.getfixturevalue("neo4j_uri")], lambda: store)
    path = tmp_path / "graph.json"
    return Target(["--snapshot", str(path)], lambda: MemoryStore.from_snapshot(path))


async def test_demo_on_a_store_that_holds_it_says_so_and_changes_nothing(target: Target) -> None:
    cli("demo", *target.args)
    size = await target.look().graph_size()
    again = cli("demo", *target.args)
    assert "the demo data is in this store already: nothing changed" in again.stdout
    assert "token of" not in again.stdout
    assert await target.look().graph_size() == size
    reset = cli("demo", *target.args, "--reset", "--yes")
    assert "token of Bas Jansen" in reset.stdout


async def test_import_loads_legacy_data_with_its_missing_connection(
    target: Target, tmp_path: Path
) -> None:
    said = cli("import", *target.args, str(LEGACY)).stdout
    assert "imported 10 nodes and 19 relationships" in said
    store = target.look()
    missing = await store.missing_connections(
        environment_id="env_knip", page=PageRequest(first=10, after=None)
    )
    assert [(m.user_id, m.peer_id, str(m.rule)) for m in missing.items] == [
        ("usr_cor", "usr_aart", "REQUEST_SENDER")
    ]
    # The key the engine derives was filled in: it keeps one partnership per pair.
    written = tmp_path / "written.jsonl"
    await backup.backup(store, written)
    partnership = next(
        json.loads(line)["node"]
        for line in written.read_text(encoding="utf-8").splitlines()
        if '"prt_telraam_knip"' in line and '"node"' in line
    )
    assert partnership["props"]["pairKey"] == "env_knip\x1fenv_telraam"

    # All or nothing: a second import clashes and writes nothing.
    size = await store.graph_size()
    twice = cli("import", *target.args, str(LEGACY), check=False)
    assert twice.returncode == 1
    assert "INVALID_INPUT" in twice.stderr or "CONSTRAINT_VIOLATION" in twice.stderr
    assert await target.look().graph_size() == size


async def test_import_refuses_a_node_the_engine_could_not_find_again(tmp_path: Path) -> None:
    raw = json.loads(LEGACY.read_text(encoding="utf-8"))
    user = next(n for n in raw["nodes"] if n["id"] == "usr_cor")
    del user["props"]["email"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(raw), encoding="utf-8")
    store = MemoryStore()
    with pytest.raises(InvalidInput, match="User usr_cor has no email"):
        await backup.import_file(store, broken)
    assert await store.graph_size() == (0, 0)
