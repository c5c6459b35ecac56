"""GraphQL object types: the model records as the API shows them.

Objects carry the ids of what they point at (``environmentId``) and resolve the
object itself on demand (``environment``), so a client pays only for what it
asks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Generic, TypeAlias, TypeVar

import strawberry
from strawberry.relay import PageInfo

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.node import Node
from graph_engine.errors import NotFound
from graph_engine.model import PageRequest

# The model's own enums are the GraphQL enums (strawberry.enum registers a class in place).
strawberry.enum(model.Role, description="A user's role in their environment.")
strawberry.enum(model.Billing)
strawberry.enum(model.PartnershipOrigin)
strawberry.enum(model.RequestStatus)
strawberry.enum(model.PrincipalKind)
strawberry.enum(model.DecisionCode, description="Why canInvite said yes or no.")
strawberry.enum(model.ConnectionRule)
strawberry.enum(model.AuditPrincipal, description="USER, a key's kind, or ANONYMOUS (public).")
strawberry.enum(model.FixAction, description="The mutation that applies a fix.")
strawberry.enum(model.DossierKind)
strawberry.enum(model.NodeLabel, description="A node label of the graph.")
strawberry.enum(model.RelationshipType, description="A relationship type of the graph.")
# For the explorer's types: importing them from here registers them before any type uses them.
NodeLabel: TypeAlias = model.NodeLabel
RelationshipType: TypeAlias = model.RelationshipType

T = TypeVar("T")


First = Annotated[
    int | None,
    strawberry.argument(
        description="Walk forward: the first n items (1 to 500) after `after`; 20 when "
        "neither first nor last is given."
    ),
]
After = Annotated[
    str | None, strawberry.argument(description="Walk forward from this cursor (exclusive).")
]
Last = Annotated[
    int | None,
    strawberry.argument(description="Walk backward: the last n items (1 to 500) before `before`."),
]
Before = Annotated[
    str | None, strawberry.argument(description="Walk backward from this cursor (exclusive).")
]


def window(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageRequest:
    """The page a connection field's arguments ask for (checked by the store)."""
    return PageRequest(first=first, after=after, last=last, before=before)


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Pass as `after` (or `before`) to page on from this item."
    )
    node: T


@strawberry.type(
    description="One page of a list (a Relay cursor connection): walk forward with "
    "first/after (pageInfo.endCursor) or backward with last/before (pageInfo.startCursor)."
)
class Connection(Generic[T]):
    """One page of a list, as a Relay cursor connection.

    Cursors name an item's place in the list's order (by id), so a walk meets every
    item that was there all along exactly once, whatever is added or removed
    meanwhile. ``nodes`` repeats the edges' items for clients that need no cursors.
    """

    edges: list[Edge[T]] = strawberry.field(description="The page's items with their cursors.")
    nodes: list[T] = strawberry.field(description="The page's items (the edges' nodes).")
    page_info: PageInfo


@strawberry.type(
    description="One page of a list (a Relay cursor connection) with the whole list's size."
)
class CountedConnection(Connection[T]):
    """A connection that also says how many items the whole list holds.

    Given where the store counts in the statement that reads the page, over the rows
    the page is cut from: an environment's users (those the search finds) and its
    organisations. Other lists leave it out rather than read everything to count.
    """

    total_count: int = strawberry.field(
        description="How many items the whole list holds (all pages, cursors aside)."
    )


def counted_page(items: list[T], source: model.Page[Any]) -> CountedConnection[T]:
    assert source.total_count is not None  # noqa: S101 - the store's contract
    return CountedConnection(
        edges=[Edge(cursor=c, node=i) for i, c in zip(items, source.cursors, strict=True)],
        nodes=items,
        page_info=page_info(source),
        total_count=source.total_count,
    )


def page(items: list[T], source: model.Page[Any]) -> Connection[T]:
    return Connection(
        edges=[Edge(cursor=c, node=i) for i, c in zip(items, source.cursors, strict=True)],
        nodes=items,
        page_info=page_info(source),
    )


def page_info(source: model.Page[Any]) -> PageInfo:
    return PageInfo(
        has_next_page=source.has_next_page,
        has_previous_page=source.has_previous_page,
        start_cursor=source.start_cursor,
        end_cursor=source.end_cursor,
    )


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


