"""Environments, users, organisations and access: set up by operators and ADMINs."""

from __future__ import annotations

import asyncio
from typing import Protocol

from graph_engine import ids
from graph_engine.errors import InvalidInput
from graph_engine.model import (
    Access,
    Billing,
    Environment,
    Organisation,
    Page,
    PageRequest,
    Principal,
    Role,
    User,
    UserFilter,
)
from graph_engine.security import hash_password
from graph_engine.services import passwords, validate, visibility
from graph_engine.services.access import reach, require_admin_of, require_operator
from graph_engine.services.base import Service
from graph_engine.store.provisioning import ProvisioningStore
from graph_engine.store.visibility import VisibilityStore


class ProvisioningNeeds(ProvisioningStore, VisibilityStore, Protocol):
    """What ProvisioningService asks of the store: environments, users, organisations and
    access, within the caller's reach."""


class ProvisioningService(Service[ProvisioningNeeds]):
    async def create_environment(
        self,
        caller: Principal,
        name: str,
        email_domain: str,
        billing: Billing,
        seat_limit: int | None,
    ) -> Environment:
        require_operator(caller)
        return await self.store.create_environment(
            environment_id=ids.new_id("Environment"),
            name=validate.text(name, "name"),
            email_domain=validate.email_domain(email_domain),
            billing=billing,
            seat_limit=validate.seat_limit(seat_limit),
            at=self.now(),
        )

    async def create_user(
        self,
        caller: Principal,
        *,
        environment_id: str,
        email: str,
        name: str,
        role: Role,
        password: str | None,
        username: str | None = None,
    ) -> User:
        """Add a user (the environment's first becomes its ADMIN whatever ``role`` says).

        An ADMIN adds addresses of their environment's own e-mail domain (an environment
        is its domain's users); operators may add any. So an ADMIN cannot learn whether
        an address elsewhere has an account from a refusal.
        """
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)
        address = validate.email(email)
        if not caller.is_operator:
            env = await self.store.get_environment(environment_id=environment_id)
            domain = address.rsplit("@", 1)[1]
            if env is None or domain != env.email_domain:
                raise InvalidInput(
                    f"an address at {env.email_domain if env else 'the environment'}'s domain"
                    " is needed: an environment's users share its e-mail domain",
                    details={"field": "email"},
                )
        password_hash = None
        if password is not None:
            passwords.check(password, name=name, email=address)
            password_hash = await asyncio.to_thread(hash_password, password)
        return await self.store.create_user(
            user_id=ids.new_id("User"),
            environment_id=environment_id,
            email=address,
            username=validate.username(username or address.split("@", 1)[0]),
            name=validate.text(name, "name"),
            role=role,
            password_hash=password_hash,
            at=self.now(),
        )

    async def create_organisation(
        self, caller: Principal, environment_id: str, name: str
    ) -> Organisation:
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)
        return await self.store.create_organisation(
            organisation_id=ids.new_id("Organisation"),
            environment_id=environment_id,
            name=validate.text(name, "name"),
            at=self.now(),
        )

    async def grant_access(
        self, caller: Principal, user_id: str, organisation_id: str, role: Role
    ) -> Access:
        found = await reach(
            self.store, caller, [("User", user_id), ("Organisation", organisation_id)]
        )
        require_admin_of(caller, found[organisation_id].environment_id)
        return await self.store.grant_access(
            user_id=user_id, organisation_id=organisation_id, role=validate.access_role(role)
        )

    async def revoke_access(self, caller: Principal, user_id: str, organisation_id: str) -> bool:
        found = await reach(
            self.store, caller, [("User", user_id), ("Organisation", organisation_id)]
        )
        require_admin_of(caller, found[organisation_id].environment_id)
        return await self.store.revoke_access(user_id=user_id, organisation_id=organisation_id)

    async def set_user_role(self, caller: Principal, user_id: str, role: Role) -> User:
        found = await reach(self.store, caller, [("User", user_id)])
        require_admin_of(caller, found[user_id].environment_id)
        return await self.store.set_user_role(user_id=user_id, role=role)

    async def environment(self, caller: Principal, environment_id: str) -> Environment:
        await reach(self.store, caller, [("Environment", environment_id)])
        env = await self.store.get_environment(environment_id=environment_id)
        assert env is not None  # noqa: S101 - reach() proved it exists
        return env

    async def me(self, caller: Principal) -> User:
        """The caller's own record. A user's was read with their session, live, in this
        request: no second round trip."""
        if caller.user is not None:
            return caller.user
        return await self.user(caller, caller.id)

    async def user(self, caller: Principal, user_id: str) -> User:
        """A user within reach, or one who introduced themself to the caller (a request's
        sender): their record, nothing under it."""
        await visibility.locate(self.store, caller, [("User", user_id)], introduced=True)
        user = await self.store.get_user(user_id=user_id)
        assert user is not None  # noqa: S101 - reach() proved it exists
        return user

    async def organisation(self, caller: Principal, organisation_id: str) -> Organisation:
        await reach(self.store, caller, [("Organisation", organisation_id)])
        org = await self.store.get_organisation(organisation_id=organisation_id)
        assert org is not None  # noqa: S101 - reach() proved it exists
        return org

    async def users(
        self,
        caller: Principal,
        environment_id: str,
        search: str | None,
        page: PageRequest,
        where: UserFilter | None = None,
    ) -> Page[User]:
        """An environment's users (who reaches it may list them; ``active`` and ``role``
        are fields they see on each user anyway, so filtering by them reveals nothing)."""
        await reach(self.store, caller, [("Environment", environment_id)])
        if where is not None and where.name is not None:
            where = UserFilter(where.active, where.role, validate.search(where.name))
        return await self.store.list_users(
            environment_id=environment_id, search=validate.search(search), page=page, where=where
        )

    async def organisations(
        self, caller: Principal, environment_id: str, page: PageRequest
    ) -> Page[Organisation]:
        await reach(self.store, caller, [("Environment", environment_id)])
        return await self.store.list_organisations(environment_id=environment_id, page=page)
