"""GraphQL for partnership proposals: a tie between tenants needs the other side's consent."""

from __future__ import annotations

import strawberry

from graph_engine.api.context import Info
from graph_engine.api.types import (
    After,
    Before,
    Connection,
    First,
    Last,
    PartnershipProposal,
    page,
    window,
)
from graph_engine.model import RequestStatus


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
            await ctx.caller(), partner_user_id, user_id
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
