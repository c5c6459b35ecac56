"""The API's half of the audit trail: every mutation it runs owes one event.

:class:`AuditTrail`, on every field of ``Mutation`` (:func:`audit_mutations`), opens
the event of each root mutation field (its name, the request id, the time, and who
calls once the request knows) for the store to write with the mutation's first
write (:mod:`graph_engine.audit`); a mutation that succeeded without writing gets
its event afterwards. A mutation that failed before writing leaves none. Being a
field extension of the mutations only, it costs the other fields nothing.
"""

from __future__ import annotations

import inspect
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.extensions.field_extension import AsyncExtensionResolver
from strawberry.types import Info

from graph_engine import audit
from graph_engine.api.context import Context


class AuditTrail(FieldExtension):
    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info, **kwargs: Any
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
