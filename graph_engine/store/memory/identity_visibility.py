"""Where entities live and what a user reaches, in memory (DESIGN §3.0)."""

from __future__ import annotations

from collections.abc import Sequence

from graph_engine.model import Location, Reach
from graph_engine.store.memory.graph import MemoryGraph


class VisibilityOps(MemoryGraph):
    async def reach(self, *, user_id: str) -> Reach:
        with self._lock:
            return self.reach_of(user_id)

    async def locate(self, *, ids: Sequence[str]) -> list[Location]:
        with self._lock:
            return self.locations(ids)
