"""Maintenance windows (HelloFlex *jaarwerk*, DESIGN §3.5): scheduling, status and the gate.

The gate (:func:`gate`) is the one place where a window locks principals out. It
runs inside :meth:`graph_engine.services.identity.IdentityService.authenticate`
and ``login``, on the window the store returned together with the principal, so
every request is gated without a resolver doing anything and without a query
of its own.

Decisions where DESIGN is silent:

* a window is open from scheduling until ``endMaintenance``; it is *active* from
  ``startsAt`` on. Ending a window that has not started yet cancels it;
* ``ADMIN``/``CONSULTANT`` of the environment and operators schedule and end;
* ``BACKOFFICE`` and ``OPERATOR`` keys pass; an ``INTEGRATION`` key is gated by
  the window of the environment it is bound to. An unbound key belongs to no
  environment and so to no window, but it cannot act inside one either: an
  integration that pushes into an environment must be bound to it;
* the one-time warning is offered to every user of the environment within 24 h
  of the start and stays offered until the user acknowledges it
  (``acknowledgeMaintenanceWarning``, stored as ``(User)-[:WARNED_OF]->(window)``),
  so a warning that never reached a screen is not lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from graph_engine import ids
from graph_engine.errors import Forbidden, InvalidInput, Maintenance
from graph_engine.model import (
    MAINTENANCE_ROLES,
    Application,
    MaintenanceWindow,
    Principal,
    PrincipalKind,
    Role,
)
from graph_engine.services import attempts, validate
from graph_engine.services.access import reach, require_user
from graph_engine.services.base import Service
from graph_engine.store.identity import IdentityStore
from graph_engine.store.maintenance import MaintenanceStore
from graph_engine.store.visibility import VisibilityStore

# The start must be at least this far ahead of the moment of scheduling.
MIN_NOTICE = timedelta(minutes=10)
# The one-time warning is shown at most this long before the start.
WARNING_PERIOD = timedelta(hours=24)
# The article sets no maximum ahead; the countdown (secondsRemaining, a GraphQL Int of
# 32 bits) sets one: about 68 years.
MAX_AHEAD = timedelta(seconds=2**31 - 1)
# An expected end is an estimate of a few hours ("een paar uur"); a year at most.
MAX_EXPECTED = timedelta(days=365)


class MaintenanceState(StrEnum):
    NONE = "NONE"
    SCHEDULED = "SCHEDULED"
    ACTIVE = "ACTIVE"


@dataclass(frozen=True, slots=True)
class MaintenanceStatus:
    """What the caller's screen shows: nothing, a countdown (and warning), or a banner."""

    state: MaintenanceState
    window: MaintenanceWindow | None = None
    seconds_remaining: int | None = None
    show_warning: bool = False
    banner: str | None = None


def is_exempt(kind: PrincipalKind, role: Role | None) -> bool:
    """Who keeps working during a window."""
    if kind is PrincipalKind.USER:
        return role in MAINTENANCE_ROLES
    return kind is not PrincipalKind.INTEGRATION


def gate(
    window: MaintenanceWindow | None, kind: PrincipalKind, role: Role | None, now: datetime
) -> None:
    """Refuse a principal that a window, active at ``now``, locks out."""
    if window is None or not window.active_at(now) or is_exempt(kind, role):
        return
    retry_after = window.retry_after(now)
    expected = None if retry_after is None else window.expected_end_at
    if expected is None:
        until = "; its end is not known: an ADMIN or CONSULTANT ends it by hand"
    else:
        until = f"; expected back at {expected.isoformat()}"
    raise Maintenance(
        f"environment {window.environment_id} is unavailable for maintenance"
        f" since {window.starts_at.isoformat()}{until}",
        details={
            "environment": window.environment_id,
            "window": window.id,
            "startsAt": window.starts_at.isoformat(),
            "expectedEndAt": None if expected is None else expected.isoformat(),
            "retryAfter": retry_after,
            "principal": str(kind),
        },
        suggestion="Try again when the maintenance has ended; nothing was stored.",
    )


def may_maintain(caller: Principal, environment_id: str) -> bool:
    if caller.is_operator:
        return True
    user = caller.user
    return (
        user is not None
        and user.role in MAINTENANCE_ROLES
        and user.environment_id == (environment_id)
    )


def banner(window: MaintenanceWindow) -> str:
    expected = (
        ""
        if window.expected_end_at is None
        else f" (expected at {window.expected_end_at.isoformat()})"
    )
    return (
        f"Maintenance since {window.starts_at.isoformat()}: the environment is unavailable"
        f" for regular users until an ADMIN or CONSULTANT ends the window{expected}."
    )


class MaintenanceNeeds(MaintenanceStore, IdentityStore, VisibilityStore, Protocol):
    """What MaintenanceService asks of the store: maintenance windows, within the caller's
    reach."""


