"""Requests that wait for an answer, in Neo4j: one shape for three kinds.

An invitation, an authorization request and a partnership proposal are each a node
``(sender)-[:<sent>]->(request)-[:TO]->(recipient)`` with a status. They are listed
by one statement (``list_requests.cypher``), and invitations and authorization
requests declined by one (``decline_request.cypher``), given a :class:`Kind` from
the fixed list below: the label and relationship type reach the statement as
``$parameters`` compared with the node's labels, never spliced into its text. Every
statement returns a request as its properties with ``sender``, ``recipient`` and
``organisation``. What acceptance does is each kind's own
(``partnerships_invitations.py``, ``partnerships_authorization.py``,
``partnerships_proposals.py``); the memory store shares the same way
(``store/memory/partnerships_requests.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from graph_engine.model import (
    AuthorizationRequest,
    Invitation,
    Page,
    PageRequest,
    PartnershipProposal,
    RequestStatus,
)
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase

# The three kinds of request, as records.
R = TypeVar("R", Invitation, AuthorizationRequest, PartnershipProposal)


@dataclass(frozen=True)
class Kind:
    """A kind of request: its label, the sender's relationship to it, who answers."""

    label: str
    sent: str
    # An ADMIN of the recipient's environment may answer (and sees it among theirs).
    admins_answer: bool = False

    def params(self) -> dict[str, Any]:
        return {"label": self.label, "sent": self.sent, "adminsAnswer": self.admins_answer}


INVITATION = Kind("Invitation", "INVITED")
AUTHORIZATION_REQUEST = Kind("AuthorizationRequest", "SENT")
PARTNERSHIP_PROPOSAL = Kind("PartnershipProposal", "PROPOSED", admins_answer=True)


class RequestOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = ("list_requests", "decline_request")

    async def _list_requests(
        self,
        kind: Kind,
        build: Callable[[convert.Row], R],
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[R]:
        """The requests of ``kind`` a user may answer (``incoming``) or has sent."""
        row = await self._one(
            "list_requests",
            **kind.params(),
            userId=user_id,
            incoming=incoming,
            status=None if status is None else str(status),
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], build, lambda r: r.id, page)
