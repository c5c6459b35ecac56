"""The explorer's reads in Neo4j: a node's neighbourhood and a search by name or email."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.neo4j.base import Neo4jBase


class ExplorerOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = ("expand", "find_nodes")

    async def expand(self, *, ids: Sequence[str], limit: int) -> GraphData:
        rows = await self._run("expand", ids=list(ids), limit=limit)
        nodes: dict[str, NodeRecord] = {}
        rels: dict[tuple[str, str, str], RelRecord] = {}
        for row in rows:
            nodes.setdefault(row["id"], NodeRecord(row["label"], row["id"], dict(row["props"])))
            rel = row["rel"]
            if rel is not None:
                other = rel["other"]
                nodes.setdefault(
                    other["id"], NodeRecord(other["label"], other["id"], dict(other["props"]))
                )
                rels.setdefault(
                    (rel["start"], rel["end"], rel["type"]),
                    RelRecord(rel["type"], rel["start"], rel["end"], dict(rel["props"])),
                )
        return GraphData(nodes=tuple(nodes.values()), relationships=tuple(rels.values()))

    async def find_nodes(
        self, *, search: str, limit: int, after: str | None = None
    ) -> list[NodeRecord]:
        rows = await self._run("find_nodes", search=search, limit=limit, after=after)
        return [NodeRecord(r["label"], r["id"], dict(r["props"])) for r in rows]
