"""The API's half of the audit trail: every mutation it runs owes one event.

:class:`AuditTrail` opens the event of each root mutation field (its name, the
request id, the time, and who calls once the request knows) for the store to write
with the mutation's first write (:mod:`graph_engine.audit`); a mutation that
succeeded without writing gets its event afterwards. A mutation that failed before
writing leaves none.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo, OperationType
from strawberry.extensions import SchemaExtension

from graph_engine import audit
from graph_engine.api.context import Context


class AuditTrail(SchemaExtension):
    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        if info.operation.operation is not OperationType.MUTATION or info.path.prev is not None:
            return _next(root, info, *args, **kwargs)
        return self._audited(_next, root, info, *args, **kwargs)

    async def _audited(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        ctx: Context = info.context
        with audit.opened(
            info.field_name, ctx.request_id, ctx.engine.clock.now(), who=lambda: ctx.known_caller
        ) as event:
            result = _next(root, info, *args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            if not event.written:
                await ctx.engine.store.record_audit_event(event=event)
        return result
