"""Sessions that end, password changes and resets, in memory (see the .cypher files)."""

from __future__ import annotations

from datetime import datetime

from graph_engine.model import Page, PageRequest, Session, User
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class SessionOps(MemoryGraph):
    def _open_sessions(self, user_id: str) -> list[str]:
        return sorted(
            s
            for s in self.sources(user_id, "OF")
            if self.graph.nodes[s]["label"] == "Session"
            and self.graph.nodes[s].get("invalidatedAt") is None
        )

    async def activity(self, *, idle_since: datetime, born_since: datetime) -> tuple[int, int]:
        with self._lock:
            sessions = windows = 0
            for attrs in self.graph.nodes.values():
                if attrs["label"] == "Session" and attrs.get("invalidatedAt") is None:
                    seen = attrs.get("lastSeenAt") or attrs["createdAt"]
                    sessions += attrs["createdAt"] >= born_since and seen >= idle_since
                elif attrs["label"] == "MaintenanceWindow" and attrs.get("endedAt") is None:
                    windows += 1
            return sessions, windows

    async def touch_session(self, *, session_id: str, at: datetime) -> None:
        with self._lock:
            attrs = self.graph.nodes.get(session_id)
            if attrs is not None and attrs.get("invalidatedAt") is None:
                attrs["lastSeenAt"] = at

    async def list_sessions(self, *, user_id: str, page: PageRequest) -> Page[Session]:
        with self._lock:
            found = [
                records.session({**self.graph.nodes[s], "user": user_id})
                for s in self._open_sessions(user_id)
            ]
            return paginate(found, lambda s: s.id, page)

    async def end_sessions(
        self,
        *,
        user_id: str,
        at: datetime,
        reason: str,
        session_id: str | None = None,
        keep: str | None = None,
    ) -> int:
        with self._lock:
            ended = 0
            for s in self._open_sessions(user_id):
                if (session_id is None or s == session_id) and s != keep:
                    self.graph.nodes[s].update(invalidatedAt=at, reason=reason)
                    ended += 1
            return ended

    async def set_password(self, *, user_id: str, password_hash: str, at: datetime) -> None:
        with self._lock:
            self.node(user_id, "User").update(passwordHash=password_hash, passwordChangedAt=at)

    async def set_reset_token(self, *, email: str, token_hash: str, at: datetime) -> str | None:
        with self._lock:
            user_id = self._by_email.get(email.lower())
            if user_id is None:
                return None
            self.graph.nodes[user_id].update(resetTokenHash=token_hash, resetIssuedAt=at)
            return user_id

    def _reset_holder(self, token_hash: str, valid_from: datetime) -> str | None:
        for node_id, attrs in self.graph.nodes.items():
            if attrs["label"] == "User" and attrs.get("resetTokenHash") == token_hash:
                return node_id if attrs["resetIssuedAt"] >= valid_from else None
        return None

    async def reset_holder(self, *, token_hash: str, valid_from: datetime) -> User | None:
        with self._lock:
            user_id = self._reset_holder(token_hash, valid_from)
            return None if user_id is None else self.user_record(user_id)

    async def reset_password(
        self,
        *,
        token_hash: str,
        password_hash: str,
        valid_from: datetime,
        reason: str,
        at: datetime,
    ) -> User | None:
        with self._lock:
            user_id = self._reset_holder(token_hash, valid_from)
            if user_id is None:
                return None
            attrs = self.graph.nodes[user_id]
            attrs.update(passwordHash=password_hash, passwordChangedAt=at)
            attrs.pop("resetTokenHash", None)
            attrs.pop("resetIssuedAt", None)
            for s in self._open_sessions(user_id):
                self.graph.nodes[s].update(invalidatedAt=at, reason=reason)
            return self.user_record(user_id)
