"""GraphQL for maintenance: windows of down time, their countdown and banner, and the
job applications that still come in during one.

The window is enforced in ``ctx.caller()`` and ``login``, never in a resolver.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.services import maintenance

strawberry.enum(
    maintenance.MaintenanceState,
    description="NONE: no open window; SCHEDULED: a countdown runs; ACTIVE: the window is on.",
)


@strawberry.type(description="Down time of an environment; open until ended by hand.")
class MaintenanceWindow:
    id: strawberry.ID
    environment_id: strawberry.ID
    starts_at: datetime
    expected_end_at: datetime | None = strawberry.field(
        description=(
            "The scheduler's estimate of the end, if given; the window still ends by hand."
            " Locked-out integrations get it as Retry-After."
        )
    )
    ended_at: datetime | None
    created_by: strawberry.ID = strawberry.field(description="The user or key that scheduled it.")
    created_at: datetime

    @classmethod
    def of(cls, w: model.MaintenanceWindow) -> MaintenanceWindow:
        return cls(
            id=strawberry.ID(w.id),
            environment_id=strawberry.ID(w.environment_id),
            starts_at=w.starts_at,
            expected_end_at=w.expected_end_at,
            ended_at=w.ended_at,
            created_by=strawberry.ID(w.created_by),
            created_at=w.created_at,
        )


@strawberry.type(
    description=(
        "What the caller's screen shows about maintenance of their environment. SCHEDULED"
        " fills startsAt, secondsRemaining (the countdown) and showWarning (the one-time"
        " warning, within 24 h of the start, until acknowledged); ACTIVE fills banner."
    )
)
class MaintenanceStatus:
    state: maintenance.MaintenanceState
    window: MaintenanceWindow | None
    starts_at: datetime | None
    seconds_remaining: int | None
    show_warning: bool
    banner: str | None

    @classmethod
    def of(cls, s: maintenance.MaintenanceStatus) -> MaintenanceStatus:
        return cls(
            state=s.state,
            window=None if s.window is None else MaintenanceWindow.of(s.window),
            starts_at=None if s.window is None else s.window.starts_at,
            seconds_remaining=s.seconds_remaining,
            show_warning=s.show_warning,
            banner=s.banner,
        )


@strawberry.type(description="A job application sent through a public form.")
class Application:
    id: strawberry.ID
    environment_id: strawberry.ID
    name: str
    email: str
    created_at: datetime

    @classmethod
    def of(cls, a: model.Application) -> Application:
        return cls(
            id=strawberry.ID(a.id),
            environment_id=strawberry.ID(a.environment_id),
            name=a.name,
            email=a.email,
            created_at=a.created_at,
        )


@strawberry.type
class MaintenanceQuery:
    @strawberry.field(description="Maintenance of the caller's environment: countdown or banner.")
    async def maintenance_status(self, info: Info) -> MaintenanceStatus:
        ctx = info.context
        caller = await ctx.caller()  # read in this request, with its window
        return MaintenanceStatus.of(await ctx.engine.maintenance.status(caller, fresh=True))


@strawberry.type
class MaintenanceMutation:
    @strawberry.mutation(
        description=(
            "Schedule a maintenance window at least 10 minutes ahead (ADMIN, CONSULTANT);"
            " expectedEndAt, an estimate, is told to the locked out (Retry-After)."
        )
    )
    async def schedule_maintenance(
        self,
        info: Info,
        environment_id: strawberry.ID,
        starts_at: datetime,
        expected_end_at: datetime | None = None,
    ) -> MaintenanceWindow:
        ctx = info.context
        window = await ctx.engine.maintenance.schedule(
            await ctx.caller(), environment_id, starts_at, expected_end_at
        )
        return MaintenanceWindow.of(window)

    @strawberry.mutation(description="End (or cancel) the open maintenance window, by hand.")
    async def end_maintenance(self, info: Info, environment_id: strawberry.ID) -> MaintenanceWindow:
        ctx = info.context
        window = await ctx.engine.maintenance.end(await ctx.caller(), environment_id)
        return MaintenanceWindow.of(window)

    @strawberry.mutation(
        description="Record that the caller saw the one-time warning; true only the first time."
    )
    async def acknowledge_maintenance_warning(self, info: Info) -> bool:
        ctx = info.context
        return await ctx.engine.maintenance.acknowledge_warning(await ctx.caller())

    @strawberry.mutation(
        description=(
            "Send a job application: public without a token, or pushed by an integration key"
            " bound to the environment. Works during maintenance, except for integrations."
        )
    )
    async def submit_application(
        self, info: Info, environment_id: strawberry.ID, name: str, email: str
    ) -> Application:
        ctx = info.context
        caller = await ctx.caller() if ctx.token else None
        found = await ctx.engine.maintenance.submit_application(
            caller, environment_id, name, email, ctx.client
        )
        return Application.of(found)
