"""Sessions that end, password changes and resets, in Neo4j."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Page, PageRequest, Session, User
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import page_of


class SessionOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "touch_session",
        "list_sessions",
        "end_sessions",
        "set_password",
        "set_reset_token",
        "reset_holder",
        "reset_password",
        "activity",
    )

    async def activity(self, *, idle_since: datetime, born_since: datetime) -> tuple[int, int]:
        row = (await self._run("activity", idleSince=idle_since, bornSince=born_since))[0]
        return int(row["sessions"]), int(row["windows"])

    async def touch_session(self, *, session_id: str, at: datetime) -> None:
        await self._write("touch_session", sessionId=session_id, at=at)

    async def list_sessions(self, *, user_id: str, page: PageRequest) -> Page[Session]:
        rows = await self._run("list_sessions", userId=user_id, **convert.page_params(page))
        return page_of([records.session(r["session"]) for r in rows], lambda s: s.id, page)

    async def end_sessions(
        self,
        *,
        user_id: str,
        at: datetime,
        reason: str,
        session_id: str | None = None,
        keep: str | None = None,
    ) -> int:
        rows = await self._write(
            "end_sessions",
            userId=user_id,
            sessionId=session_id,
            keep=keep,
            at=at,
            reason=reason,
        )
        return int(rows[0]["ended"])

    async def set_password(self, *, user_id: str, password_hash: str, at: datetime) -> None:
        await self._write("set_password", userId=user_id, passwordHash=password_hash, at=at)

    async def set_reset_token(self, *, email: str, token_hash: str, at: datetime) -> str | None:
        rows = await self._write(
            "set_reset_token", email=email.lower(), tokenHash=token_hash, at=at
        )
        return str(rows[0]["id"]) if rows else None

    async def reset_holder(self, *, token_hash: str, valid_from: datetime) -> User | None:
        rows = await self._run("reset_holder", tokenHash=token_hash, validFrom=valid_from)
        return convert.user(rows[0]["user"]) if rows else None

    async def reset_password(
        self,
        *,
        token_hash: str,
        password_hash: str,
        valid_from: datetime,
        reason: str,
        at: datetime,
    ) -> User | None:
        rows = await self._write(
            "reset_password",
            tokenHash=token_hash,
            passwordHash=password_hash,
            validFrom=valid_from,
            reason=reason,
            at=at,
        )
        return convert.user(rows[0]["user"]) if rows else None
