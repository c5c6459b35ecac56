"""Partnership proposals in Neo4j: consent before two environments are partnered."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Page, PageRequest, PartnershipProposal, RequestStatus
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import PAIR_SEPARATOR


def _proposal(m: convert.Row) -> PartnershipProposal:
    return records.proposal(m, m["proposer"], m["recipient"])


class ProposalOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "propose_partnership",
        "answer_partnership_proposal",
        "list_partnership_proposals",
    )

    async def propose_partnership(
        self, *, proposal_id: str, proposer_id: str, recipient_id: str, at: datetime
    ) -> PartnershipProposal:
        row = await self._one(
            "propose_partnership",
            write=True,
            proposalId=proposal_id,
            proposerId=proposer_id,
            recipientId=recipient_id,
            at=at,
            sep=PAIR_SEPARATOR,
        )
        return _proposal(row["proposal"])

    async def answer_partnership_proposal(
        self,
        *,
        proposal_id: str,
        user_id: str,
        accept: bool,
        partnership_id: str,
        at: datetime,
    ) -> PartnershipProposal:
        status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
        row = await self._one(
            "answer_partnership_proposal",
            write=True,
            proposalId=proposal_id,
            userId=user_id,
            status=str(status),
            partnershipId=partnership_id,
            at=at,
            sep=PAIR_SEPARATOR,
        )
        return _proposal(row["proposal"])

    async def list_partnership_proposals(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[PartnershipProposal]:
        row = await self._one(
            "list_partnership_proposals",
            userId=user_id,
            incoming=incoming,
            status=None if status is None else str(status),
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], _proposal, lambda p: p.id, page)
