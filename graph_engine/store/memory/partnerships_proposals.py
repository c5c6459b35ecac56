"""Partnership proposals in memory: consent before two environments are partnered.

The same rules as ``queries/partnerships/propose_partnership.cypher`` and
``queries/partnerships/answer_partnership_proposal.cypher``; every operation holds the store's
lock, checks everything, then writes. A proposal is a request that waits for an
answer (``partnerships_requests.py``: listed, checked and declined like the others);
what is its own is that acceptance partners the two environments.
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
)
from graph_engine.store import quota, records
from graph_engine.store.memory.partnerships import PartnershipOps
from graph_engine.store.memory.partnerships_requests import PARTNERSHIP_PROPOSAL, RequestOps
from graph_engine.store.pagination import paginate, pair_key


class ProposalOps(PartnershipOps, RequestOps):
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
            # Per environment: an ADMIN proposes for any of its users.
            sent = [q for u in self.members(env) for q in self.targets(u, "PROPOSED")]
            wait = quota.retry_after((self.graph.nodes[q]["createdAt"] for q in sent), at)
            if wait is not None:
                raise problem("propose_quota", limit=quota.SEND_LIMIT, retryAfter=wait)
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
            if self._answerable(PARTNERSHIP_PROPOSAL, proposal_id, user_id, status) != (
                RequestStatus.PENDING
            ):
                return self.proposal_record(proposal_id)  # answered so already
            attrs = self.graph.nodes[proposal_id]
            proposer = self.sender_of(PARTNERSHIP_PROPOSAL, proposal_id)
            recipient = self.recipient_of(proposal_id)
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
            self._decide(proposal_id, status, at, by=user_id)
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
            found = [
                self.proposal_record(p)
                for p in self._requests(
                    PARTNERSHIP_PROPOSAL, user_id, incoming=incoming, status=status
                )
            ]
            return paginate(found, lambda p: p.id, page)
