"""Maintenance windows, their one-time warnings and public job applications in memory."""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import Application, MaintenanceWindow
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph


class MaintenanceOps(MemoryGraph):
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
        with self._lock:
            self.node(environment_id, "Environment")
            open_id = self.open_window(environment_id)
            if open_id is not None:
                raise problem("maintenance_open", environment=environment_id, window=open_id)
            self.add_node(
                "MaintenanceWindow",
                window_id,
                startsAt=starts_at,
                createdBy=created_by,
                createdAt=at,
                # Absent rather than None, as Neo4j keeps no null property.
                **({} if expected_end_at is None else {"expectedEndAt": expected_end_at}),
            )
            self.add_edge(window_id, environment_id, "FOR")
            return records.maintenance_window(self.graph.nodes[window_id], environment_id)

    async def end_maintenance(self, *, environment_id: str, at: datetime) -> MaintenanceWindow:
        with self._lock:
            self.node(environment_id, "Environment")
            window_id = self.open_window(environment_id)
            if window_id is None:
                raise problem("no_open_maintenance", environment=environment_id)
            attrs = self.graph.nodes[window_id]
            attrs["endedAt"] = at
            return records.maintenance_window(attrs, environment_id)

    async def get_maintenance(
        self, *, environment_id: str, user_id: str | None
    ) -> tuple[MaintenanceWindow, bool] | None:
        with self._lock:
            window = self.open_window_record(environment_id)
            if window is None:
                return None
            warned = user_id is not None and self.graph.has_edge(
                user_id, window.id, key="WARNED_OF"
            )
            return window, warned

    async def acknowledge_maintenance_warning(
        self, *, user_id: str, window_id: str, at: datetime
    ) -> bool:
        with self._lock:
            if not (self.has(user_id, "User") and self.has(window_id, "MaintenanceWindow")):
                return False
            if self.graph.has_edge(user_id, window_id, key="WARNED_OF"):
                return False
            self.add_edge(user_id, window_id, "WARNED_OF", at=at)
            return True

    async def submit_application(
        self, *, application_id: str, environment_id: str, name: str, email: str, at: datetime
    ) -> Application:
        with self._lock:
            self.node(environment_id, "Environment")
            self.add_node("Application", application_id, name=name, email=email, createdAt=at)
            self.add_edge(application_id, environment_id, "TO")
            return Application(
                id=application_id,
                environment_id=environment_id,
                name=name,
                email=email,
                created_at=at,
            )
