"""GraphQL for the audit trail: an environment's audit log, and the API's half of writing it.

Every mutation the API runs owes one event. :class:`AuditTrail`, on every field of
``Mutation`` (:func:`audit_mutations`), opens the event of each root mutation field
(its name, the request id, the time, and who calls once the request knows) for the
store to write with the mutation's first write (:mod:`graph_engine.audit`); a mutation
that succeeded without writing gets its event afterwards. A mutation that failed
before writing leaves none. Being a field extension of the mutations only, it costs
the other fields nothing.
"""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types import Info as StrawberryInfo

from graph_engine import audit, model
from graph_engine.api.context import Context, Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window

strawberry.enum(model.AuditPrincipal, description="USER, a key's kind, or ANONYMOUS (public).")


@strawberry.type(description="Who changed what, when (one per successful mutation).")
class AuditEvent:
    id: strawberry.ID
    action: str = strawberry.field(description="The mutation.")
    actor_id: strawberry.ID | None = strawberry.field(
        description="The user or key, as far as you reach them; null: public, or out of "
        "reach (a user of another environment, an operator's or back office's key)."
    )
    principal: model.AuditPrincipal
    at: datetime
    request_id: str
    ids: list[strawberry.ID] = strawberry.field(
        description="The ids it touched, as far as you reach them."
    )
    environment_ids: list[strawberry.ID]

    @classmethod
    def of(cls, e: model.AuditEvent) -> AuditEvent:
        return cls(
            id=strawberry.ID(e.id),
            action=e.action,
            actor_id=None if e.actor is None else strawberry.ID(e.actor),
            principal=model.AuditPrincipal(e.principal),
            at=e.at,
            request_id=e.request_id,
            ids=[strawberry.ID(i) for i in e.ids],
            environment_ids=[strawberry.ID(i) for i in e.environment_ids],
        )


@strawberry.type
class AuditQuery:
    @strawberry.field(description="An environment's audit log, oldest first (its ADMINs).")
    async def audit_log(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuditEvent]:
        ctx = info.context
        found = await ctx.engine.audit.log(
            await ctx.caller(), environment_id, window(first, after, last, before)
        )
        return page([AuditEvent.of(e) for e in found.items], found)


class AuditTrail(FieldExtension):
    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: StrawberryInfo, **kwargs: Any
    ) -> Any:
        ctx: Context = info.context
        with audit.opened(
            info.field_name, ctx.request_id, ctx.engine.clock.now(), who=lambda: ctx.known_caller
        ) as event:
            result = next_(source, info, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            if not event.written:
                await ctx.engine.store.record_audit_event(event=event)
        return result


def audit_mutations(mutation: type) -> type:
    """Put :class:`AuditTrail` on every field of ``mutation`` (once, however often the
    schema is built)."""
    for field in mutation.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        if not any(isinstance(e, AuditTrail) for e in field.extensions):
            field.extensions.append(AuditTrail())
    return mutation
