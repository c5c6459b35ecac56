"""The alerts capability's store protocol: saved filters and their alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    Alert,
    Page,
    PageRequest,
    SavedFilter,
)


class AlertStore(Protocol):
    """Saved filters over dossiers and the alerts their new matches raise (HelloFlex)."""

    async def save_filter(
        self,
        *,
        filter_id: str,
        user_id: str,
        name: str,
        kind: str | None,
        name_contains: str | None,
        at: datetime,
    ) -> SavedFilter:
        """Save a user's filter over their environment's dossiers; matches from ``at`` on."""

    async def list_filters(self, *, user_id: str, page: PageRequest) -> Page[SavedFilter]:
        """A user's saved filters, by id."""

    async def delete_filter(self, *, filter_id: str, user_id: str) -> SavedFilter:
        """Delete a filter of the user's (NOT_FOUND for anyone else's, as for none)."""

    async def run_alerts(self, *, environment_id: str | None, at: datetime) -> list[Alert]:
        """Claim every saved filter's new matches (all environments, or one), each once ever.

        A match is claimed by ``(SavedFilter)-[:ALERTED]->(Dossier)``; two runs at once
        claim disjoint sets. Filters of inactive or blocked users are left for later.
        Only filters with new matches are returned, by filter id, matches by dossier id.
        """
