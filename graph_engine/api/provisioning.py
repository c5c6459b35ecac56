"""GraphQL for provisioning: environments, users, organisations and access to them.

The object types themselves (``Environment``, ``User``, ``Organisation``, ``Access``)
are shared by every capability and live in :mod:`graph_engine.api.types`.
"""

from __future__ import annotations

import strawberry

from graph_engine.api.context import Info
from graph_engine.api.types import Access as AccessType
from graph_engine.api.types import Environment, Organisation, User
from graph_engine.model import Billing, Role


@strawberry.input
class CreateEnvironmentInput:
    name: str
    email_domain: str
    billing: Billing = strawberry.field(
        default=Billing.PER_PROCESSED_HOUR,
        description=(
            "PER_LICENCE: a user logs in only with a licence assigned (DESIGN §3.2);"
            " PER_PROCESSED_HOUR (the default): no licences needed."
        ),
    )
    seat_limit: int | None = None


@strawberry.input
class CreateUserInput:
    environment_id: strawberry.ID
    email: str
    name: str
    role: Role = Role.USER
    password: str | None = None
    username: str | None = None


@strawberry.type
class ProvisioningQuery:
    @strawberry.field(description="The caller.")
    async def me(self, info: Info) -> User:
        caller = await info.context.caller()
        return User.of(await info.context.engine.provisioning.me(caller))

    @strawberry.field
    async def environment(self, info: Info, id: strawberry.ID) -> Environment:  # noqa: A002
        ctx = info.context
        return Environment.of(await ctx.engine.provisioning.environment(await ctx.caller(), id))

    @strawberry.field
    async def user(self, info: Info, id: strawberry.ID) -> User:  # noqa: A002
        ctx = info.context
        return User.of(await ctx.engine.provisioning.user(await ctx.caller(), id))

    @strawberry.field
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation:  # noqa: A002
        ctx = info.context
        return Organisation.of(await ctx.engine.provisioning.organisation(await ctx.caller(), id))


@strawberry.type
class ProvisioningMutation:
    @strawberry.mutation
    async def create_environment(self, info: Info, input: CreateEnvironmentInput) -> Environment:  # noqa: A002
        ctx = info.context
        env = await ctx.engine.provisioning.create_environment(
            await ctx.caller(), input.name, input.email_domain, input.billing, input.seat_limit
        )
        return Environment.of(env)

    @strawberry.mutation(description="Add a user; an environment's first user becomes its ADMIN.")
    async def create_user(self, info: Info, input: CreateUserInput) -> User:  # noqa: A002
        ctx = info.context
        user = await ctx.engine.provisioning.create_user(
            await ctx.caller(),
            environment_id=input.environment_id,
            email=input.email,
            name=input.name,
            role=input.role,
            password=input.password,
            username=input.username,
        )
        return User.of(user)

    @strawberry.mutation
    async def create_organisation(
        self, info: Info, environment_id: strawberry.ID, name: str
    ) -> Organisation:
        ctx = info.context
        org = await ctx.engine.provisioning.create_organisation(
            await ctx.caller(), environment_id, name
        )
        return Organisation.of(org)

    @strawberry.mutation(description="Give a user of the organisation's environment access.")
    async def grant_access(
        self,
        info: Info,
        user_id: strawberry.ID,
        organisation_id: strawberry.ID,
        role: Role = Role.USER,
    ) -> AccessType:
        ctx = info.context
        access = await ctx.engine.provisioning.grant_access(
            await ctx.caller(), user_id, organisation_id, role
        )
        return AccessType.of(access)

    @strawberry.mutation
    async def revoke_access(
        self, info: Info, user_id: strawberry.ID, organisation_id: strawberry.ID
    ) -> bool:
        ctx = info.context
        return await ctx.engine.provisioning.revoke_access(
            await ctx.caller(), user_id, organisation_id
        )

    @strawberry.mutation
    async def set_user_role(
        self,
        info: Info,
        user_id: strawberry.ID,
        role: Role,
    ) -> User:
        ctx = info.context
        return User.of(
            await ctx.engine.provisioning.set_user_role(await ctx.caller(), user_id, role)
        )
