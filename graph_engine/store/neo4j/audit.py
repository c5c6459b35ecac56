"""The audit trail in Neo4j: events written with their mutation, listed per environment."""

from __future__ import annotations

from typing import ClassVar

from graph_engine import audit
from graph_engine.model import AuditEvent, Page, PageRequest
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import page_of


class AuditOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = ("record_audit_event", "list_audit_events")

    async def record_audit_event(self, *, event: audit.Pending) -> None:
        """The event of a mutation that wrote nothing (the usual path writes it with the
        mutation's first write: :meth:`Neo4jBase._run`)."""
        if event.written:
            return
        with audit.suspended():  # this transaction writes the event itself
            await self._transaction(lambda tx: self._audit_in(tx, event, ()))
        event.written = True

    async def list_audit_events(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[AuditEvent]:
        rows = await self._run(
            "list_audit_events", environmentId=environment_id, **convert.page_params(page)
        )
        return page_of([records.audit_event(r["event"]) for r in rows], lambda e: e.id, page)
