"""Partnership proposals in Neo4j: consent before two environments are partnered.

A proposal is a request that waits for an answer (``partnerships_requests.py``:
listed like the others); one statement answers it either way, since the recipient
or an ADMIN beside them answers, and acceptance partners the two environments.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Page, PageRequest, PartnershipProposal, RequestStatus
from graph_engine.store import quota
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.partnerships_requests import PARTNERSHIP_PROPOSAL, RequestOps
from graph_engine.store.pagination import PAIR_SEPARATOR


class ProposalOps(RequestOps):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "propose_partnership",
        "answer_partnership_proposal",
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
            limit=quota.SEND_LIMIT,
            windowSeconds=int(quota.SEND_WINDOW.total_seconds()),
        )
        return convert.proposal(row["proposal"])

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
        return convert.proposal(row["proposal"])

    async def list_partnership_proposals(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[PartnershipProposal]:
        return await self._list_requests(
            PARTNERSHIP_PROPOSAL,
            convert.proposal,
            user_id=user_id,
            incoming=incoming,
            status=status,
            page=page,
        )
