"""The explorer's reads in memory: a node's neighbourhood and a search by name or email."""

from __future__ import annotations

from collections.abc import Sequence

from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.memory.graph import MemoryGraph


class ExplorerOps(MemoryGraph):
    async def expand(self, *, ids: Sequence[str], limit: int) -> GraphData:
        with self._lock:
            nodes: dict[str, NodeRecord] = {}
            rels: dict[tuple[str, str, str], RelRecord] = {}

            def add(node_id: str) -> None:
                attrs = self.graph.nodes[node_id]
                props = {k: v for k, v in attrs.items() if k != "label"}
                nodes.setdefault(node_id, NodeRecord(attrs["label"], node_id, props))

            for node_id in dict.fromkeys(ids):
                if node_id not in self.graph:
                    continue
                add(node_id)
                touching = [*self.graph.out_edges(node_id), *self.graph.in_edges(node_id)]
                for start, end, data in touching:
                    if len(rels) >= limit:
                        break
                    add(end if start == node_id else start)
                    props = {k: v for k, v in data.items() if k != "type"}
                    rels.setdefault(
                        (start, end, data["type"]), RelRecord(data["type"], start, end, props)
                    )
            return GraphData(nodes=tuple(nodes.values()), relationships=tuple(rels.values()))

    async def find_nodes(
        self, *, search: str, limit: int, after: str | None = None
    ) -> list[NodeRecord]:
        with self._lock:
            found = []
            for node_id in sorted(self.graph.nodes):
                if after is not None and node_id <= after:
                    continue
                attrs = self.graph.nodes[node_id]
                if attrs["label"] not in ("User", "Organisation"):
                    continue
                text = f"{attrs.get('name', '')} {attrs.get('email', '')}".lower()
                if search in text:
                    props = {k: v for k, v in attrs.items() if k != "label"}
                    found.append(NodeRecord(attrs["label"], node_id, props))
                if len(found) >= limit:
                    break
            return found
