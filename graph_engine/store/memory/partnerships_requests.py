"""Requests that wait for an answer, in memory: one shape for three kinds.

An invitation, an authorization request and a partnership proposal are each a node
``(sender)-[:<sent>]->(request)-[:TO]->(recipient)`` with a status (``PENDING``,
``ACCEPTED``, ``DECLINED``). They are listed, checked before an answer and declined
by the same code here, parametrised by a :class:`Kind` from the fixed list below;
they differ only in what acceptance does (``partnerships_invitations.py``,
``partnerships_authorization.py``, ``partnerships_proposals.py``). The Neo4j store
shares the same way (``store/neo4j/partnerships_requests.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import RequestStatus, Role
from graph_engine.store.memory.graph import MemoryGraph


@dataclass(frozen=True)
class Kind:
    """A kind of request: its label, the sender's relationship to it, who answers."""

    label: str
    sent: str
    # An ADMIN of the recipient's environment may answer (and sees it among theirs).
    admins_answer: bool = False


INVITATION = Kind("Invitation", "INVITED")
AUTHORIZATION_REQUEST = Kind("AuthorizationRequest", "SENT")
PARTNERSHIP_PROPOSAL = Kind("PartnershipProposal", "PROPOSED", admins_answer=True)


class RequestOps(MemoryGraph):
    def sender_of(self, kind: Kind, request_id: str) -> str:
        return self.sources(request_id, kind.sent)[0]

    def recipient_of(self, request_id: str) -> str:
        return self.targets(request_id, "TO")[0]

    def _answerable(self, kind: Kind, request_id: str, user_id: str, answer: RequestStatus) -> str:
        """Check that ``user_id`` may give ``answer``; return the current status.

        Only the parties know of a request: the sender is told who answers, anyone
        else (but an ADMIN of the recipient's environment, where that kind allows it)
        sees no such request. Answering again the way it was answered is no error.
        """
        attrs = self.node(request_id, kind.label)
        recipient = self.recipient_of(request_id)
        if user_id != recipient:
            if user_id in self.sources(request_id, kind.sent):
                raise problem("not_recipient", recipient=recipient, label=kind.label, id=request_id)
            if not (kind.admins_answer and self._admin_beside(user_id, recipient)):
                raise problem("not_found", label=kind.label, id=request_id)
        status = str(attrs["status"])
        if status not in {RequestStatus.PENDING, answer}:
            raise problem("already_decided", label=kind.label, id=request_id, status=status)
        return status

    def _admin_beside(self, user_id: str, recipient_id: str) -> bool:
        """Is ``user_id`` an ADMIN of the recipient's environment?"""
        own, role = self.membership(user_id)
        return role is Role.ADMIN and own == self.membership(recipient_id)[0]

    def _decide(
        self, request_id: str, answer: RequestStatus, at: datetime, by: str | None = None
    ) -> None:
        attrs = self.graph.nodes[request_id]
        attrs["status"] = str(answer)
        attrs["decidedAt"] = at
        if by is not None:
            attrs["decidedBy"] = by

    def _decline(self, kind: Kind, request_id: str, user_id: str, at: datetime) -> None:
        """Decline a pending request as its recipient; declining again changes nothing."""
        if self._answerable(kind, request_id, user_id, RequestStatus.DECLINED) == (
            RequestStatus.PENDING
        ):
            self._decide(request_id, RequestStatus.DECLINED, at)

    def _requests(
        self, kind: Kind, user_id: str, *, incoming: bool, status: RequestStatus | None
    ) -> list[str]:
        """Ids of the requests a user may answer (``incoming``) or has sent, in id order."""
        self.node(user_id, "User")
        if incoming:
            recipients = [user_id]
            if kind.admins_answer:
                env, role = self.membership(user_id)
                if role is Role.ADMIN:
                    recipients = self.members(env)
            ids = {r for u in recipients for r in self.sources(u, "TO")}
        else:
            ids = set(self.targets(user_id, kind.sent))
        return [
            r
            for r in sorted(ids)
            if self.has(r, kind.label)
            and (status is None or self.graph.nodes[r]["status"] == status)
        ]
