"""GraphQL object types shared by every capability: environments, users, organisations,
access and partnerships, with the model's enums they show.

Objects carry the ids of what they point at (``environmentId``) and resolve the
object itself on demand (``environment``), so a client pays only for what it
asks. A type that one capability alone shows lives in that capability's module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeAlias

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.node import Node
from graph_engine.api.paging import (
    After,
    Before,
    Connection,
    CountedConnection,
    First,
    Last,
    counted_page,
    page,
    window,
)

# The model's own enums are the GraphQL enums (strawberry.enum registers a class in place).
strawberry.enum(model.Role, description="A user's role in their environment.")
strawberry.enum(model.Billing)
strawberry.enum(model.PartnershipOrigin)
strawberry.enum(model.DossierKind)
strawberry.enum(model.NodeLabel, description="A node label of the graph.")
strawberry.enum(model.RelationshipType, description="A relationship type of the graph.")
# For the explorer's types: importing them from here registers them before any type uses them.
NodeLabel: TypeAlias = model.NodeLabel
RelationshipType: TypeAlias = model.RelationshipType


async def load_user(info: Info, user_id: str) -> User | None:
    """A nested user: through the request's loader and its visibility gate (None outside)."""
    found = await info.context.loaders.user.load(user_id)
    return None if found is None else User.of(found)


async def load_users(info: Info, user_ids: list[str]) -> list[User]:
    found = await info.context.loaders.user.load_many(user_ids)
    return [User.of(u) for u in found if u is not None]


async def load_organisation(info: Info, organisation_id: str) -> Organisation | None:
    found = await info.context.loaders.organisation.load(organisation_id)
    return None if found is None else Organisation.of(found)


async def load_environment(info: Info, environment_id: str) -> Environment | None:
    found = await info.context.loaders.environment.load(environment_id)
    return None if found is None else Environment.of(found)


async def load_environments(info: Info, environment_ids: list[str]) -> list[Environment]:
    found = await info.context.loaders.environment.load_many(environment_ids)
    return [Environment.of(e) for e in found if e is not None]


@strawberry.input(name="UserFilter", description="Which users to list: each field given must hold.")
class UserFilterInput:
    active: bool | None = strawberry.field(
        default=None, description="false: the inactive users (Carerix's view)."
    )
    role: model.Role | None = strawberry.field(default=None, description="Their role.")
    name: str | None = strawberry.field(
        default=None, description="A part of the name, in any case."
    )


@strawberry.type(description="A tenant: a customer's installation (omgeving, contractant).")
class Environment(Node):
    id: strawberry.ID
    name: str
    email_domain: str
    billing: model.Billing
    seat_limit: int | None
    created_at: datetime

    @classmethod
    def of(cls, env: model.Environment) -> Environment:
        return cls(
            id=strawberry.ID(env.id),
            name=env.name,
            email_domain=env.email_domain,
            billing=env.billing,
            seat_limit=env.seat_limit,
            created_at=env.created_at,
        )

    @strawberry.field
    async def users(
        self,
        info: Info,
        *,
        search: str | None = None,
        filter_: Annotated[
            UserFilterInput | None,
            strawberry.argument(
                name="filter",
                description="Only users that match every field given (e.g. {active: false}).",
            ),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CountedConnection[User]:
        ctx = info.context
        where = (
            None
            if filter_ is None
            else model.UserFilter(filter_.active, filter_.role, filter_.name)
        )
        found = await ctx.engine.provisioning.users(
            await ctx.caller(), self.id, search, window(first, after, last, before), where
        )
        return counted_page([User.of(u) for u in found.items], found)

    @strawberry.field
    async def organisations(
        self,
        info: Info,
        *,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> CountedConnection[Organisation]:
        ctx = info.context
        found = await ctx.engine.provisioning.organisations(
            await ctx.caller(), self.id, window(first, after, last, before)
        )
        return counted_page([Organisation.of(o) for o in found.items], found)

    @strawberry.field
    async def partnerships(
        self,
        info: Info,
        *,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Partnership]:
        ctx = info.context
        found = await ctx.engine.partnerships.partnerships(
            await ctx.caller(), self.id, window(first, after, last, before)
        )
        return page([Partnership.of(p) for p in found.items], found)


@strawberry.type(description="A person: employee, consultant, client or candidate.")
class User(Node):
    id: strawberry.ID
    environment_id: strawberry.ID
    role: model.Role
    email: str
    username: str
    name: str
    active: bool
    login_blocked: bool
    mail_enabled: bool
    relationship_manager: bool
    created_at: datetime

    @classmethod
    def of(cls, user: model.User) -> User:
        return cls(
            id=strawberry.ID(user.id),
            environment_id=strawberry.ID(user.environment_id),
            role=user.role,
            email=user.email,
            username=user.username,
            name=user.name,
            active=user.active,
            login_blocked=user.login_blocked,
            mail_enabled=user.mail_enabled,
            relationship_manager=user.relationship_manager,
            created_at=user.created_at,
        )

    @strawberry.field(description="The user's environment; null when outside your reach.")
    async def environment(self, info: Info) -> Environment | None:
        return await load_environment(info, self.environment_id)

    @strawberry.field(description="The user this user reports to (mail forwarding).")
    async def reports_to(self, info: Info) -> User | None:
        ctx = info.context
        found = await ctx.engine.offboarding.reports_to(await ctx.caller(), self.id)
        return None if found is None else await load_user(info, found)

    @strawberry.field(
        description="The organisations this user has access to, as far as you reach them."
    )
    async def access(self, info: Info) -> list[Access]:
        found = await info.context.loaders.access.load(self.id)
        return [Access.of(a) for a in found]


@strawberry.type(description="An organisation or work company of an environment.")
class Organisation(Node):
    id: strawberry.ID
    environment_id: strawberry.ID
    name: str
    activated_software: list[str]
    created_at: datetime

    @classmethod
    def of(cls, org: model.Organisation) -> Organisation:
        return cls(
            id=strawberry.ID(org.id),
            environment_id=strawberry.ID(org.environment_id),
            name=org.name,
            activated_software=list(org.activated_software),
            created_at=org.created_at,
        )

    @strawberry.field
    async def environment(self, info: Info) -> Environment | None:
        return await load_environment(info, self.environment_id)


@strawberry.type
class Access:
    user_id: strawberry.ID
    organisation_id: strawberry.ID
    role: model.Role

    @classmethod
    def of(cls, access: model.Access) -> Access:
        return cls(
            user_id=strawberry.ID(access.user_id),
            organisation_id=strawberry.ID(access.organisation_id),
            role=access.role,
        )

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        return await load_organisation(info, self.organisation_id)


@strawberry.type(description="A partnership (partnerschap) between two environments.")
class Partnership(Node):
    id: strawberry.ID
    origin: model.PartnershipOrigin
    environment_ids: list[strawberry.ID]
    representative_ids: list[strawberry.ID]
    created_at: datetime

    @classmethod
    def of(cls, p: model.Partnership) -> Partnership:
        return cls(
            id=strawberry.ID(p.id),
            origin=p.origin,
            environment_ids=[strawberry.ID(e) for e in p.environment_ids],
            representative_ids=[strawberry.ID(u) for u in p.representative_ids],
            created_at=p.created_at,
        )

    @strawberry.field
    async def environments(self, info: Info) -> list[Environment]:
        return await load_environments(info, list(self.environment_ids))

    @strawberry.field(description="The users chosen for the partnership, as far as you reach them.")
    async def representatives(self, info: Info) -> list[User]:
        return await load_users(info, list(self.representative_ids))
