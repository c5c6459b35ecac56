"""Snapshot files: a whole graph as JSON, readable by either store.

Format (version 1)::

    {"format": "graph_engine.snapshot", "version": 1,
     "nodes": [{"label": "User", "id": "usr_1", "props": {...}}, ...],
     "relationships": [{"type": "MEMBER_OF", "start": "usr_1", "end": "env_1", "props": {...}}]}

Datetimes are written as ``{"$datetime": "<ISO 8601>"}`` so they come back as
datetimes, not strings. A durable memory store also writes ``"journal": "<id>"``,
the last journal folded into the snapshot (store/memory/journal.py). The file holds
secrets' hashes and is written with mode 0600.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.records import as_datetime

FORMAT = "graph_engine.snapshot"
VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, datetime) or hasattr(value, "to_native"):
        return {"$datetime": as_datetime(value).isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def encode_props(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as JSON values (datetimes tagged)."""
    return {k: _encode(v) for k, v in props.items()}


def decode_props(props: dict[str, Any]) -> dict[str, Any]:
    """Properties back from JSON values."""
    return {k: _decode(v) for k, v in props.items()}


def to_json(data: GraphData) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "nodes": [
            {"label": n.label, "id": n.id, "props": {k: _encode(v) for k, v in n.props.items()}}
            for n in data.nodes
        ],
        "relationships": [
            {
                "type": r.type,
                "start": r.start,
                "end": r.end,
                "props": {k: _encode(v) for k, v in r.props.items()},
            }
            for r in data.relationships
        ],
    }


def from_json(raw: dict[str, Any]) -> GraphData:
    if raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise InvalidInput(
            "not a graph_engine snapshot (version 1)",
            details={"format": raw.get("format"), "version": raw.get("version")},
        )
    return GraphData(
        nodes=tuple(
            NodeRecord(n["label"], n["id"], {k: _decode(v) for k, v in n["props"].items()})
            for n in raw["nodes"]
        ),
        relationships=tuple(
            RelRecord(
                r["type"], r["start"], r["end"], {k: _decode(v) for k, v in r["props"].items()}
            )
            for r in raw["relationships"]
        ),
    )


def save(data: GraphData, path: Path, *, journal: str | None = None) -> None:
    """Write atomically and durably: a crash never leaves a truncated snapshot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = to_json(data)
    if journal is not None:
        raw["journal"] = journal
    # mkstemp creates the file readable by its owner only.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(raw, fh)
        fh.flush()
        os.fsync(fh.fileno())
    Path(tmp).replace(path)


def read(path: Path) -> tuple[GraphData, str | None]:
    """The graph in a snapshot file and the last journal folded into it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read snapshot {path}: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidInput(f"cannot read snapshot {path}: not a JSON object")
    journal = raw.get("journal")
    return from_json(raw), journal if isinstance(journal, str) else None


def load(path: Path) -> GraphData:
    return read(path)[0]
