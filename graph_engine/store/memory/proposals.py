"""Partnership proposals in memory: consent before two environments are partnered.

The same rules as ``queries/propose_partnership.cypher`` and
``queries/answer_partnership_proposal.cypher``; every operation holds the store's
lock, checks everything, then writes.
"""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import (
    ADVANCED_ROLES,
    Page,
    PageRequest,
    PartnershipOrigin,
    PartnershipProposal,
    RequestStatus,
    Role,
)
from graph_engine.store import records
from graph_engine.store.memory.partnerships import PartnershipOps
from graph_engine.store.pagination import paginate, pair_key


class ProposalOps(PartnershipOps):
    def proposal_record(self, proposal_id: str) -> PartnershipProposal:
        attrs = self.node(proposal_id, "PartnershipProposal")
        return records.proposal(
            attrs,
            self.sources(proposal_id, "PROPOSED")[0],
            self.targets(proposal_id, "TO")[0],
        )

    def _pending_proposal(self, env: str, recipient_id: str) -> str | None:
        return self._by_pending_pair.get(pair_key(env, recipient_id))

    async def propose_partnership(
        self, *, proposal_id: str, proposer_id: str, recipient_id: str, at: datetime
    ) -> PartnershipProposal:
        with self._lock:
            self.node(proposer_id, "User")
            env, _ = self.membership(proposer_id)
            self.require_advanced(proposer_id)
            self.require_usable(proposer_id)
            self.node(recipient_id, "User")
            other, _ = self.membership(recipient_id)
            if env == other:
                raise problem("same_environment", user=proposer_id, peer=recipient_id)
            existing = self.partnership_between(env, other)
            if existing is not None:
                raise problem(
                    "partnership_exists",
                    environments=" and ".join(sorted((env, other))),
                    partnership=existing,
                )
            pending = self._pending_proposal(env, recipient_id)
            if pending is not None:
                raise problem("proposal_pending", proposal=pending)
            self.add_node(
                "PartnershipProposal",
                proposal_id,
                status=str(RequestStatus.PENDING),
                createdAt=at,
                pendingKey=pair_key(env, recipient_id),
            )
            self.add_edge(proposer_id, proposal_id, "PROPOSED")
            self.add_edge(proposal_id, recipient_id, "TO")
            return self.proposal_record(proposal_id)

    def _check_answer(self, proposal_id: str, user_id: str, status: RequestStatus) -> None:
        if not self.has(proposal_id, "PartnershipProposal"):
            raise problem("not_found", label="PartnershipProposal", id=proposal_id)
        proposer = self.sources(proposal_id, "PROPOSED")[0]
        recipient = self.targets(proposal_id, "TO")[0]
        if user_id == proposer:
            raise problem(
                "not_recipient", recipient=recipient, label="PartnershipProposal", id=proposal_id
            )
        own, role = self.membership(user_id)
        if not (
            user_id == recipient or (own == self.membership(recipient)[0] and role is Role.ADMIN)
        ):
            raise problem("not_found", label="PartnershipProposal", id=proposal_id)
        current = self.graph.nodes[proposal_id]["status"]
        if current not in {RequestStatus.PENDING, status}:
            raise problem(
                "already_decided", label="PartnershipProposal", id=proposal_id, status=current
            )

    def _check_representative(self, user_id: str) -> None:
        _, role = self.membership(user_id)
        if role not in ADVANCED_ROLES:
            raise problem("role_too_low", user=user_id, role=role, required="ADVANCED_USER")
        self.require_usable(user_id)

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
        with self._lock:
            self._check_answer(proposal_id, user_id, status)
            attrs = self.graph.nodes[proposal_id]
            if attrs["status"] != RequestStatus.PENDING:
                return self.proposal_record(proposal_id)  # answered so already
            proposer = self.sources(proposal_id, "PROPOSED")[0]
            recipient = self.targets(proposal_id, "TO")[0]
            if accept:
                self._check_representative(recipient)
                self._check_representative(proposer)
                env, other = self.membership(proposer)[0], self.membership(recipient)[0]
                partnership = self.partnership_between(env, other)
                if partnership is None:
                    partnership = partnership_id
                    self._new_partnership(partnership, env, other, PartnershipOrigin.MANUAL, at)
                    self.add_edge(proposer, partnership, "REPRESENTS")
                    self.add_edge(recipient, partnership, "REPRESENTS")
                    self._index_partnership(partnership)
                self._connect(proposer, recipient, "PARTNERSHIP", at)
                attrs["partnership"] = partnership
            attrs["status"] = str(status)
            attrs["decidedAt"] = at
            attrs["decidedBy"] = user_id
            self._by_pending_pair.pop(attrs.pop("pendingKey", ""), None)
            return self.proposal_record(proposal_id)

    async def list_partnership_proposals(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[PartnershipProposal]:
        with self._lock:
            self.node(user_id, "User")
            if incoming:
                env, role = self.membership(user_id)
                answerable = self.members(env) if role is Role.ADMIN else [user_id]
                ids = [p for u in answerable for p in self.sources(u, "TO")]
            else:
                ids = self.targets(user_id, "PROPOSED")
            found = [
                self.proposal_record(p)
                for p in sorted(set(ids))
                if self.has(p, "PartnershipProposal")
                and (status is None or self.graph.nodes[p]["status"] == status)
            ]
            return paginate(found, lambda p: p.id, page)
