"""GraphQL for offboarding (DESIGN §3.3): user status, seats, dossiers, mail routing."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window
from graph_engine.api.types import User, load_user

strawberry.enum(model.MailOutcome, description="Where a mail went.")


@strawberry.type(description="Active users count against the seat limit; inactive ones do not.")
class SeatUsage:
    limit: int | None
    active: int
    inactive: int


@strawberry.type(description="A dossier (candidate, contact ...) with its responsible user.")
class Dossier:
    id: strawberry.ID
    environment_id: strawberry.ID
    name: str
    kind: model.DossierKind
    responsible_id: strawberry.ID
    created_at: datetime

    @classmethod
    def of(cls, dossier: model.Dossier) -> Dossier:
        return cls(
            id=strawberry.ID(dossier.id),
            environment_id=strawberry.ID(dossier.environment_id),
            name=dossier.name,
            kind=model.DossierKind(dossier.kind),
            responsible_id=strawberry.ID(dossier.responsible_id),
            created_at=dossier.created_at,
        )

    @strawberry.field
    async def responsible(self, info: Info) -> User | None:
        return await load_user(info, self.responsible_id)


@strawberry.input(description="Responsible user equal to an id, or whose name contains a text.")
class DossierFilter:
    responsible_id: strawberry.ID | None = None
    responsible_name_contains: str | None = None

    def to_model(self) -> model.DossierFilter:
        return model.DossierFilter(self.responsible_id, self.responsible_name_contains)


@strawberry.type(description="Where mail to an address goes.")
class MailRoute:
    address: str
    outcome: model.MailOutcome
    deliver_to: User | None
    forwarded_from: User | None
    note: str | None = strawberry.field(description="The forwarding note, in Dutch.")
    note_en: str | None = strawberry.field(description="The forwarding note, in English.")

    @classmethod
    def of(cls, found: model.MailRoute) -> MailRoute:
        return cls(
            address=found.address,
            outcome=found.outcome,
            deliver_to=User.of(found.deliver_to) if found.deliver_to else None,
            forwarded_from=User.of(found.forwarded_from) if found.forwarded_from else None,
            note=found.note,
            note_en=found.note_en,
        )


@strawberry.type
class ReassignResult:
    moved: int = strawberry.field(description="How many dossiers changed hands.")


@strawberry.type
class OffboardingQuery:
    @strawberry.field(description="Seat usage of an environment (its ADMINs and operators).")
    async def seat_usage(self, info: Info, environment_id: strawberry.ID) -> SeatUsage:
        ctx = info.context
        found = await ctx.engine.offboarding.seat_usage(await ctx.caller(), environment_id)
        return SeatUsage(limit=found.limit, active=found.active, inactive=found.inactive)

    @strawberry.field(description="Dossiers of an environment (default: the caller's), by id.")
    async def dossiers(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID | None = None,
        filter: DossierFilter | None = None,  # noqa: A002 - the API's word
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Dossier]:
        ctx = info.context
        where = filter.to_model() if filter else model.DossierFilter()
        found = await ctx.engine.offboarding.dossiers(
            await ctx.caller(), environment_id, where, window(first, after, last, before)
        )
        return page([Dossier.of(d) for d in found.items], found)

    @strawberry.field(description="Where mail to username@emailDomain goes (DESIGN §3.3).")
    async def route_mail(self, info: Info, address: str) -> MailRoute:
        ctx = info.context
        return MailRoute.of(await ctx.engine.offboarding.route_mail(await ctx.caller(), address))


@strawberry.type
class OffboardingMutation:
    @strawberry.mutation(description="Inactive and login blocked; open sessions end at once.")
    async def deactivate_user(self, info: Info, user_id: strawberry.ID) -> User:
        ctx = info.context
        return User.of(await ctx.engine.offboarding.deactivate_user(await ctx.caller(), user_id))

    @strawberry.mutation(description="Active and login unblocked; counts a seat again.")
    async def reactivate_user(self, info: Info, user_id: strawberry.ID) -> User:
        ctx = info.context
        return User.of(await ctx.engine.offboarding.reactivate_user(await ctx.caller(), user_id))

    @strawberry.mutation(description="Block logging in; open sessions end at once.")
    async def block_login(self, info: Info, user_id: strawberry.ID) -> User:
        ctx = info.context
        return User.of(await ctx.engine.offboarding.block_login(await ctx.caller(), user_id))

    @strawberry.mutation
    async def unblock_login(self, info: Info, user_id: strawberry.ID) -> User:
        ctx = info.context
        return User.of(await ctx.engine.offboarding.unblock_login(await ctx.caller(), user_id))

    @strawberry.mutation(description="A new username, which is the mailbox name at the domain.")
    async def rename_user(self, info: Info, user_id: strawberry.ID, username: str) -> User:
        ctx = info.context
        found = await ctx.engine.offboarding.rename_user(await ctx.caller(), user_id, username)
        return User.of(found)

    @strawberry.mutation(description="Turn the user's mail settings on or off.")
    async def update_mail_settings(
        self, info: Info, user_id: strawberry.ID, mail_enabled: bool
    ) -> User:
        ctx = info.context
        found = await ctx.engine.offboarding.update_mail_settings(
            await ctx.caller(), user_id, mail_enabled
        )
        return User.of(found)

    @strawberry.mutation(description="Who the user reports to (null: nobody).")
    async def set_reports_to(
        self, info: Info, user_id: strawberry.ID, reports_to_id: strawberry.ID | None
    ) -> User:
        ctx = info.context
        found = await ctx.engine.offboarding.set_reports_to(
            await ctx.caller(), user_id, reports_to_id
        )
        return User.of(found)

    @strawberry.mutation(description="A dossier with its responsible user (who must be active).")
    async def create_dossier(
        self,
        info: Info,
        name: str,
        responsible_id: strawberry.ID,
        kind: model.DossierKind = model.DossierKind.CANDIDATE,
    ) -> Dossier:
        ctx = info.context
        found = await ctx.engine.offboarding.create_dossier(
            await ctx.caller(), name, kind, responsible_id
        )
        return Dossier.of(found)

    @strawberry.mutation(
        description=(
            "Give the dossiers matching the filter (or the chosen ones among them) to "
            "another active user, or to the caller with takeOver; one transaction."
        )
    )
    async def reassign_dossiers(
        self,
        info: Info,
        *,
        filter: DossierFilter | None = None,  # noqa: A002 - the API's word
        dossier_ids: list[strawberry.ID] | None = None,
        to_user_id: strawberry.ID | None = None,
        take_over: bool = False,
        environment_id: strawberry.ID | None = None,
    ) -> ReassignResult:
        ctx = info.context
        moved = await ctx.engine.offboarding.reassign_dossiers(
            await ctx.caller(),
            environment_id=environment_id,
            where=filter.to_model() if filter else model.DossierFilter(),
            dossier_ids=dossier_ids,
            to_user_id=to_user_id,
            take_over=take_over,
        )
        return ReassignResult(moved=moved)
