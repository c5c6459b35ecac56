"""The explorer capability's store protocol: what the explorer and analysis views read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_engine.model import GraphData, NodeRecord


class ExplorerStore(Protocol):
    """What the explorer pages read: a neighbourhood of nodes, and nodes by name."""

    async def expand(self, *, ids: Sequence[str], limit: int) -> GraphData:
        """The nodes ``ids`` and up to ``limit`` relationships touching them, with the nodes
        at their other ends (unknown ids are left out)."""

    async def find_nodes(
        self, *, search: str, limit: int, after: str | None = None
    ) -> list[NodeRecord]:
        """Users and organisations whose name (or email) contains ``search`` (lowercase),
        by id, the first ``limit`` with an id after ``after``."""