class MaintenanceService(Service[MaintenanceNeeds]):
    async def schedule(
        self,
        caller: Principal,
        environment_id: str,
        starts_at: datetime,
        expected_end_at: datetime | None = None,
    ) -> MaintenanceWindow:
        """Open a window at ``starts_at``; ``expected_end_at`` is an estimate only (the
        window still ends by hand), told to the locked out and as ``Retry-After``."""
        await reach(self.store, caller, [("Environment", environment_id)])
        self._require_maintainer(caller, environment_id)
        for name, value in (("startsAt", starts_at), ("expectedEndAt", expected_end_at)):
            if value is not None and value.tzinfo is None:
                raise InvalidInput(
                    f"{name} needs a time zone (e.g. 2026-01-05T09:00:00Z)",
                    details={"field": name},
                )
        if expected_end_at is not None and not (
            starts_at < expected_end_at <= starts_at + MAX_EXPECTED
        ):
            raise InvalidInput(
                "expectedEndAt must come after startsAt, and within a year of it",
                details={"field": "expectedEndAt"},
            )
        now = self.now()
        earliest = now + MIN_NOTICE
        if starts_at < earliest:
            raise InvalidInput(
                f"maintenance must start at least 10 minutes ahead: at {earliest.isoformat()}"
                " or later",
                details={"field": "startsAt", "earliest": earliest.isoformat()},
            )
        latest = now + MAX_AHEAD
        if starts_at > latest:
            raise InvalidInput(
                f"maintenance must start by {latest.isoformat()}: its countdown must fit",
                details={"field": "startsAt", "latest": latest.isoformat()},
            )
        return await self.store.schedule_maintenance(
            window_id=ids.new_id("MaintenanceWindow"),
            environment_id=environment_id,
            starts_at=starts_at,
            created_by=caller.id,
            at=now,
            expected_end_at=expected_end_at,
        )

    async def end(self, caller: Principal, environment_id: str) -> MaintenanceWindow:
        await reach(self.store, caller, [("Environment", environment_id)])
        self._require_maintainer(caller, environment_id)
        return await self.store.end_maintenance(environment_id=environment_id, at=self.now())

    async def status(self, caller: Principal, *, fresh: bool = False) -> MaintenanceStatus:
        """The caller's view of their environment's open window.

        ``fresh``: ``caller`` was read from the graph in this request (as the API reads
        it), so a session's window, read with it, is current: no second round trip.
        """
        user_id = caller.user.id if caller.user is not None else None
        if caller.environment_id is None:
            return MaintenanceStatus(MaintenanceState.NONE)
        if fresh and caller.session_id is not None:
            window, warned = caller.maintenance, caller.warned
        else:
            found = await self.store.get_maintenance(
                environment_id=caller.environment_id, user_id=user_id
            )
            window, warned = found if found is not None else (None, False)
        if window is None:
            return MaintenanceStatus(MaintenanceState.NONE)
        now = self.now()
        if window.active_at(now):
            # Only the exempt get this far: the gate refused everyone else.
            return MaintenanceStatus(MaintenanceState.ACTIVE, window, banner=banner(window))
        remaining = window.starts_at - now
        return MaintenanceStatus(
            MaintenanceState.SCHEDULED,
            window,
            seconds_remaining=int(remaining.total_seconds()),
            show_warning=user_id is not None and not warned and remaining <= WARNING_PERIOD,
        )

    async def acknowledge_warning(self, caller: Principal) -> bool:
        """Record that the caller saw the warning; True only the first time it counts."""
        user = require_user(caller)
        status = await self.status(caller)
        if not status.show_warning or status.window is None:
            return False
        return await self.store.acknowledge_maintenance_warning(
            user_id=user.id, window_id=status.window.id, at=self.now()
        )

    async def submit_application(
        self,
        caller: Principal | None,
        environment_id: str,
        name: str,
        email: str,
        client: str | None = None,
    ) -> Application:
        """A job application; public (no caller, counted per ``client``:
        :mod:`graph_engine.services.attempts`), or pushed by a key bound to the environment."""
        if caller is not None:
            await reach(self.store, caller, [("Environment", environment_id)])
        else:
            await attempts.spend(
                self.store, attempts.counters("application", client=client), self.now()
            )
        return await self.store.submit_application(
            application_id=ids.new_id("Application"),
            environment_id=environment_id,
            name=validate.text(name, "name"),
            email=validate.email(email),
            at=self.now(),
        )

    @staticmethod
    def _require_maintainer(caller: Principal, environment_id: str) -> None:
        if not may_maintain(caller, environment_id):
            raise Forbidden(
                f"only an ADMIN or CONSULTANT of environment {environment_id}"
                " (or an operator) schedules or ends maintenance",
                details={"environment": environment_id},
            )