@strawberry.type(description="A request (machtigingsverzoek) to activate an organisation.")
class AuthorizationRequest:
    id: strawberry.ID
    sender_id: strawberry.ID
    recipient_id: strawberry.ID
    organisation_id: strawberry.ID
    software: str
    status: model.RequestStatus
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, r: model.AuthorizationRequest) -> AuthorizationRequest:
        return cls(
            id=strawberry.ID(r.id),
            sender_id=strawberry.ID(r.sender_id),
            recipient_id=strawberry.ID(r.recipient_id),
            organisation_id=strawberry.ID(r.organisation_id),
            software=r.software,
            status=r.status,
            created_at=r.created_at,
            decided_at=r.decided_at,
        )

    @strawberry.field
    async def sender(self, info: Info) -> User | None:
        return await load_user(info, self.sender_id)

    @strawberry.field
    async def recipient(self, info: Info) -> User | None:
        return await load_user(info, self.recipient_id)

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        return await load_organisation(info, self.organisation_id)


@strawberry.type(
    description=(
        "A proposal to partner two environments: nothing is shared until the chosen user"
        " (or an ADMIN of their environment) accepts it."
    )
)
class PartnershipProposal:
    id: strawberry.ID
    proposer_id: strawberry.ID
    recipient_id: strawberry.ID
    status: model.RequestStatus
    created_at: datetime
    decided_at: datetime | None
    partnership_id: strawberry.ID | None = strawberry.field(
        description="The partnership an acceptance created (or joined)."
    )

    @classmethod
    def of(cls, p: model.PartnershipProposal) -> PartnershipProposal:
        return cls(
            id=strawberry.ID(p.id),
            proposer_id=strawberry.ID(p.proposer_id),
            recipient_id=strawberry.ID(p.recipient_id),
            status=p.status,
            created_at=p.created_at,
            decided_at=p.decided_at,
            partnership_id=None if p.partnership_id is None else strawberry.ID(p.partnership_id),
        )

    @strawberry.field(description="Who proposed: shown to the other side, who may answer.")
    async def proposer(self, info: Info) -> User | None:
        return await load_user(info, self.proposer_id)

    @strawberry.field(description="The user chosen on the other side; null until you reach them.")
    async def recipient(self, info: Info) -> User | None:
        return await load_user(info, self.recipient_id)

    @strawberry.field
    async def partnership(self, info: Info) -> Partnership | None:
        if self.partnership_id is None:
            return None
        ctx = info.context
        try:
            found = await ctx.engine.partnerships.partnership(
                await ctx.caller(), self.partnership_id
            )
        except NotFound:
            return None
        return Partnership.of(found)


@strawberry.type(description="What accepting an authorization request did.")
class Acceptance:
    request: AuthorizationRequest
    partnership: Partnership
    partnership_created: bool
    connected_user_ids: list[strawberry.ID] = strawberry.field(
        description="Users newly connected with the acceptor by this acceptance."
    )

    @classmethod
    def of(cls, a: model.Acceptance) -> Acceptance:
        return cls(
            request=AuthorizationRequest.of(a.request),
            partnership=Partnership.of(a.partnership),
            partnership_created=a.partnership_created,
            connected_user_ids=[strawberry.ID(u) for u in a.connected_user_ids],
        )


@strawberry.type(description="An invitation to an organisation.")
class Invitation:
    id: strawberry.ID
    inviter_id: strawberry.ID
    invitee_id: strawberry.ID
    organisation_id: strawberry.ID
    role: model.Role
    status: model.RequestStatus
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, i: model.Invitation) -> Invitation:
        return cls(
            id=strawberry.ID(i.id),
            inviter_id=strawberry.ID(i.inviter_id),
            invitee_id=strawberry.ID(i.invitee_id),
            organisation_id=strawberry.ID(i.organisation_id),
            role=i.role,
            status=i.status,
            created_at=i.created_at,
            decided_at=i.decided_at,
        )

    @strawberry.field
    async def inviter(self, info: Info) -> User | None:
        return await load_user(info, self.inviter_id)

    @strawberry.field
    async def invitee(self, info: Info) -> User | None:
        return await load_user(info, self.invitee_id)

    @strawberry.field
    async def organisation(self, info: Info) -> Organisation | None:
        return await load_organisation(info, self.organisation_id)


@strawberry.type
class PathNode:
    id: strawberry.ID
    label: model.NodeLabel
    name: str


