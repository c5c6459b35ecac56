"""Maintenance windows, their one-time warnings and public job applications in Neo4j."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Application, MaintenanceWindow
from graph_engine.store import records
from graph_engine.store.neo4j.base import Neo4jBase


class MaintenanceOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "schedule_maintenance",
        "end_maintenance",
        "get_maintenance",
        "acknowledge_maintenance_warning",
        "submit_application",
    )

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
        await self._one(
            "schedule_maintenance",
            write=True,
            windowId=window_id,
            environmentId=environment_id,
            startsAt=starts_at,
            expectedEndAt=expected_end_at,
            createdBy=created_by,
            at=at,
        )
        return MaintenanceWindow(
            id=window_id,
            environment_id=environment_id,
            starts_at=starts_at,
            ended_at=None,
            created_by=created_by,
            created_at=at,
            expected_end_at=expected_end_at,
        )

    async def end_maintenance(self, *, environment_id: str, at: datetime) -> MaintenanceWindow:
        row = await self._one("end_maintenance", write=True, environmentId=environment_id, at=at)
        return records.maintenance_window(row["window"], environment_id)

    async def get_maintenance(
        self, *, environment_id: str, user_id: str | None
    ) -> tuple[MaintenanceWindow, bool] | None:
        rows = await self._run("get_maintenance", environmentId=environment_id, userId=user_id)
        if not rows:
            return None
        return records.maintenance_window(rows[0]["window"], environment_id), rows[0]["warned"]

    async def acknowledge_maintenance_warning(
        self, *, user_id: str, window_id: str, at: datetime
    ) -> bool:
        rows = await self._write(
            "acknowledge_maintenance_warning", userId=user_id, windowId=window_id, at=at
        )
        return bool(rows and rows[0]["created"])

    async def submit_application(
        self, *, application_id: str, environment_id: str, name: str, email: str, at: datetime
    ) -> Application:
        await self._one(
            "submit_application",
            write=True,
            applicationId=application_id,
            environmentId=environment_id,
            name=name,
            email=email,
            at=at,
        )
        return Application(
            id=application_id, environment_id=environment_id, name=name, email=email, created_at=at
        )
