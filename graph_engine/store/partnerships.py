"""The partnerships capability's store protocol: partnerships and the requests that wait
for an answer (proposals, authorization requests, invitations)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    Acceptance,
    AuthorizationRequest,
    Decision,
    InSession,
    Invitation,
    MissingConnection,
    Page,
    PageRequest,
    Partnership,
    PartnershipOrigin,
    PartnershipProposal,
    RequestStatus,
    Role,
    User,
)


class PartnershipStore(Protocol):
    """Partnerships, their proposals, authorization requests, connections and invitations
    (DESIGN §3.1)."""

    async def create_partnership(
        self,
        *,
        partnership_id: str,
        user_id: str,
        partner_user_id: str,
        origin: PartnershipOrigin,
        at: datetime,
    ) -> Partnership:
        """Join the two users' environments and connect the two users."""

    async def get_partnership(self, *, partnership_id: str) -> Partnership | None: ...

    async def list_partnerships(
        self,
        *,
        environment_id: str,
        page: PageRequest,
        within: Collection[str] | None = None,
    ) -> Page[Partnership]:
        """An environment's partnerships; with ``within``, only those whose two sides both
        lie in it (the caller's reach), filtered before paging."""

    async def propose_partnership(
        self, *, proposal_id: str, proposer_id: str, recipient_id: str, at: datetime
    ) -> PartnershipProposal:
        """Propose partnering the proposer's environment with the recipient's.

        The proposer must be an active ADVANCED_USER or ADMIN; the two environments
        must differ and not be partners yet; one proposal per (proposing environment,
        chosen user) may be pending.
        The recipient's standing is checked at acceptance, so proposing reveals
        nothing about them.
        """

    async def answer_partnership_proposal(
        self,
        *,
        proposal_id: str,
        user_id: str,
        accept: bool,
        partnership_id: str,
        at: datetime,
    ) -> PartnershipProposal:
        """Accept or decline, as the recipient or an ADMIN of the recipient's environment.

        Accepting creates the partnership (or joins one created meanwhile) with the
        proposer and the recipient as representatives, connected; both must be
        active ADVANCED_USERs or ADMINs by then. Anyone else gets NOT_FOUND (the
        proposer: ``not_recipient``). The same answer twice changes nothing.
        """

    async def list_partnership_proposals(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[PartnershipProposal]:
        """Proposals the user may answer (``incoming``) or has made, by id."""

    async def send_authorization_request(
        self,
        *,
        request_id: str,
        sender_id: str,
        recipient_id: str,
        organisation_id: str,
        software: str,
        at: datetime,
    ) -> AuthorizationRequest: ...

    async def accept_authorization_request(
        self, *, request_id: str, user_id: str, partnership_id: str, at: datetime
    ) -> Acceptance: ...

    async def decline_authorization_request(
        self, *, request_id: str, user_id: str, at: datetime
    ) -> AuthorizationRequest: ...

    async def get_authorization_request(
        self, *, request_id: str
    ) -> AuthorizationRequest | None: ...

    async def list_authorization_requests(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[AuthorizationRequest]: ...

    async def set_relationship_manager(
        self, *, user_id: str, enabled: bool, at: datetime
    ) -> tuple[User, tuple[str, ...]]:
        """Set the flag; when set, connect with every acceptor of the environment's requests.

        Returns the user and the ids of the users newly connected with them.
        """

    async def connect(self, *, user_id: str, peer_id: str, via: str, at: datetime) -> bool:
        """Connect two users of partnered environments; False when already connected."""

    async def list_connections(
        self,
        *,
        user_id: str,
        page: PageRequest,
        within: Collection[str] | None = None,
    ) -> Page[User]:
        """A user's connections; with ``within``, only peers of those environments."""

    async def missing_connections(
        self, *, environment_id: str | None, page: PageRequest
    ) -> Page[MissingConnection]: ...

    async def repair_connections(
        self, *, partnership_id: str, at: datetime
    ) -> list[MissingConnection]: ...

    async def can_invite(
        self,
        *,
        inviter_id: str,
        invitee_id: str,
        organisation_id: str,
        viewer_id: str | None = None,
    ) -> Decision:
        """DESIGN §3.1: the decision, with its subject, path and reason in words
        (assembled by :func:`graph_engine.store.decisions.decision`). With ``viewer_id``,
        first NOT_FOUND for an invitee or organisation that does not exist or lies outside
        the viewer's reach (``reach``'s environments): the two are one answer."""

    async def can_invite_in_session(
        self, *, token_hash: str, invitee_id: str, organisation_id: str
    ) -> InSession[Decision] | None:
        """``resolve_session`` and ``can_invite`` with the session's user as inviter and
        viewer, in one round trip; None for an unknown token."""

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
        """Invite if eligible: same environment grants at once, a partner's is pending."""

    async def accept_invitation(
        self, *, invitation_id: str, user_id: str, at: datetime
    ) -> Invitation: ...

    async def decline_invitation(
        self, *, invitation_id: str, user_id: str, at: datetime
    ) -> Invitation: ...

    async def get_invitation(self, *, invitation_id: str) -> Invitation | None: ...

    async def list_invitations(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[Invitation]: ...

    async def invite_candidates(
        self,
        *,
        inviter_id: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
        viewer_id: str | None = None,
    ) -> Page[User]:
        """Exactly the users ``inviter`` may invite to the organisation (see can_invite).
        With ``viewer_id``, NOT_FOUND for an organisation outside the viewer's reach, and
        only users within it."""

    async def invite_candidates_in_session(
        self,
        *,
        token_hash: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
    ) -> InSession[Page[User]] | None:
        """``resolve_session`` and ``invite_candidates`` with the session's user as inviter
        and viewer, in one round trip; None for an unknown token."""
