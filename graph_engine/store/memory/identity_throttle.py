"""Failed-login counters in memory (see record_login_failure.cypher)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from graph_engine.store.memory.graph import MemoryGraph


class ThrottleOps(MemoryGraph):
    async def login_throttle(self, *, keys: Sequence[str], at: datetime) -> int | None:
        with self._lock:
            waits = [
                math.floor((until - at).total_seconds()) + 1
                for key in keys
                if self.has(key, "LoginThrottle")
                and (until := self.graph.nodes[key].get("blockedUntil")) is not None
                and until > at
            ]
            return max(waits) if waits else None

    async def record_login_failure(
        self,
        *,
        free: Mapping[str, int],
        cap_seconds: int,
        forget_before: datetime,
        at: datetime,
    ) -> None:
        with self._lock:
            for key, allowed in free.items():
                if not self.has(key, "LoginThrottle"):
                    self.add_node("LoginThrottle", key, failures=0)
                attrs = self.graph.nodes[key]
                last = attrs.get("lastFailureAt")
                failures = 1 if last is None or last < forget_before else attrs["failures"] + 1
                over = failures - allowed
                wait = cap_seconds if over >= 30 or 2**over > cap_seconds else 2**over  # noqa: PLR2004
                attrs.update(
                    failures=failures,
                    lastFailureAt=at,
                    blockedUntil=at + timedelta(seconds=wait) if over > 0 else None,
                )

    async def clear_login_failures(self, *, keys: Sequence[str]) -> None:
        with self._lock:
            for key in keys:
                if self.has(key, "LoginThrottle"):
                    self.graph.remove_node(key)
