"""The provisioning capability's store protocol: environments, users, organisations
and access."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

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


class ProvisioningReader(Protocol):
    """Environments, users, organisations and access, read (every capability looks up
    users; few create them)."""

    async def get_environment(self, *, environment_id: str) -> Environment | None: ...

    async def get_user(self, *, user_id: str) -> User | None: ...

    async def get_organisation(self, *, organisation_id: str) -> Organisation | None: ...

    async def get_users(self, *, ids: Sequence[str]) -> list[User]:
        """The users among ``ids``, in any order (unknown ids are left out)."""

    async def get_organisations(self, *, ids: Sequence[str]) -> list[Organisation]:
        """The organisations among ``ids``, in any order (unknown ids are left out)."""

    async def get_environments(self, *, ids: Sequence[str]) -> list[Environment]:
        """The environments among ``ids``, in any order (unknown ids are left out)."""

    async def list_users(
        self,
        *,
        environment_id: str,
        search: str | None,
        page: PageRequest,
        where: UserFilter | None = None,
    ) -> Page[User]:
        """An environment's users by id, searched and filtered (``where``); the page's
        ``total_count`` is how many match."""

    async def list_organisations(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[Organisation]:
        """An environment's organisations by id, with their number as ``total_count``."""

    async def list_access(self, *, user_id: str) -> list[Access]: ...

    async def list_access_of(self, *, user_ids: Sequence[str]) -> dict[str, list[Access]]:
        """The access of each of ``user_ids`` (unknown ids are left out)."""


class ProvisioningStore(ProvisioningReader, Protocol):
    """Create environments, users and organisations; grant access and roles."""

    async def create_environment(
        self,
        *,
        environment_id: str,
        name: str,
        email_domain: str,
        billing: Billing,
        seat_limit: int | None,
        at: datetime,
    ) -> Environment: ...

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
        """Add a user; the first user of an environment becomes its ADMIN."""

    async def create_organisation(
        self, *, organisation_id: str, environment_id: str, name: str, at: datetime
    ) -> Organisation: ...

    async def grant_access(self, *, user_id: str, organisation_id: str, role: Role) -> Access:
        """Give a user of the organisation's own environment access (or change its role)."""

    async def revoke_access(self, *, user_id: str, organisation_id: str) -> bool: ...

    async def set_user_role(self, *, user_id: str, role: Role) -> User: ...