@strawberry.type
class PathRelationship:
    type: model.RelationshipType
    start_id: strawberry.ID
    end_id: strawberry.ID
    role: model.Role | None = strawberry.field(
        description="The role a MEMBER_OF or HAS_ACCESS relationship carries."
    )


@strawberry.type(description="The nodes and relationships that decided.")
class Path:
    nodes: list[PathNode]
    relationships: list[PathRelationship]


@strawberry.type(description="An action that would turn this denial into an allowance.")
class Fix:
    action: model.FixAction
    user_ids: list[strawberry.ID]
    description: str


@strawberry.type(
    description="The answer to 'may the inviter invite the invitee to the organisation'."
)
class Decision:
    allowed: bool
    code: model.DecisionCode
    reason: str
    path: Path
    fix: Fix | None

    @classmethod
    def of(cls, d: model.Decision) -> Decision:
        fix = None
        if d.fix is not None:
            fix = Fix(
                action=model.FixAction(d.fix.action),
                user_ids=[strawberry.ID(u) for u in d.fix.user_ids],
                description=d.fix.description,
            )
        return cls(
            allowed=d.allowed,
            code=d.code,
            reason=d.reason,
            path=Path(
                nodes=[
                    PathNode(id=strawberry.ID(n.id), label=model.NodeLabel(n.label), name=n.name)
                    for n in d.nodes
                ],
                relationships=[
                    PathRelationship(
                        type=model.RelationshipType(r.type),
                        start_id=strawberry.ID(r.start_id),
                        end_id=strawberry.ID(r.end_id),
                        role=None if r.role is None else model.Role(r.role),
                    )
                    for r in d.relationships
                ],
            ),
            fix=fix,
        )


@strawberry.type(description="Two users the connection rules say should be connected, and are not.")
class MissingConnection:
    user_id: strawberry.ID
    peer_id: strawberry.ID
    rule: model.ConnectionRule
    partnership_id: strawberry.ID | None

    @classmethod
    def of(cls, m: model.MissingConnection) -> MissingConnection:
        return cls(
            user_id=strawberry.ID(m.user_id),
            peer_id=strawberry.ID(m.peer_id),
            rule=m.rule,
            partnership_id=None if m.partnership_id is None else strawberry.ID(m.partnership_id),
        )

    @strawberry.field
    async def user(self, info: Info) -> User | None:
        return await load_user(info, self.user_id)

    @strawberry.field
    async def peer(self, info: Info) -> User | None:
        return await load_user(info, self.peer_id)


@strawberry.type(
    description=(
        "Signing up answers the same for every address: a confirmation code was mailed"
        " (or, for an address with an account, a notice to its owner)."
    )
)
class SignUpPayload:
    email: str
    expires_at: datetime = strawberry.field(description="Until when the mailed code works.")
    message: str


@strawberry.type(description="A sign-up waiting for its address to be proven or an ADMIN.")
class SignUp:
    id: strawberry.ID
    email: str
    name: str
    environment_id: strawberry.ID | None
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, s: model.SignUp) -> SignUp:
        return cls(
            id=strawberry.ID(s.id),
            email=s.email,
            name=s.name,
            environment_id=None if s.environment_id is None else strawberry.ID(s.environment_id),
            created_at=s.created_at,
            expires_at=s.expires_at,
        )


@strawberry.type(description="A message in the outbox (kept when no SMTP server is set).")
class OutboxMail:
    id: strawberry.ID
    to: str
    subject: str
    body: str
    created_at: datetime

    @classmethod
    def of(cls, m: model.OutboxMail) -> OutboxMail:
        return cls(
            id=strawberry.ID(m.id), to=m.to, subject=m.subject, body=m.body, created_at=m.created_at
        )


@strawberry.type
class LoginPayload:
    token: str = strawberry.field(description="Send as 'Authorization: Bearer <token>'.")
    user: User


@strawberry.type
class ApiKeyPayload:
    id: strawberry.ID
    kind: model.PrincipalKind
    key: str = strawberry.field(description="Shown once; only its hash is stored.")


@strawberry.type
class RelationshipManagerPayload:
    user: User
    connected_user_ids: list[strawberry.ID]


@strawberry.type
class ConnectPayload:
    created: bool = strawberry.field(description="False when the two were already connected.")
