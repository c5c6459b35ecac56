"""Dossiers, their filters and seat usage: what offboarding moves and counts (DESIGN §3.3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DossierKind(StrEnum):
    """What a Carerix dossier is about."""

    CANDIDATE = "CANDIDATE"
    CONTACT = "CONTACT"
    COMPANY = "COMPANY"
    VACANCY = "VACANCY"
    JOB = "JOB"


@dataclass(frozen=True, slots=True)
class Dossier:
    """A Carerix dossier (candidate, contact ...) with its one responsible user."""

    id: str
    environment_id: str
    name: str
    kind: str
    responsible_id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DossierFilter:
    """Which dossiers: responsible user equal to an id, or whose name contains a text."""

    responsible_id: str | None = None
    responsible_name_contains: str | None = None


@dataclass(frozen=True, slots=True)
class SeatUsage:
    limit: int | None
    active: int
    inactive: int
