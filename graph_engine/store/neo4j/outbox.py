"""The mail outbox in Neo4j (used when no SMTP server is configured)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import OutboxMail, Page, PageRequest
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import page_of


class OutboxOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = ("add_outbox_mail", "list_outbox")

    async def add_outbox_mail(
        self, *, mail_id: str, to: str, subject: str, body: str, at: datetime
    ) -> None:
        await self._write(
            "add_outbox_mail", mailId=mail_id, to=to, subject=subject, body=body, at=at
        )

    async def list_outbox(self, *, to: str | None, page: PageRequest) -> Page[OutboxMail]:
        rows = await self._run(
            "list_outbox", to=to.lower() if to else None, **convert.page_params(page)
        )
        return page_of([records.outbox_mail(r["mail"]) for r in rows], lambda m: m.id, page)
