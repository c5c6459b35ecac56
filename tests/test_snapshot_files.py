"""Snapshot files are written and read one record at a time, in any JSON layout.

store/snapshot.py streams both ways so that a big graph is never held twice; these tests
pin that the streamed reading gives what parsing the whole document gave.
"""

from __future__ import annotations

import asyncio
import gc
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store import snapshot
from graph_engine.store.memory import MemoryStore

AT = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
DATA = GraphData(
    nodes=(
        NodeRecord(
            "Environment",
            "env_1",
            {"name": 'Bakkerij "Jansen" – café ☕', "emailDomain": "jansen.example",
             "billing": "PER_LICENCE", "seatLimit": 25, "createdAt": AT},
        ),
        NodeRecord(
            "Organisation",
            "org_1",
            {"name": "Bakkerij", "activatedSoftware": ["Nmbrs", "Exact"], "createdAt": AT},
        ),
        NodeRecord(
            "User",
            "usr_1",
            {"email": "bas@jansen.example", "name": "Bas", "active": True, "createdAt": AT,
             "passwordHash": None},
        ),
    ),
    relationships=(
        RelRecord("BELONGS_TO", "org_1", "env_1", {}),
        RelRecord("HAS_ACCESS", "usr_1", "org_1", {"role": "ADMIN"}),
        RelRecord("MEMBER_OF", "usr_1", "env_1", {"role": "ADMIN"}),
    ),
)  # fmt: skip


def document(data: GraphData, journal: str | None = None) -> dict[str, Any]:
    """The snapshot as one JSON value (what the whole-document writer produced)."""
    raw: dict[str, Any] = {
        "format": snapshot.FORMAT,
        "version": snapshot.VERSION,
        "nodes": [
            {"label": n.label, "id": n.id, "props": snapshot.encode_props(n.props)}
            for n in data.nodes
        ],
        "relationships": [
            {
                "type": r.type,
                "start": r.start,
                "end": r.end,
                "props": snapshot.encode_props(r.props),
            }
            for r in data.relationships
        ],
    }
    if journal is not None:
        raw["journal"] = journal
    return raw


def test_a_written_snapshot_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    snapshot.save(DATA, path, journal="j1")
    assert snapshot.read(path) == (DATA, "j1")
    assert json.loads(path.read_text(encoding="utf-8")) == document(DATA, "j1")
    assert path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(json.dumps, id="one-line"),
        pytest.param(lambda raw: json.dumps(raw, indent=2, ensure_ascii=False), id="indented"),
        pytest.param(lambda raw: json.dumps(raw, separators=(",", ":")), id="compact"),
        pytest.param(
            lambda raw: json.dumps(dict(reversed(list(raw.items())))), id="relationships-first"
        ),
    ],
)
@pytest.mark.parametrize("chunk", [3, 1 << 20])
def test_a_snapshot_reads_the_same_in_any_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: Any, chunk: int
) -> None:
    monkeypatch.setattr(snapshot, "_CHUNK", chunk)  # 3: every value crosses a chunk
    path = tmp_path / "graph.json"
    path.write_text(layout(document(DATA, "j1")), encoding="utf-8")
    assert snapshot.read(path) == (DATA, "j1")
    expected = MemoryStore()
    asyncio.run(expected.import_graph(DATA))
    loaded = MemoryStore.from_snapshot(path)
    assert asyncio.run(loaded.export_graph()) == asyncio.run(expected.export_graph())


HEAD = '{"format": "graph_engine.snapshot", "version": 1'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(f"[{HEAD}}}]", "not a JSON object", id="array"),
        pytest.param('{"format": "graph_engine.backup"}', "not a graph_engine", id="format"),
        pytest.param('{"version": 2, "nodes": []}', "not a graph_engine", id="version"),
        pytest.param('{"nodes": [], "relationships": []}', "not a graph_engine", id="unsaid"),
        pytest.param(HEAD + ', "nodes": [{"la', "cannot read", id="truncated"),
        pytest.param(HEAD + "} {}", "extra data", id="two-documents"),
        pytest.param(HEAD + ', "nodes": [{}]}', "cannot read", id="no-label"),
    ],
)
def test_a_file_that_is_not_a_whole_snapshot_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "graph.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        snapshot.read(path)


def test_a_store_that_cannot_load_its_snapshot_holds_nothing(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    text = json.dumps(document(DATA))
    path.write_text(text[: text.index('"relationships"') + 40], encoding="utf-8")
    store = MemoryStore()
    with pytest.raises(InvalidInput, match="cannot read snapshot"):
        store.load_snapshot(path)
    assert asyncio.run(store.graph_size()) == (0, 0)


def test_a_load_pauses_the_collector_and_leaves_it_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cyclic collector is off while a graph loads (it found nothing to free and
    walked the growing graph each time), and as it was afterwards, even after a failed
    load or when the caller had it off."""
    good, bad = tmp_path / "graph.json", tmp_path / "broken.json"
    snapshot.save(DATA, good, journal="j1")
    text = json.dumps(document(DATA))
    bad.write_text(text[: text.index('"relationships"') + 40], encoding="utf-8")
    seen: list[bool] = []
    reader = snapshot.Reader

    def watched(path: Path) -> snapshot.Reader:
        seen.append(gc.isenabled())
        return reader(path)

    monkeypatch.setattr(snapshot, "Reader", watched)
    store = MemoryStore()
    assert gc.isenabled()
    store.load_snapshot(good)
    assert gc.isenabled()
    with pytest.raises(InvalidInput):
        store.load_snapshot(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        store.load_snapshot(good)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False, False]
    assert asyncio.run(store.graph_size()) == (3, 3)
