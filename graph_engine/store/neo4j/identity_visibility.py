"""Where entities live and what a user reaches, in Neo4j (DESIGN §3.0)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from graph_engine.model import Location, Reach
from graph_engine.store.neo4j.base import Neo4jBase


class VisibilityOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = ("reach", "locate")

    # Both are read before almost every answer, so those asked at the same moment share
    # statements (store/neo4j/batching.py).
    async def reach(self, *, user_id: str) -> Reach:
        row = (await self._shared_read("reach", userId=user_id))[0]
        return Reach(
            environments=frozenset(row["environments"]),
            introduced=frozenset(row["introduced"]),
        )

    async def locate(self, *, ids: Sequence[str]) -> list[Location]:
        rows = await self._shared_read("locate", ids=list(dict.fromkeys(ids)))
        return [location(r["id"], r["label"], tuple(r["homes"])) for r in rows]


def location(node_id: str, label: str, homes: tuple[str, ...]) -> Location:
    """A location; an entity with exactly one home environment names it."""
    return Location(
        id=node_id,
        label=label,
        environment_id=homes[0] if len(homes) == 1 else None,
        homes=homes,
    )
