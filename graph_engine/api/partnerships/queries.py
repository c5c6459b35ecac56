"""GraphQL queries of the partnerships capability: partnerships, authorization requests,
invitations, connections, the invite decision (``canInvite``) and partnership proposals.

Two classes, because the schema keeps its field order (:mod:`graph_engine.api.schema`):
``partnershipProposals`` comes later in ``Query`` than the rest.
"""

from __future__ import annotations

import strawberry

from graph_engine import telemetry
from graph_engine.api.context import Info
from graph_engine.api.paging import After, Before, Connection, First, Last, page, window
from graph_engine.api.partnerships.types import (
    AuthorizationRequest,
    Decision,
    Invitation,
    MissingConnection,
    PartnershipProposal,
)
from graph_engine.api.types import Partnership, User
from graph_engine.model import RequestStatus


@strawberry.type
class PartnershipQuery:
    @strawberry.field
    async def partnership(self, info: Info, id: strawberry.ID) -> Partnership:  # noqa: A002
        ctx = info.context
        return Partnership.of(await ctx.engine.partnerships.partnership(await ctx.caller(), id))

    @strawberry.field(description="The caller's authorization requests, received or sent.")
    async def authorization_requests(
        self,
        info: Info,
        *,
        incoming: bool = True,
        status: RequestStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AuthorizationRequest]:
        ctx = info.context
        found = await ctx.engine.partnerships.authorization_requests(
            await ctx.caller(), incoming, status, window(first, after, last, before)
        )
        return page([AuthorizationRequest.of(r) for r in found.items], found)

    @strawberry.field(description="The caller's invitations, received or sent.")
    async def invitations(
        self,
        info: Info,
        *,
        incoming: bool = True,
        status: RequestStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Invitation]:
        ctx = info.context
        found = await ctx.engine.partnerships.invitations(
            await ctx.caller(), incoming, status, window(first, after, last, before)
        )
        return page([Invitation.of(i) for i in found.items], found)

    @strawberry.field(description="The users connected with a user (default: the caller).")
    async def connections(
        self,
        info: Info,
        *,
        user_id: strawberry.ID | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        ctx = info.context
        found = await ctx.engine.partnerships.connections(
            await ctx.caller(), user_id, window(first, after, last, before)
        )
        return page([User.of(u) for u in found.items], found)

    @strawberry.field(
        description="May the inviter (default: the caller) invite the invitee to the organisation?"
    )
    async def can_invite(
        self,
        info: Info,
        invitee_id: strawberry.ID,
        organisation_id: strawberry.ID,
        inviter_id: strawberry.ID | None = None,
    ) -> Decision:
        ctx = info.context
        partnerships = ctx.engine.partnerships
        # The common question (the caller as inviter) takes one round trip with the login.
        found = None
        if inviter_id is None:
            found = await ctx.caller_with(
                lambda token_hash: partnerships.can_invite_in_session(
                    token_hash, invitee_id, organisation_id
                )
            )
        if found is not None:
            decision = found[1]
        else:
            decision = await partnerships.can_invite(
                await ctx.caller(), invitee_id, organisation_id, inviter_id
            )
        telemetry.DECISIONS.labels(decision.code).inc()
        return Decision.of(decision)

    @strawberry.field(description="Exactly the users the caller may invite to the organisation.")
    async def invite_candidates(
        self,
        info: Info,
        *,
        organisation_id: strawberry.ID,
        search: str | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[User]:
        ctx = info.context
        partnerships = ctx.engine.partnerships
        fused = await ctx.caller_with(
            lambda token_hash: partnerships.invite_candidates_in_session(
                token_hash, organisation_id, search, window(first, after, last, before)
            )
        )
        if fused is not None:
            found = fused[1]
        else:
            found = await partnerships.invite_candidates(
                await ctx.caller(), organisation_id, search, window(first, after, last, before)
            )
        return page([User.of(u) for u in found.items], found)

    @strawberry.field(description="Pairs the connection rules require and the graph lacks.")
    async def missing_connections(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[MissingConnection]:
        ctx = info.context
        found = await ctx.engine.partnerships.missing_connections(
            await ctx.caller(), environment_id, window(first, after, last, before)
        )
        return page([MissingConnection.of(m) for m in found.items], found)


@strawberry.type
class ProposalQuery:
    @strawberry.field(
        description=(
            "Partnership proposals the caller may answer (incoming: to them, or as ADMIN to"
            " a user of their environment) or has made."
        )
    )
    async def partnership_proposals(
        self,
        info: Info,
        *,
        incoming: bool = True,
        status: RequestStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PartnershipProposal]:
        ctx = info.context
        found = await ctx.engine.partnerships.partnership_proposals(
            await ctx.caller(), incoming, status, window(first, after, last, before)
        )
        return page([PartnershipProposal.of(p) for p in found.items], found)
