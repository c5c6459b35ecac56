"""Environments, users, organisations and access in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import (
    ADVANCED_ROLES,
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
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class ProvisioningOps(MemoryGraph):
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
        with self._lock:
            self._check_domain_free(email_domain)
            self.add_node(
                "Environment",
                environment_id,
                name=name,
                emailDomain=email_domain.lower(),
                billing=str(billing),
                seatLimit=seat_limit,
                createdAt=at,
            )
            return self.environment_record(environment_id)

    def _check_domain_free(self, email_domain: str) -> None:
        existing = self._by_domain.get(email_domain.lower())
        if existing is not None:
            raise problem(
                "duplicate_domain", emailDomain=email_domain.lower(), environment=existing
            )

    def _add_user(
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
        """Shared by create_user and sign_up; preconditions already checked."""
        first = not self.members(environment_id)
        self.add_node(
            "User",
            user_id,
            email=email.lower(),
            username=username,
            name=name,
            active=True,
            loginBlocked=False,
            mailEnabled=True,
            relationshipManager=False,
            passwordHash=password_hash,
            createdAt=at,
        )
        self.add_edge(user_id, environment_id, "MEMBER_OF", role=str(Role.ADMIN if first else role))
        return self.user_record(user_id)

    def _check_email_free(self, email: str) -> None:
        if email.lower() in self._by_email:
            raise problem("duplicate_email", email=email.lower())

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
        with self._lock:
            self.node(environment_id, "Environment")
            self._check_email_free(email)
            self.check_seat(environment_id)
            return self._add_user(
                user_id=user_id,
                environment_id=environment_id,
                email=email,
                username=username,
                name=name,
                role=role,
                password_hash=password_hash,
                at=at,
            )

    async def create_organisation(
        self, *, organisation_id: str, environment_id: str, name: str, at: datetime
    ) -> Organisation:
        with self._lock:
            self.node(environment_id, "Environment")
            self.add_node(
                "Organisation", organisation_id, name=name, activatedSoftware=[], createdAt=at
            )
            self.add_edge(organisation_id, environment_id, "BELONGS_TO")
            return self.organisation_record(organisation_id)

    async def grant_access(self, *, user_id: str, organisation_id: str, role: Role) -> Access:
        with self._lock:
            self.node(user_id, "User")
            self.node(organisation_id, "Organisation")
            env, _ = self.membership(user_id)
            if self.env_of_org(organisation_id) != env:
                raise problem(
                    "access_across_environments", user=user_id, organisation=organisation_id
                )
            self.require_usable(user_id)
            # A second grant changes the role (adding an edge again updates it).
            self.add_edge(user_id, organisation_id, "HAS_ACCESS", role=str(role))
            return records.access(user_id, organisation_id, role)

    async def revoke_access(self, *, user_id: str, organisation_id: str) -> bool:
        with self._lock:
            self.node(user_id, "User")
            self.node(organisation_id, "Organisation")
            if self.edge(user_id, organisation_id, "HAS_ACCESS") is None:
                return False
            self.graph.remove_edge(user_id, organisation_id, key="HAS_ACCESS")
            return True

    async def set_user_role(self, *, user_id: str, role: Role) -> User:
        with self._lock:
            attrs = self.node(user_id, "User")
            env, current = self.membership(user_id)
            if attrs.get("relationshipManager") and role not in ADVANCED_ROLES:
                raise problem("relationship_manager_role", user=user_id)
            if current is Role.ADMIN and role is not Role.ADMIN:
                admins = [u for u in self.members(env) if self.membership(u)[1] is Role.ADMIN]
                if admins == [user_id]:
                    raise problem("last_admin", user=user_id, environment=env)
            self.add_edge(user_id, env, "MEMBER_OF", role=str(role))
            return self.user_record(user_id)

    async def get_environment(self, *, environment_id: str) -> Environment | None:
        with self._lock:
            if not self.has(environment_id, "Environment"):
                return None
            return self.environment_record(environment_id)

    async def get_user(self, *, user_id: str) -> User | None:
        with self._lock:
            return self.user_record(user_id) if self.has(user_id, "User") else None

    async def get_organisation(self, *, organisation_id: str) -> Organisation | None:
        with self._lock:
            if not self.has(organisation_id, "Organisation"):
                return None
            return self.organisation_record(organisation_id)

    async def get_users(self, *, ids: Sequence[str]) -> list[User]:
        with self._lock:
            return [self.user_record(i) for i in dict.fromkeys(ids) if self.has(i, "User")]

    async def get_organisations(self, *, ids: Sequence[str]) -> list[Organisation]:
        with self._lock:
            return [
                self.organisation_record(i)
                for i in dict.fromkeys(ids)
                if self.has(i, "Organisation")
            ]

    async def get_environments(self, *, ids: Sequence[str]) -> list[Environment]:
        with self._lock:
            return [
                self.environment_record(i) for i in dict.fromkeys(ids) if self.has(i, "Environment")
            ]

    async def list_access_of(self, *, user_ids: Sequence[str]) -> dict[str, list[Access]]:
        with self._lock:
            return {u: self._access_list(u) for u in dict.fromkeys(user_ids) if self.has(u, "User")}

    def _access_list(self, user_id: str) -> list[Access]:
        return sorted(
            (
                records.access(user_id, org, data["role"])
                for org, data in self.out_edges(user_id, "HAS_ACCESS")
            ),
            key=lambda a: a.organisation_id,
        )

    async def list_users(
        self,
        *,
        environment_id: str,
        search: str | None,
        page: PageRequest,
        where: UserFilter | None = None,
    ) -> Page[User]:
        with self._lock:
            self.node(environment_id, "Environment")
            users = [self.user_record(u) for u in sorted(self.members(environment_id))]
            if search:
                users = [u for u in users if matches(u, search)]
            if where is not None:
                users = [u for u in users if where.admits(u)]
            return paginate(users, lambda u: u.id, page, counted=True)

    async def list_organisations(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[Organisation]:
        with self._lock:
            self.node(environment_id, "Environment")
            orgs = sorted(self.sources(environment_id, "BELONGS_TO"))
            return paginate(
                [self.organisation_record(o) for o in orgs], lambda o: o.id, page, counted=True
            )

    async def list_access(self, *, user_id: str) -> list[Access]:
        with self._lock:
            self.node(user_id, "User")
            return self._access_list(user_id)


def matches(user: User, search: str) -> bool:
    """Case-insensitive substring match on name or email (the search screen's rule)."""
    needle = search.lower()
    return needle in user.name.lower() or needle in user.email.lower()
