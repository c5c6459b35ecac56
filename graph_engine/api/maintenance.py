"""GraphQL types of maintenance windows, job applications and account activation."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model
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
class ActivationTokenPayload:
    user_id: strawberry.ID
    token: str = strawberry.field(
        description="Shown once; only its hash is stored. Valid for 7 days, for one use."
    )
