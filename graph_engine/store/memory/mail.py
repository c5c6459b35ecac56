"""Mail in memory: the outbox (used when no SMTP server is configured) and the routing
of mail in for an environment's domain."""

from __future__ import annotations

from datetime import datetime

from graph_engine.model import MailRoute, OutboxMail, Page, PageRequest
from graph_engine.store import records
from graph_engine.store.mail import route
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class MailOps(MemoryGraph):
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

    async def get_outbox_mail(self, *, mail_id: str) -> OutboxMail | None:
        with self._lock:
            if mail_id not in self._outbox:
                return None
            return records.outbox_mail(self.graph.nodes[mail_id])

    async def remove_outbox_mail(self, *, mail_id: str) -> bool:
        with self._lock:
            if self._outbox.pop(mail_id, False) is False:
                return False
            self.graph.remove_node(mail_id)
            return True

    async def route_mail(self, *, username: str, email_domain: str) -> MailRoute:
        with self._lock:
            domain = email_domain.lower()
            env = self._by_domain.get(domain)
            user_id = next(
                (
                    u
                    for u in sorted(self.members(env) if env else [])
                    if self.graph.nodes[u].get("username") == username
                ),
                None,
            )
            user = self.user_record(user_id) if user_id else None
            managers = self.targets(user_id, "REPORTS_TO") if user_id else []
            manager = self.user_record(managers[0]) if managers else None
            return route(f"{username}@{domain}", user, manager, env)
