"""The audit trail in memory: events written with their mutation, under the same lock."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from graph_engine import audit
from graph_engine.model import AuditEvent, Page, PageRequest
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate

T = TypeVar("T")


class AuditOps(MemoryGraph):
    def _record_audit(self, event: audit.Pending, ids: Sequence[str]) -> None:
        """Write the event (the caller holds the lock)."""
        touched = list(dict.fromkeys([*event.ids, *ids]))
        environments = {h for loc in self.locations(touched) for h in loc.homes}
        if event.actor_environment is not None:
            environments.add(event.actor_environment)
        self.add_node(
            "AuditEvent",
            event.event_id,
            action=event.action,
            actor=event.actor,
            principal=event.principal,
            at=event.at,
            requestId=event.request_id,
            ids=touched,
        )
        for environment in sorted(environments):
            if self.has(environment, "Environment"):
                self.add_edge(event.event_id, environment, "IN")
        if event.actor is not None and self.has(event.actor, "User"):
            self.add_edge(event.event_id, event.actor, "BY")
        event.written = True

    async def record_audit_event(self, *, event: audit.Pending) -> None:
        with self._lock:
            if not event.written:
                self._record_audit(event, ())
                self._journaled("record_audit_event", event=event)

    async def list_audit_events(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[AuditEvent]:
        with self._lock:
            found = [
                records.audit_event({**self.graph.nodes[a], "environments": self.targets(a, "IN")})
                for a in sorted(self.sources(environment_id, "IN"))
                if self.graph.nodes[a]["label"] == "AuditEvent"
            ]
            return paginate(found, lambda e: e.id, page)


def writes(
    method: Callable[..., Awaitable[T]],
) -> Callable[..., Awaitable[T]]:
    """Make a write operation also write the running mutation's audit event, atomically.

    The operation runs under the store's lock, and a memory operation never suspends
    (no ``await`` inside), so the event is written before any other request runs and
    only when the operation succeeded. A durable store journals the write, with the
    event it carried, before it returns.
    """
    name = method.__name__

    @functools.wraps(method)
    async def wrapper(self: AuditOps, *args: Any, **kwargs: Any) -> T:
        with self._lock:
            carried = audit.pending()  # the event this write owes, if any
            self._write_depth += 1
            try:
                result = await method(self, *args, **kwargs)
            finally:
                self._write_depth -= 1
            event = audit.pending()
            if event is not None:
                self._record_audit(event, audit.touched_ids(kwargs))
            self._journaled(name, args, kwargs, carried)
            return result

    return wrapper
