"""Saved filters over dossiers and the alerts their new matches raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph_engine.model.offboarding import Dossier
from graph_engine.model.provisioning import User


@dataclass(frozen=True, slots=True)
class SavedFilter:
    """A user's saved search over their environment's dossiers, mailed as alerts.

    A dossier matches when it was created at or after the filter was saved, is of
    ``kind`` (any kind when None), and its name contains ``name_contains`` (any name
    when None, case-insensitive).
    """

    id: str
    owner_id: str
    environment_id: str
    name: str
    kind: str | None
    name_contains: str | None
    created_at: datetime
    last_alert_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """The matches of one filter claimed by an alert run: each is claimed once, ever."""

    filter: SavedFilter
    owner: User
    matches: tuple[Dossier, ...]
