"""Raw nodes and relationships, for bulk import and export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A raw node for bulk import/export (property names as stored)."""

    label: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelRecord:
    """A raw relationship for bulk import/export."""

    type: str
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphData:
    nodes: tuple[NodeRecord, ...] = ()
    relationships: tuple[RelRecord, ...] = ()

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> GraphData:
        return cls(
            nodes=tuple(
                NodeRecord(n["label"], n["id"], dict(n.get("props", {}))) for n in raw["nodes"]
            ),
            relationships=tuple(
                RelRecord(r["type"], r["start"], r["end"], dict(r.get("props", {})))
                for r in raw["relationships"]
            ),
        )
