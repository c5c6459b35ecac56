"""GraphQL of saved filters and alerts (HelloFlex): save, list, delete, run."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window


@strawberry.type(
    description=(
        "A user's saved filter over their environment's dossiers; its alert mails the"
        " dossiers created since it was saved that it has not mailed yet. Seen by its owner"
        " only."
    )
)
class SavedFilter:
    id: strawberry.ID
    name: str
    kind: model.DossierKind | None = strawberry.field(description="Null: every kind.")
    name_contains: str | None = strawberry.field(
        description="The text a dossier's name contains (any case); null: any name."
    )
    created_at: datetime
    last_alert_at: datetime | None = strawberry.field(
        description="When its last alert was mailed; null: none yet."
    )

    @classmethod
    def of(cls, f: model.SavedFilter) -> SavedFilter:
        return cls(
            id=strawberry.ID(f.id),
            name=f.name,
            kind=None if f.kind is None else model.DossierKind(f.kind),
            name_contains=f.name_contains,
            created_at=f.created_at,
            last_alert_at=f.last_alert_at,
        )


@strawberry.input
class SaveFilterInput:
    name: str
    kind: model.DossierKind | None = None
    name_contains: str | None = None


@strawberry.type(description="What an alert run did.")
class AlertRun:
    filters: int = strawberry.field(description="Filters with new matches.")
    matches: int = strawberry.field(description="New matches, each mailed once, ever.")
    mails: int = strawberry.field(description="Mails handed to the mailer (one per filter).")


@strawberry.type
class AlertQuery:
    @strawberry.field(description="The caller's saved filters, by id.")
    async def saved_filters(
        self,
        info: Info,
        *,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SavedFilter]:
        ctx = info.context
        found = await ctx.engine.alerts.saved_filters(
            await ctx.caller(), window(first, after, last, before)
        )
        return page([SavedFilter.of(f) for f in found.items], found)


@strawberry.type
class AlertMutation:
    @strawberry.mutation(
        description="Save a filter over the caller's environment's dossiers (50 at most)."
    )
    async def save_filter(self, info: Info, input: SaveFilterInput) -> SavedFilter:  # noqa: A002
        ctx = info.context
        found = await ctx.engine.alerts.save_filter(
            await ctx.caller(), input.name, input.kind, input.name_contains
        )
        return SavedFilter.of(found)

    @strawberry.mutation(description="Delete one of the caller's saved filters.")
    async def delete_filter(self, info: Info, id: strawberry.ID) -> SavedFilter:  # noqa: A002
        ctx = info.context
        return SavedFilter.of(await ctx.engine.alerts.delete_filter(await ctx.caller(), id))

    @strawberry.mutation(
        description=(
            "Mail every saved filter's new matches, each exactly once (an environment's"
            " BACKOFFICE key for it, or an operator for one environment or all). Runs"
            " during maintenance as before it."
        )
    )
    async def run_alerts(self, info: Info, environment_id: strawberry.ID | None = None) -> AlertRun:
        ctx = info.context
        done = await ctx.engine.alerts.run(await ctx.caller(), environment_id)
        return AlertRun(filters=done.filters, matches=done.matches, mails=done.mails)
