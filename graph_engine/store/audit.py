"""The audit capability's store protocol: the trail every mutation leaves."""

from __future__ import annotations

from typing import Protocol

from graph_engine.audit import Pending
from graph_engine.model import AuditEvent, Page, PageRequest


class AuditStore(Protocol):
    """The audit trail: events no write carried, and an environment's events."""

    async def record_audit_event(self, *, event: Pending) -> None:
        """Write a mutation's event that no write carried (it wrote nothing)."""

    async def list_audit_events(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[AuditEvent]:
        """An environment's audit events, in the order they happened."""
