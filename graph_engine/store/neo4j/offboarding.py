"""Offboarding in Neo4j (DESIGN §3.3): status, seats and dossiers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from graph_engine.model import Dossier, DossierFilter, Page, PageRequest, SeatUsage, User
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase


class OffboardingOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "set_user_status",
        "rename_user",
        "set_mail_enabled",
        "set_reports_to",
        "get_reports_to",
        "seat_usage",
        "create_dossier",
        "list_dossiers",
        "reassign_dossiers",
    )

    async def set_user_status(
        self,
        *,
        user_id: str,
        active: bool | None,
        login_blocked: bool | None,
        reason: str,
        at: datetime,
    ) -> User:
        row = await self._one(
            "set_user_status",
            write=True,
            userId=user_id,
            active=active,
            loginBlocked=login_blocked,
            reason=reason,
            at=at,
        )
        return convert.user(row["user"])

    async def rename_user(self, *, user_id: str, username: str) -> User:
        row = await self._one("rename_user", write=True, userId=user_id, username=username)
        return convert.user(row["user"])

    async def set_mail_enabled(self, *, user_id: str, enabled: bool) -> User:
        row = await self._one("set_mail_enabled", write=True, userId=user_id, enabled=enabled)
        return convert.user(row["user"])

    async def set_reports_to(self, *, user_id: str, manager_id: str | None) -> User:
        row = await self._one("set_reports_to", write=True, userId=user_id, managerId=manager_id)
        return convert.user(row["user"])

    async def get_reports_to(self, *, user_id: str) -> str | None:
        rows = await self._run("get_reports_to", userId=user_id)
        return str(rows[0]["managerId"]) if rows else None

    async def seat_usage(self, *, environment_id: str) -> SeatUsage:
        row = await self._one("seat_usage", environmentId=environment_id)
        return SeatUsage(limit=row["limit"], active=row["active"], inactive=row["inactive"])

    async def create_dossier(
        self, *, dossier_id: str, name: str, kind: str, responsible_id: str, at: datetime
    ) -> Dossier:
        row = await self._one(
            "create_dossier",
            write=True,
            dossierId=dossier_id,
            name=name,
            kind=kind,
            responsibleId=responsible_id,
            at=at,
        )
        return _dossier(row["dossier"])

    async def list_dossiers(
        self, *, environment_id: str, where: DossierFilter, page: PageRequest
    ) -> Page[Dossier]:
        row = await self._one(
            "list_dossiers",
            environmentId=environment_id,
            responsibleId=where.responsible_id,
            nameContains=where.responsible_name_contains,
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], _dossier, lambda d: d.id, page)

    async def reassign_dossiers(
        self,
        *,
        environment_id: str,
        where: DossierFilter,
        dossier_ids: Sequence[str] | None,
        to_user_id: str,
        at: datetime,
    ) -> int:
        row = await self._one(
            "reassign_dossiers",
            write=True,
            environmentId=environment_id,
            responsibleId=where.responsible_id,
            nameContains=where.responsible_name_contains,
            dossierIds=list(dossier_ids) if dossier_ids is not None else None,
            toUserId=to_user_id,
            at=at,
        )
        return int(row["moved"])


def _dossier(m: convert.Row) -> Dossier:
    return records.dossier(m, m["environment"], m["responsible"])
