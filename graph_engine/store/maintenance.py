"""The maintenance capability's store protocol: maintenance windows."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    Application,
    MaintenanceWindow,
)


class MaintenanceStore(Protocol):
    """Maintenance windows (DESIGN §3.5) and the job applications that stay open during one."""

    async def schedule_maintenance(
        self,
        *,
        window_id: str,
        environment_id: str,
        starts_at: datetime,
        created_by: str,
        at: datetime,
        expected_end_at: datetime | None = None,
    ) -> MaintenanceWindow:
        """Open a window; refused while the environment has another open window."""

    async def end_maintenance(self, *, environment_id: str, at: datetime) -> MaintenanceWindow:
        """End (or cancel, if not yet started) the environment's open window."""

    async def get_maintenance(
        self, *, environment_id: str, user_id: str | None
    ) -> tuple[MaintenanceWindow, bool] | None:
        """The open window, and whether ``user_id`` acknowledged its warning."""

    async def acknowledge_maintenance_warning(
        self, *, user_id: str, window_id: str, at: datetime
    ) -> bool:
        """Record ``(User)-[:WARNED_OF]->(MaintenanceWindow)``; False when already there."""

    async def submit_application(
        self, *, application_id: str, environment_id: str, name: str, email: str, at: datetime
    ) -> Application:
        """Store a job application ``(Application)-[:TO]->(Environment)``."""
