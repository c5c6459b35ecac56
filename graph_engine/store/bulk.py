"""The bulk capability's store protocol: import, export and load of the whole graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from graph_engine.model import GraphData


class BulkStore(Protocol):
    """Whole-graph import and export (backups, loads, analysis snapshots)."""

    async def import_graph(self, data: GraphData) -> None:
        """Write raw nodes and relationships as given ("straight into the store")."""

    async def graph_size(self) -> tuple[int, int]:
        """How many nodes and relationships the store holds."""

    def export_pages(self, page_size: int = 10_000) -> AsyncIterator[GraphData]:
        """Every node, then every relationship, in pages of about ``page_size`` records
        (analysis snapshots of big graphs: never one giant result)."""
        ...

    async def export_graph(self) -> GraphData:
        """Every node and relationship, as raw records."""
