"""The audit log of an environment, for its ADMINs and operators, through the visibility gate.

Every successful mutation wrote one event (:mod:`graph_engine.audit`), listed in
each environment it concerns. What an event shows passes the gate like everything
else: the ids it touched and the environments it concerns are cut to those within
the caller's reach (an event between two tenants names the other tenant's objects
only to those who reach them).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from graph_engine.model import AuditEvent, Page, PageRequest, Principal
from graph_engine.services import visibility
from graph_engine.services.access import reach, require_admin_of
from graph_engine.services.base import Service
from graph_engine.store.audit import AuditStore
from graph_engine.store.visibility import VisibilityStore


class AuditNeeds(AuditStore, VisibilityStore, Protocol):
    """What AuditService asks of the store: the audit trail, within the caller's reach."""


class AuditService(Service[AuditNeeds]):
    async def log(
        self, caller: Principal, environment_id: str, page: PageRequest
    ) -> Page[AuditEvent]:
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)
        found = await self.store.list_audit_events(environment_id=environment_id, page=page)
        scope = await visibility.reach_of(self.store, caller)
        if scope.everything:
            return found
        named = {i for event in found.items for i in event.ids}
        # The actor too: a user of an environment out of reach, or a platform key (an
        # operator's, a back office's: they belong to no environment), shows as null.
        named |= {event.actor for event in found.items if event.actor is not None}
        shown = {loc.id for loc in await self.store.locate(ids=sorted(named)) if scope.sees(loc)}
        items = [
            replace(
                event,
                actor=event.actor if event.actor in shown else None,
                ids=tuple(i for i in event.ids if i in shown),
                environment_ids=tuple(e for e in event.environment_ids if scope.covers(e)),
            )
            for event in found.items
        ]
        return replace(found, items=items)
