"""Failed-login counters in Neo4j, shared by every server process (see the .cypher files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from graph_engine.store.neo4j.base import Neo4jBase


class ThrottleOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "login_throttle",
        "record_login_failure",
        "clear_login_failures",
    )

    async def login_throttle(self, *, keys: Sequence[str], at: datetime) -> int | None:
        rows = await self._run("login_throttle", keys=list(keys), at=at)
        wait = rows[0]["wait"] if rows else None
        return None if wait is None else int(wait)

    async def record_login_failure(
        self,
        *,
        free: Mapping[str, int],
        cap_seconds: int,
        forget_before: datetime,
        at: datetime,
    ) -> None:
        await self._write(
            "record_login_failure",
            keys=[{"id": key, "free": n} for key, n in free.items()],
            cap=cap_seconds,
            forgetBefore=forget_before,
            at=at,
        )

    async def clear_login_failures(self, *, keys: Sequence[str]) -> None:
        await self._write("clear_login_failures", keys=list(keys))
