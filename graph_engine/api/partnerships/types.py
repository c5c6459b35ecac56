"""GraphQL object types of the partnerships capability: authorization requests,
invitations, partnership proposals, the invite decision and missing connections."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.types import Organisation, Partnership, User, load_organisation, load_user
from graph_engine.errors import NotFound

strawberry.enum(model.RequestStatus)
strawberry.enum(model.DecisionCode, description="Why canInvite said yes or no.")
strawberry.enum(model.ConnectionRule)
strawberry.enum(model.FixAction, description="The mutation that applies a fix.")


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
    # The path and the fix are built when asked for (most callers ask allowed and code).
    decided: strawberry.Private[model.Decision]

    @classmethod
    def of(cls, d: model.Decision) -> Decision:
        return cls(allowed=d.allowed, code=d.code, reason=d.reason, decided=d)

    @strawberry.field
    def path(self) -> Path:
        d = self.decided
        return Path(
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
        )

    @strawberry.field
    def fix(self) -> Fix | None:
        found = self.decided.fix
        if found is None:
            return None
        return Fix(
            action=model.FixAction(found.action),
            user_ids=[strawberry.ID(u) for u in found.user_ids],
            description=found.description,
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


@strawberry.type
class RelationshipManagerPayload:
    user: User
    connected_user_ids: list[strawberry.ID]


@strawberry.type
class ConnectPayload:
    created: bool = strawberry.field(description="False when the two were already connected.")
