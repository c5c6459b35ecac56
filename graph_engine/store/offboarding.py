"""The offboarding capability's store protocol: users who leave."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    Dossier,
    DossierFilter,
    Page,
    PageRequest,
    SeatUsage,
    User,
)


class OffboardingStore(Protocol):
    """Leaving users: status, mailbox, reporting line, seats and dossiers (DESIGN §3.3)."""

    async def set_user_status(
        self,
        *,
        user_id: str,
        active: bool | None,
        login_blocked: bool | None,
        reason: str,
        at: datetime,
    ) -> User:
        """Change ``active``/``loginBlocked`` (None: unchanged).

        Becoming active counts a seat (refused past ``seatLimit``, the environment
        locked); becoming inactive or blocked invalidates every open session with
        ``reason``.
        """

    async def rename_user(self, *, user_id: str, username: str) -> User:
        """A new mailbox name; unique within the environment."""

    async def set_mail_enabled(self, *, user_id: str, enabled: bool) -> User: ...

    async def set_reports_to(self, *, user_id: str, manager_id: str | None) -> User:
        """At most one REPORTS_TO; the manager is an active user of the same environment."""

    async def get_reports_to(self, *, user_id: str) -> str | None: ...

    async def seat_usage(self, *, environment_id: str) -> SeatUsage: ...

    async def create_dossier(
        self, *, dossier_id: str, name: str, kind: str, responsible_id: str, at: datetime
    ) -> Dossier:
        """A dossier of the responsible user's environment; the user must be active."""

    async def list_dossiers(
        self,
        *,
        environment_id: str,
        where: DossierFilter,
        page: PageRequest,
    ) -> Page[Dossier]: ...

    async def reassign_dossiers(
        self,
        *,
        environment_id: str,
        where: DossierFilter,
        dossier_ids: Sequence[str] | None,
        to_user_id: str,
        at: datetime,
    ) -> int:
        """Make ``to_user_id`` responsible for the matching dossiers (all, or the chosen
        ones among them), in one transaction; returns how many changed hands."""
