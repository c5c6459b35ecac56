"""Maintenance windows (DESIGN §3.5) and the job applications taken during one."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from graph_engine.model.provisioning import Role

# Roles that schedule and end maintenance windows and keep working during one (DESIGN §3.5).
MAINTENANCE_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT})


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """Down time of an environment (DESIGN §3.5); open until ended by hand.

    ``expected_end_at`` is the scheduler's estimate of the end (the article's "een paar
    uur"), told to whoever is locked out; the window does not end by itself there.
    """

    id: str
    environment_id: str
    starts_at: datetime
    ended_at: datetime | None
    created_by: str
    created_at: datetime
    expected_end_at: datetime | None = None

    def active_at(self, when: datetime) -> bool:
        """Started and not yet ended at ``when``."""
        return self.ended_at is None and self.starts_at <= when

    def retry_after(self, when: datetime) -> int | None:
        """Whole seconds from ``when`` to the expected end; None when no end is known
        (none was given, or the estimate has passed and the window is still open)."""
        if self.expected_end_at is None or self.expected_end_at <= when:
            return None
        return max(1, math.ceil((self.expected_end_at - when).total_seconds()))


@dataclass(frozen=True, slots=True)
class Application:
    """A job application sent through a public form (no login)."""

    id: str
    environment_id: str
    name: str
    email: str
    created_at: datetime
