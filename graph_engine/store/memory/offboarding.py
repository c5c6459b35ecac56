"""Offboarding in memory (DESIGN §3.3): the twin of the Neo4j statements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import Dossier, DossierFilter, Page, PageRequest, SeatUsage, User
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class OffboardingOps(MemoryGraph):
    async def set_user_status(
        self,
        *,
        user_id: str,
        active: bool | None,
        login_blocked: bool | None,
        reason: str,
        at: datetime,
    ) -> User:
        with self._lock:
            attrs = self.node(user_id, "User")
            env, _ = self.membership(user_id)
            was_active = self.is_active(user_id)
            if active and not was_active:
                self.check_seat(env, excluding=user_id)
            attrs["active"] = was_active if active is None else active
            attrs["loginBlocked"] = (
                bool(attrs.get("loginBlocked", False)) if login_blocked is None else login_blocked
            )
            if not attrs["active"] or attrs["loginBlocked"]:
                for session_id in self.sources(user_id, "OF"):
                    session = self.graph.nodes[session_id]
                    if session["label"] == "Session" and session.get("invalidatedAt") is None:
                        session["invalidatedAt"] = at
                        session["reason"] = reason
            return self.user_record(user_id)

    async def rename_user(self, *, user_id: str, username: str) -> User:
        with self._lock:
            attrs = self.node(user_id, "User")
            env, _ = self.membership(user_id)
            for other in self.members(env):
                if other != user_id and self.graph.nodes[other].get("username") == username:
                    raise problem("duplicate_username", username=username, environment=env)
            attrs["username"] = username
            return self.user_record(user_id)

    async def set_mail_enabled(self, *, user_id: str, enabled: bool) -> User:
        with self._lock:
            self.node(user_id, "User")["mailEnabled"] = enabled
            return self.user_record(user_id)

    async def set_reports_to(self, *, user_id: str, manager_id: str | None) -> User:
        with self._lock:
            self.node(user_id, "User")
            env, _ = self.membership(user_id)
            if manager_id is not None:
                self.node(manager_id, "User")
                if manager_id == user_id:
                    raise problem("reports_to_self", user=user_id)
                if self.membership(manager_id)[0] != env:
                    raise problem("wrong_environment", label="User", id=manager_id, environment=env)
                if not self.is_usable(manager_id):
                    raise problem("user_inactive", user=manager_id)
            for old in self.targets(user_id, "REPORTS_TO"):
                self.graph.remove_edge(user_id, old, key="REPORTS_TO")
            if manager_id is not None:
                self.add_edge(user_id, manager_id, "REPORTS_TO")
            return self.user_record(user_id)

    async def get_reports_to(self, *, user_id: str) -> str | None:
        with self._lock:
            found = self.targets(user_id, "REPORTS_TO") if user_id in self.graph else []
            return found[0] if found else None

    async def seat_usage(self, *, environment_id: str) -> SeatUsage:
        with self._lock:
            attrs = self.node(environment_id, "Environment")
            members = self.members(environment_id)
            active = sum(1 for u in members if self.is_active(u))
            return SeatUsage(
                limit=attrs.get("seatLimit"), active=active, inactive=len(members) - active
            )

    def _dossier_record(self, dossier_id: str) -> Dossier:
        attrs = self.graph.nodes[dossier_id]
        responsible = self.targets(dossier_id, "RESPONSIBLE")[0]
        env, _ = self.membership(responsible)
        return records.dossier(attrs, env, responsible)

    async def create_dossier(
        self, *, dossier_id: str, name: str, kind: str, responsible_id: str, at: datetime
    ) -> Dossier:
        with self._lock:
            self.node(responsible_id, "User")
            if not self.is_usable(responsible_id):
                raise problem("user_inactive", user=responsible_id)
            self.add_node("Dossier", dossier_id, name=name, kind=kind, createdAt=at)
            self.add_edge(dossier_id, responsible_id, "RESPONSIBLE", since=at)
            return self._dossier_record(dossier_id)

    def _matching(self, environment_id: str, where: DossierFilter) -> list[tuple[str, str]]:
        """(dossier, responsible user) pairs of the environment that match, by dossier id."""
        needle = where.responsible_name_contains
        found: list[tuple[str, str]] = []
        for user_id in self.members(environment_id):
            if where.responsible_id is not None and user_id != where.responsible_id:
                continue
            name = str(self.graph.nodes[user_id].get("name", ""))
            if needle is not None and needle.lower() not in name.lower():
                continue
            found.extend(
                (d, user_id)
                for d in self.sources(user_id, "RESPONSIBLE")
                if self.graph.nodes[d]["label"] == "Dossier"
            )
        return sorted(found)

    async def list_dossiers(
        self, *, environment_id: str, where: DossierFilter, page: PageRequest
    ) -> Page[Dossier]:
        with self._lock:
            self.node(environment_id, "Environment")
            items = [self._dossier_record(d) for d, _ in self._matching(environment_id, where)]
            return paginate(items, lambda d: d.id, page)

    async def reassign_dossiers(
        self,
        *,
        environment_id: str,
        where: DossierFilter,
        dossier_ids: Sequence[str] | None,
        to_user_id: str,
        at: datetime,
    ) -> int:
        with self._lock:
            self.node(to_user_id, "User")
            if self.membership(to_user_id)[0] != environment_id:
                raise problem(
                    "wrong_environment", label="User", id=to_user_id, environment=environment_id
                )
            if not self.is_usable(to_user_id):
                raise problem("user_inactive", user=to_user_id)
            chosen = set(dossier_ids) if dossier_ids is not None else None
            moved = 0
            for dossier_id, responsible in self._matching(environment_id, where):
                if responsible == to_user_id or (chosen is not None and dossier_id not in chosen):
                    continue
                self.graph.remove_edge(dossier_id, responsible, key="RESPONSIBLE")
                self.add_edge(dossier_id, to_user_id, "RESPONSIBLE", since=at)
                moved += 1
            return moved
