"""The mail outbox in memory (used when no SMTP server is configured)."""

from __future__ import annotations

from datetime import datetime

from graph_engine.model import OutboxMail, Page, PageRequest
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class OutboxOps(MemoryGraph):
    async def add_outbox_mail(
        self, *, mail_id: str, to: str, subject: str, body: str, at: datetime
    ) -> None:
        with self._lock:
            self.add_node("OutboxMail", mail_id, to=to, subject=subject, body=body, createdAt=at)

    async def list_outbox(self, *, to: str | None, page: PageRequest) -> Page[OutboxMail]:
        with self._lock:
            found = [
                records.outbox_mail(self.graph.nodes[node_id])
                for node_id in sorted(self._outbox)
                if to is None or str(self.graph.nodes[node_id]["to"]).lower() == to.lower()
            ]
            return paginate(found, lambda m: m.id, page)
