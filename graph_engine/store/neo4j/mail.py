"""Mail in Neo4j: the outbox (used when no SMTP server is configured) and the routing
of mail in for an environment's domain."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import MailRoute, OutboxMail, Page, PageRequest
from graph_engine.store import records
from graph_engine.store.mail import route
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase, checked
from graph_engine.store.pagination import page_of


class MailOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "add_outbox_mail",
        "list_outbox",
        "get_outbox_mail",
        "remove_outbox_mail",
        "route_mail",
    )

    async def get_outbox_mail(self, *, mail_id: str) -> OutboxMail | None:
        rows = await self._run("get_outbox_mail", mailId=mail_id)
        return records.outbox_mail(rows[0]["mail"]) if rows else None

    async def remove_outbox_mail(self, *, mail_id: str) -> bool:
        row = await self._one("remove_outbox_mail", write=True, mailId=mail_id)
        return bool(row["removed"])

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

    async def route_mail(self, *, username: str, email_domain: str) -> MailRoute:
        rows = await self._run("route_mail", username=username, emailDomain=email_domain.lower())
        row = checked(rows[0]) if rows else {"user": None, "manager": None, "environment": None}
        user = convert.user(row["user"]) if row["user"] else None
        manager = convert.user(row["manager"]) if row["manager"] else None
        return route(f"{username}@{email_domain.lower()}", user, manager, row["environment"])
