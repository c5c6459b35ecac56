"""GraphQL mutations of the partnerships capability: partnerships, authorization requests,
relationship managers, connections, invitations and partnership proposals.

Two classes, because the schema keeps its field order (:mod:`graph_engine.api.schema`):
the proposals' mutations come later in ``Mutation`` than the rest.
"""

from __future__ import annotations

import strawberry

from graph_engine.api.context import Info
from graph_engine.api.partnerships.types import (
    Acceptance,
    AuthorizationRequest,
    ConnectPayload,
    Invitation,
    MissingConnection,
    PartnershipProposal,
    RelationshipManagerPayload,
)
from graph_engine.api.types import Partnership, User
from graph_engine.model import Role


@strawberry.type
class PartnershipMutation:
    # -- partnerships ---------------------------------------------------------------
    @strawberry.mutation(
        description=(
            "Partner the environments of two users at once (operators only; everyone else"
            " proposes, and the other side consents: proposePartnership)."
        )
    )
    async def create_partnership(
        self,
        info: Info,
        partner_user_id: strawberry.ID,
        user_id: strawberry.ID,
    ) -> Partnership:
        ctx = info.context
        found = await ctx.engine.partnerships.create_partnership(
            await ctx.caller(), partner_user_id, user_id
        )
        return Partnership.of(found)

    @strawberry.mutation
    async def send_authorization_request(
        self,
        info: Info,
        recipient_id: strawberry.ID,
        organisation_id: strawberry.ID,
        software: str,
    ) -> AuthorizationRequest:
        ctx = info.context
        request = await ctx.engine.partnerships.send_authorization_request(
            await ctx.caller(), recipient_id, organisation_id, software, client=ctx.client
        )
        return AuthorizationRequest.of(request)

    @strawberry.mutation(description="Accept a request (idempotent: repairs what is missing).")
    async def accept_authorization_request(
        self, info: Info, request_id: strawberry.ID
    ) -> Acceptance:
        ctx = info.context
        acceptance = await ctx.engine.partnerships.accept_authorization_request(
            await ctx.caller(), request_id
        )
        return Acceptance.of(acceptance)

    @strawberry.mutation
    async def decline_authorization_request(
        self, info: Info, request_id: strawberry.ID
    ) -> AuthorizationRequest:
        ctx = info.context
        request = await ctx.engine.partnerships.decline_authorization_request(
            await ctx.caller(), request_id
        )
        return AuthorizationRequest.of(request)

    @strawberry.mutation
    async def set_relationship_manager(
        self, info: Info, user_id: strawberry.ID, enabled: bool
    ) -> RelationshipManagerPayload:
        ctx = info.context
        user, connected = await ctx.engine.partnerships.set_relationship_manager(
            await ctx.caller(), user_id, enabled
        )
        return RelationshipManagerPayload(
            user=User.of(user), connected_user_ids=[strawberry.ID(u) for u in connected]
        )

    @strawberry.mutation(description="Connect two users of partnered environments.")
    async def connect(
        self, info: Info, user_id: strawberry.ID, peer_id: strawberry.ID
    ) -> ConnectPayload:
        ctx = info.context
        created = await ctx.engine.partnerships.connect(await ctx.caller(), user_id, peer_id)
        return ConnectPayload(created=created)

    @strawberry.mutation(description="Connect every missing pair of a partnership; returns them.")
    async def repair_connections(
        self, info: Info, partnership_id: strawberry.ID
    ) -> list[MissingConnection]:
        ctx = info.context
        repaired = await ctx.engine.partnerships.repair_connections(
            await ctx.caller(), partnership_id
        )
        return [MissingConnection.of(m) for m in repaired]

    # -- invitations ----------------------------------------------------------------
    @strawberry.mutation(
        description="Invite (same environment: access at once; partner: pending until accepted)."
    )
    async def invite(
        self,
        info: Info,
        invitee_id: strawberry.ID,
        organisation_id: strawberry.ID,
        role: Role = Role.USER,
    ) -> Invitation:
        ctx = info.context
        found = await ctx.engine.partnerships.invite(
            await ctx.caller(), invitee_id, organisation_id, role
        )
        return Invitation.of(found)

    @strawberry.mutation
    async def accept_invitation(self, info: Info, invitation_id: strawberry.ID) -> Invitation:
        ctx = info.context
        found = await ctx.engine.partnerships.accept_invitation(await ctx.caller(), invitation_id)
        return Invitation.of(found)

    @strawberry.mutation
    async def decline_invitation(self, info: Info, invitation_id: strawberry.ID) -> Invitation:
        ctx = info.context
        found = await ctx.engine.partnerships.decline_invitation(await ctx.caller(), invitation_id)
        return Invitation.of(found)


@strawberry.type
class ProposalMutation:
    @strawberry.mutation(
        description=(
            "Propose partnering your environment (or, as ADMIN, that of userId) with the"
            " partner user's; they or an ADMIN there accept or decline. Nothing crosses before."
        )
    )
    async def propose_partnership(
        self,
        info: Info,
        partner_user_id: strawberry.ID,
        user_id: strawberry.ID | None = None,
    ) -> PartnershipProposal:
        ctx = info.context
        found = await ctx.engine.partnerships.propose_partnership(
            await ctx.caller(), partner_user_id, user_id, client=ctx.client
        )
        return PartnershipProposal.of(found)

    @strawberry.mutation(
        description="Accept a proposal: the partnership is made and the two users connected."
    )
    async def accept_partnership_proposal(
        self, info: Info, proposal_id: strawberry.ID
    ) -> PartnershipProposal:
        ctx = info.context
        found = await ctx.engine.partnerships.answer_partnership_proposal(
            await ctx.caller(), proposal_id, accept=True
        )
        return PartnershipProposal.of(found)

    @strawberry.mutation
    async def decline_partnership_proposal(
        self, info: Info, proposal_id: strawberry.ID
    ) -> PartnershipProposal:
        ctx = info.context
        found = await ctx.engine.partnerships.answer_partnership_proposal(
            await ctx.caller(), proposal_id, accept=False
        )
        return PartnershipProposal.of(found)
