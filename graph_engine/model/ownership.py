"""Ownership rights, licences and process messages (DESIGN §3.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class LicenceStatus(StrEnum):
    """ASSIGNED to an employee, RELEASED (free to reassign or cancel), or CANCELLED."""

    ASSIGNED = "ASSIGNED"
    RELEASED = "RELEASED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Ownership:
    """Who holds the ownership rights of an employee in one work company (DESIGN §3.2).

    ``explicit`` is False for the default: nobody else holds them, so the employee
    holds their own (no ``HOLDS_RIGHTS_OF`` edge is stored for that).
    """

    employee_id: str
    work_company_id: str
    holder_id: str
    explicit: bool


@dataclass(frozen=True, slots=True)
class Transfer:
    """The outcome of ``transferOwnership``: the rights that changed hands."""

    moved: tuple[Ownership, ...]
    invalidated_sessions: int


@dataclass(frozen=True, slots=True)
class Licence:
    """A user or access licence; valid in one work company, assigned to at most one user."""

    id: str
    number: str
    work_company_id: str
    assigned_to: str | None
    password_set: bool
    status: LicenceStatus
    started_at: datetime
    cancel_at: datetime | None


@dataclass(frozen=True, slots=True)
class Cancellation:
    """The answer to a cancellation request: its effective date, or why none is needed."""

    needed: bool
    effective_at: datetime | None
    licence: Licence | None
    message: str


@dataclass(frozen=True, slots=True)
class ProcessMessage:
    """A message of the nightly run about an employee in a work company."""

    id: str
    process: str
    employee_id: str
    work_company_id: str
    created_at: datetime
    delivered_at: datetime | None
    delivered_to: str | None
