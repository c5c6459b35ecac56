"""Environments, users, organisations and access in Neo4j."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from graph_engine.model import (
    Access,
    Billing,
    Environment,
    Organisation,
    Page,
    PageRequest,
    Role,
    User,
    UserFilter,
)
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase


class ProvisioningOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "create_environment",
        "create_user",
        "create_organisation",
        "grant_access",
        "revoke_access",
        "set_user_role",
        "get_environment",
        "get_user",
        "get_organisation",
        "get_users",
        "get_organisations",
        "get_environments",
        "list_access_of",
        "list_users",
        "list_organisations",
        "list_access",
    )

    async def create_environment(
        self,
        *,
        environment_id: str,
        name: str,
        email_domain: str,
        billing: Billing,
        seat_limit: int | None,
        at: datetime,
    ) -> Environment:
        row = await self._one(
            "create_environment",
            write=True,
            environmentId=environment_id,
            name=name,
            emailDomain=email_domain.lower(),
            billing=str(billing),
            seatLimit=seat_limit,
            at=at,
        )
        return records.environment(row["environment"])

    async def create_user(
        self,
        *,
        user_id: str,
        environment_id: str,
        email: str,
        username: str,
        name: str,
        role: Role,
        password_hash: str | None,
        at: datetime,
    ) -> User:
        row = await self._one(
            "create_user",
            write=True,
            userId=user_id,
            environmentId=environment_id,
            email=email.lower(),
            username=username,
            name=name,
            role=str(role),
            passwordHash=password_hash,
            at=at,
        )
        return convert.user(row["user"])

    async def create_organisation(
        self, *, organisation_id: str, environment_id: str, name: str, at: datetime
    ) -> Organisation:
        row = await self._one(
            "create_organisation",
            write=True,
            organisationId=organisation_id,
            environmentId=environment_id,
            name=name,
            at=at,
        )
        return convert.organisation(row["organisation"])

    async def grant_access(self, *, user_id: str, organisation_id: str, role: Role) -> Access:
        await self._one(
            "grant_access",
            write=True,
            userId=user_id,
            organisationId=organisation_id,
            role=str(role),
        )
        return records.access(user_id, organisation_id, role)

    async def revoke_access(self, *, user_id: str, organisation_id: str) -> bool:
        row = await self._one(
            "revoke_access", write=True, userId=user_id, organisationId=organisation_id
        )
        return bool(row["revoked"])

    async def set_user_role(self, *, user_id: str, role: Role) -> User:
        row = await self._one("set_user_role", write=True, userId=user_id, role=str(role))
        return convert.user(row["user"])

    async def get_environment(self, *, environment_id: str) -> Environment | None:
        rows = await self._run("get_environment", environmentId=environment_id)
        return records.environment(rows[0]["environment"]) if rows else None

    async def get_user(self, *, user_id: str) -> User | None:
        rows = await self._run("get_user", userId=user_id)
        return convert.user(rows[0]["user"]) if rows else None

    async def get_organisation(self, *, organisation_id: str) -> Organisation | None:
        rows = await self._run("get_organisation", organisationId=organisation_id)
        return convert.organisation(rows[0]["organisation"]) if rows else None

    async def get_users(self, *, ids: Sequence[str]) -> list[User]:
        rows = await self._run("get_users", ids=list(dict.fromkeys(ids)))
        return [convert.user(r["user"]) for r in rows]

    async def get_organisations(self, *, ids: Sequence[str]) -> list[Organisation]:
        rows = await self._run("get_organisations", ids=list(dict.fromkeys(ids)))
        return [convert.organisation(r["organisation"]) for r in rows]

    async def get_environments(self, *, ids: Sequence[str]) -> list[Environment]:
        rows = await self._run("get_environments", ids=list(dict.fromkeys(ids)))
        return [records.environment(r["environment"]) for r in rows]

    async def list_access_of(self, *, user_ids: Sequence[str]) -> dict[str, list[Access]]:
        rows = await self._run("list_access_of", ids=list(dict.fromkeys(user_ids)))
        return {
            r["user"]: [records.access(r["user"], i["organisation"], i["role"]) for i in r["items"]]
            for r in rows
        }

    async def list_users(
        self,
        *,
        environment_id: str,
        search: str | None,
        page: PageRequest,
        where: UserFilter | None = None,
    ) -> Page[User]:
        where = where or UserFilter()
        row = await self._one(
            "list_users",
            environmentId=environment_id,
            search=search.lower() if search else None,
            active=where.active,
            role=None if where.role is None else str(where.role),
            name=where.name.lower() if where.name else None,
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], convert.user, lambda u: u.id, page, total=row["total"])

    async def list_organisations(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[Organisation]:
        row = await self._one(
            "list_organisations", environmentId=environment_id, **convert.page_params(page)
        )
        return convert.to_page(
            row["items"], convert.organisation, lambda o: o.id, page, total=row["total"]
        )

    async def list_access(self, *, user_id: str) -> list[Access]:
        row = await self._one("list_access", userId=user_id)
        return [records.access(user_id, i["organisation"], i["role"]) for i in row["items"]]
