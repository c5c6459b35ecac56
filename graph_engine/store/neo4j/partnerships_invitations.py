"""Invite eligibility, invitations and invite candidates in Neo4j.

An invitation is a request that waits for an answer (``partnerships_requests.py``:
listed and declined like the others); what is its own is who may be invited, and
that acceptance grants access.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from neo4j import AsyncManagedTransaction

from graph_engine.model import (
    Decision,
    DecisionCode,
    InSession,
    Invitation,
    Page,
    PageRequest,
    RequestStatus,
    Role,
    User,
)
from graph_engine.store import decisions
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Row, checked
from graph_engine.store.neo4j.identity import answered_in_session
from graph_engine.store.neo4j.partnerships_requests import INVITATION, RequestOps


def _decision(row: Row, inviter_id: str, invitee_id: str, organisation_id: str) -> Decision:
    return decisions.decision(
        row["code"],
        row["nodes"],
        row["relationships"],
        inviter_id=inviter_id,
        invitee_id=invitee_id,
        organisation_id=organisation_id,
    )


class InvitationOps(RequestOps):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "can_invite",
        "invite_lock",
        "invite",
        "accept_invitation",
        "get_invitation",
        "invite_candidates",
    )

    async def can_invite(
        self,
        *,
        inviter_id: str,
        invitee_id: str,
        organisation_id: str,
        viewer_id: str | None = None,
    ) -> Decision:
        # Shared with the decisions asked at the same moment (an integration asking on
        # behalf of its users, an ADMIN for another inviter): store/neo4j/batching.py.
        rows = await self._shared_read(
            "can_invite",
            inviterId=inviter_id,
            inviteeId=invitee_id,
            organisationId=organisation_id,
            viewerId=viewer_id,
        )
        return _decision(checked(rows[0]), inviter_id, invitee_id, organisation_id)

    async def can_invite_in_session(
        self, *, token_hash: str, invitee_id: str, organisation_id: str
    ) -> InSession[Decision] | None:
        rows = await self._read_in_session(
            "can_invite",
            token_hash=token_hash,
            as_user=("viewerId", "inviterId"),
            inviteeId=invitee_id,
            organisationId=organisation_id,
        )
        return answered_in_session(
            rows, lambda p, row: _decision(row, p.id, invitee_id, organisation_id)
        )

    async def invite(
        self,
        *,
        invitation_id: str,
        inviter_id: str,
        invitee_id: str,
        organisation_id: str,
        role: Role,
        at: datetime,
    ) -> Invitation:
        ids: dict[str, Any] = {
            "inviterId": inviter_id,
            "inviteeId": invitee_id,
            "organisationId": organisation_id,
        }
        decide = {**ids, "viewerId": None}

        # Lock the invitee, decide, then write — one transaction, so the decision
        # still holds when the invitation is written.
        async def work(tx: AsyncManagedTransaction) -> Invitation:
            await self._tx_rows(tx, "invite_lock", inviteeId=invitee_id)
            decision = _decision(
                checked((await self._tx_rows(tx, "can_invite", **decide))[0]),
                inviter_id,
                invitee_id,
                organisation_id,
            )
            if not decision.allowed:
                raise decisions.not_eligible(decision)
            rows = await self._tx_rows(
                tx,
                "invite",
                invitationId=invitation_id,
                role=str(role),
                at=at,
                atOnce=decision.code is DecisionCode.SAME_ENVIRONMENT,
                **ids,
            )
            return convert.invitation(checked(rows[0])["invitation"])

        return await self._transaction(work)

    async def accept_invitation(
        self, *, invitation_id: str, user_id: str, at: datetime
    ) -> Invitation:
        row = await self._one(
            "accept_invitation", write=True, invitationId=invitation_id, userId=user_id, at=at
        )
        return convert.invitation(row["invitation"])

    async def decline_invitation(
        self, *, invitation_id: str, user_id: str, at: datetime
    ) -> Invitation:
        row = await self._one(
            "decline_request",
            write=True,
            **INVITATION.params(),
            requestId=invitation_id,
            userId=user_id,
            at=at,
        )
        return convert.invitation(row["request"])

    async def get_invitation(self, *, invitation_id: str) -> Invitation | None:
        rows = await self._run("get_invitation", invitationId=invitation_id)
        return convert.invitation(rows[0]["invitation"]) if rows else None

    async def list_invitations(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[Invitation]:
        return await self._list_requests(
            INVITATION,
            convert.invitation,
            user_id=user_id,
            incoming=incoming,
            status=status,
            page=page,
        )

    async def invite_candidates(
        self,
        *,
        inviter_id: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
        viewer_id: str | None = None,
    ) -> Page[User]:
        row = await self._one(
            "invite_candidates",
            inviterId=inviter_id,
            organisationId=organisation_id,
            viewerId=viewer_id,
            search=search.lower() if search else None,
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], convert.user, lambda u: u.id, page)

    async def invite_candidates_in_session(
        self,
        *,
        token_hash: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
    ) -> InSession[Page[User]] | None:
        rows = await self._read_in_session(
            "invite_candidates",
            token_hash=token_hash,
            as_user=("viewerId", "inviterId"),
            organisationId=organisation_id,
            search=search.lower() if search else None,
            **convert.page_params(page),
        )
        return answered_in_session(
            rows, lambda _, row: convert.to_page(row["items"], convert.user, lambda u: u.id, page)
        )
