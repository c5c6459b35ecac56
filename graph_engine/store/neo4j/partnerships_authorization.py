"""Authorization requests in Neo4j (DESIGN §3.1): A asks B to activate B's organisation.

An authorization request is a request that waits for an answer
(``partnerships_requests.py``: listed and declined like the others); what is its own
is what acceptance does (``accept_authorization_request.cypher``): the organisation
is activated for the software, the two environments are partnered (if they were
not), and B is connected with A and every relationship manager of A's environment.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Acceptance, AuthorizationRequest, Page, PageRequest, RequestStatus
from graph_engine.store import quota
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.partnerships_requests import AUTHORIZATION_REQUEST, RequestOps
from graph_engine.store.pagination import PAIR_SEPARATOR


class AuthorizationOps(RequestOps):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "send_authorization_request",
        "accept_authorization_request",
        "get_authorization_request",
    )

    async def send_authorization_request(
        self,
        *,
        request_id: str,
        sender_id: str,
        recipient_id: str,
        organisation_id: str,
        software: str,
        at: datetime,
    ) -> AuthorizationRequest:
        row = await self._one(
            "send_authorization_request",
            write=True,
            requestId=request_id,
            senderId=sender_id,
            recipientId=recipient_id,
            organisationId=organisation_id,
            software=software,
            at=at,
            limit=quota.SEND_LIMIT,
            windowSeconds=int(quota.SEND_WINDOW.total_seconds()),
        )
        return convert.request(row["request"])

    async def accept_authorization_request(
        self, *, request_id: str, user_id: str, partnership_id: str, at: datetime
    ) -> Acceptance:
        row = await self._one(
            "accept_authorization_request",
            write=True,
            requestId=request_id,
            userId=user_id,
            partnershipId=partnership_id,
            at=at,
            sep=PAIR_SEPARATOR,
        )
        return Acceptance(
            request=convert.request(row["request"]),
            partnership=convert.partnership(row),
            partnership_created=bool(row["partnershipCreated"]),
            connected_user_ids=tuple(sorted(row["connected"])),
        )

    async def decline_authorization_request(
        self, *, request_id: str, user_id: str, at: datetime
    ) -> AuthorizationRequest:
        row = await self._one(
            "decline_request",
            write=True,
            **AUTHORIZATION_REQUEST.params(),
            requestId=request_id,
            userId=user_id,
            at=at,
        )
        return convert.request(row["request"])

    async def get_authorization_request(self, *, request_id: str) -> AuthorizationRequest | None:
        rows = await self._run("get_authorization_request", requestId=request_id)
        return convert.request(rows[0]["request"]) if rows else None

    async def list_authorization_requests(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[AuthorizationRequest]:
        return await self._list_requests(
            AUTHORIZATION_REQUEST,
            convert.request,
            user_id=user_id,
            incoming=incoming,
            status=status,
            page=page,
        )
