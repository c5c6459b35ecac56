"""GraphQL for ownership rights, licences and process messages (DESIGN §3.2, Easyflex)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window
from graph_engine.api.types import User, load_user

strawberry.enum(model.LicenceStatus, description="ASSIGNED, RELEASED or CANCELLED.")


@strawberry.type(
    description=(
        "Who holds an employee's ownership rights in one work company. By default "
        "(explicit: false) the employee holds their own."
    )
)
class Ownership:
    employee_id: strawberry.ID
    work_company_id: strawberry.ID
    holder_id: strawberry.ID
    explicit: bool

    @classmethod
    def of(cls, found: model.Ownership) -> Ownership:
        return cls(
            employee_id=strawberry.ID(found.employee_id),
            work_company_id=strawberry.ID(found.work_company_id),
            holder_id=strawberry.ID(found.holder_id),
            explicit=found.explicit,
        )

    @strawberry.field
    async def holder(self, info: Info) -> User | None:
        return await load_user(info, self.holder_id)

    @strawberry.field
    async def employee(self, info: Info) -> User | None:
        return await load_user(info, self.employee_id)


@strawberry.type(description="The rights that changed hands, all in one transaction.")
class TransferResult:
    moved: list[Ownership]
    invalidated_sessions: int = strawberry.field(
        description="Open sessions of the previous holder that were ended."
    )


@strawberry.type(description="A user or access licence, valid in one work company.")
class Licence:
    id: strawberry.ID
    number: str
    work_company_id: strawberry.ID
    assigned_to_id: strawberry.ID | None
    password_set: bool
    status: model.LicenceStatus
    started_at: datetime
    cancel_at: datetime | None

    @classmethod
    def of(cls, found: model.Licence) -> Licence:
        return cls(
            id=strawberry.ID(found.id),
            number=found.number,
            work_company_id=strawberry.ID(found.work_company_id),
            assigned_to_id=strawberry.ID(found.assigned_to) if found.assigned_to else None,
            password_set=found.password_set,
            status=found.status,
            started_at=found.started_at,
            cancel_at=found.cancel_at,
        )


@strawberry.type(description="When a cancellation takes effect, or why none is needed.")
class Cancellation:
    needed: bool
    effective_at: datetime | None
    message: str
    licence: Licence | None


@strawberry.type(description="A message of the nightly run about an employee in a work company.")
class ProcessMessage:
    id: strawberry.ID
    process: str
    employee_id: strawberry.ID
    work_company_id: strawberry.ID
    created_at: datetime
    delivered_at: datetime | None
    delivered_to_id: strawberry.ID | None

    @classmethod
    def of(cls, found: model.ProcessMessage) -> ProcessMessage:
        return cls(
            id=strawberry.ID(found.id),
            process=found.process,
            employee_id=strawberry.ID(found.employee_id),
            work_company_id=strawberry.ID(found.work_company_id),
            created_at=found.created_at,
            delivered_at=found.delivered_at,
            delivered_to_id=strawberry.ID(found.delivered_to) if found.delivered_to else None,
        )


@strawberry.type
class NightlyRun:
    created: int = strawberry.field(description="How many process messages the run wrote.")


@strawberry.type
class Delivery:
    delivered: int = strawberry.field(description="How many messages this run delivered.")


@strawberry.type
class OwnershipQuery:
    @strawberry.field(description="Who holds the employee's rights, per work company.")
    async def ownership_of(self, info: Info, employee_id: strawberry.ID) -> list[Ownership]:
        ctx = info.context
        found = await ctx.engine.ownership.ownership_of(await ctx.caller(), employee_id)
        return [Ownership.of(o) for o in found]

    @strawberry.field(
        description="The rights a user holds (their own and others'), by work company."
    )
    async def rights_held_by(
        self,
        info: Info,
        *,
        user_id: strawberry.ID,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Ownership]:
        ctx = info.context
        found = await ctx.engine.ownership.rights_held_by(
            await ctx.caller(), user_id, window(first, after, last, before)
        )
        return page([Ownership.of(o) for o in found.items], found)

    @strawberry.field(description="The licence assigned to a user, if any.")
    async def licence_of(self, info: Info, user_id: strawberry.ID) -> Licence | None:
        ctx = info.context
        found = await ctx.engine.ownership.licence_of(await ctx.caller(), user_id)
        return Licence.of(found) if found else None

    @strawberry.field(description="Process messages delivered to a user (default: the caller).")
    async def inbox(
        self,
        info: Info,
        *,
        user_id: strawberry.ID | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ProcessMessage]:
        ctx = info.context
        found = await ctx.engine.ownership.inbox(
            await ctx.caller(), user_id, window(first, after, last, before)
        )
        return page([ProcessMessage.of(m) for m in found.items], found)


@strawberry.type
class OwnershipMutation:
    @strawberry.mutation(
        description=(
            "Move the rights held by `from` (all, or of employeeIds) to `to`, in every work "
            "company (or in workCompanyIds); all or nothing. `from` loses their sessions."
        )
    )
    async def transfer_ownership(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        employee_ids: list[strawberry.ID] | None = None,
        work_company_ids: list[strawberry.ID] | None = None,
    ) -> TransferResult:
        ctx = info.context
        done = await ctx.engine.ownership.transfer(
            await ctx.caller(), from_, to, employee_ids, work_company_ids
        )
        return TransferResult(
            moved=[Ownership.of(o) for o in done.moved],
            invalidated_sessions=done.invalidated_sessions,
        )

    @strawberry.mutation(
        description="Assign a new or released licence to a user in a work company."
    )
    async def assign_licence(
        self, info: Info, number: str, user_id: strawberry.ID, work_company_id: strawberry.ID
    ) -> Licence:
        ctx = info.context
        found = await ctx.engine.ownership.assign_licence(
            await ctx.caller(), number, user_id, work_company_id
        )
        return Licence.of(found)

    @strawberry.mutation(
        description=(
            "Release the user's licence (number and password cleared); refused while the "
            "user holds ownership rights anywhere."
        )
    )
    async def release_licence(self, info: Info, user_id: strawberry.ID) -> Licence:
        ctx = info.context
        return Licence.of(await ctx.engine.ownership.release_licence(await ctx.caller(), user_id))

    @strawberry.mutation(
        description=(
            "Cancel a released licence: effective at the later of its start + 12 months and "
            "the next Monday 00:00 UTC; not needed on a per-processed-hour contract."
        )
    )
    async def request_licence_cancellation(self, info: Info, number: str) -> Cancellation:
        ctx = info.context
        found = await ctx.engine.ownership.request_cancellation(await ctx.caller(), number)
        return Cancellation(
            needed=found.needed,
            effective_at=found.effective_at,
            message=found.message,
            licence=Licence.of(found.licence) if found.licence else None,
        )

    @strawberry.mutation(description="The nightly run (operators and the BACKOFFICE key).")
    async def run_nightly_processing(
        self,
        info: Info,
        environment_id: strawberry.ID | None = None,
        process: str | None = None,
    ) -> NightlyRun:
        ctx = info.context
        created = await ctx.engine.ownership.run_nightly(
            await ctx.caller(), environment_id, process
        )
        return NightlyRun(created=created)

    @strawberry.mutation(
        description="Deliver every pending process message to the holder now, exactly once."
    )
    async def deliver_process_messages(
        self, info: Info, environment_id: strawberry.ID | None = None
    ) -> Delivery:
        ctx = info.context
        delivered = await ctx.engine.ownership.deliver(await ctx.caller(), environment_id)
        return Delivery(delivered=delivered)
