"""Partnerships, the requests that wait for an answer (authorization requests,
invitations, proposals), connections and invite decisions (DESIGN §3.1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from graph_engine.model.provisioning import Role


class PartnershipOrigin(StrEnum):
    MANUAL = "MANUAL"
    AUTHORIZATION = "AUTHORIZATION"


class RequestStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class DecisionCode(StrEnum):
    """Why ``canInvite`` said yes or no; checked in this order (DESIGN §3.1).

    ``SELF_INVITE`` comes first: "a user cannot invite themself" holds whatever the
    inviter's standing, so asking about oneself always gets that answer (an ``ADMIN``
    without access to an organisation takes it with ``grantAccess``).
    """

    SELF_INVITE = "SELF_INVITE"
    SAME_ENVIRONMENT = "SAME_ENVIRONMENT"
    PARTNER_CONNECTED = "PARTNER_CONNECTED"
    INVITER_INACTIVE = "INVITER_INACTIVE"
    INVITER_LOGIN_BLOCKED = "INVITER_LOGIN_BLOCKED"
    INVITER_NOT_AUTHORISED = "INVITER_NOT_AUTHORISED"
    INVITEE_INACTIVE = "INVITEE_INACTIVE"
    INVITEE_LOGIN_BLOCKED = "INVITEE_LOGIN_BLOCKED"
    ALREADY_HAS_ACCESS = "ALREADY_HAS_ACCESS"
    NO_PARTNERSHIP = "NO_PARTNERSHIP"
    INVITEE_ROLE_TOO_LOW = "INVITEE_ROLE_TOO_LOW"
    NOT_CONNECTED = "NOT_CONNECTED"


class ConnectionRule(StrEnum):
    """Which rule says two users should be connected (DESIGN §3.1)."""

    REPRESENTATIVES = "REPRESENTATIVES"
    REQUEST_SENDER = "REQUEST_SENDER"
    RELATIONSHIP_MANAGER = "RELATIONSHIP_MANAGER"


class FixAction(StrEnum):
    """The mutation that turns a denial into an allowance, by its name (so also in
    GraphQL, and as in a refusal's ``extensions.fix.action``)."""

    connect = "connect"


@dataclass(frozen=True, slots=True)
class Partnership:
    id: str
    environment_ids: tuple[str, str]
    representative_ids: tuple[str, ...]
    origin: PartnershipOrigin
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    id: str
    sender_id: str
    recipient_id: str
    organisation_id: str
    software: str
    status: RequestStatus
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class PartnershipProposal:
    """A proposal to partner two environments, pending until the other side answers.

    ``recipient_id`` is the user chosen on the other side; they, or an ADMIN of
    their environment, accept or decline. ``partnership_id`` names the
    partnership an acceptance created (or joined, when one existed by then).
    """

    id: str
    proposer_id: str
    recipient_id: str
    status: RequestStatus
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    partnership_id: str | None


@dataclass(frozen=True, slots=True)
class Invitation:
    id: str
    inviter_id: str
    invitee_id: str
    organisation_id: str
    role: Role
    status: RequestStatus
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What accepting an authorization request did (idempotent: may be all no-ops)."""

    request: AuthorizationRequest
    partnership: Partnership
    partnership_created: bool
    connected_user_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PathNode:
    id: str
    label: str
    name: str


@dataclass(frozen=True, slots=True)
class PathRelationship:
    type: str
    start_id: str
    end_id: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    """An action that would turn a denial into an allowance."""

    action: str
    user_ids: tuple[str, ...]

    @property
    def description(self) -> str:
        """The fix in words."""
        a, b = self.user_ids
        return f"Connect {a} with {b} (mutation connect), then ask again."


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to "may I invite J to O", with the facts that decided it.

    It names its subject (the inviter asked about, the invitee, the organisation)
    and says why in ``reason``, built where the decision is made
    (:mod:`graph_engine.store.decisions`).
    """

    allowed: bool
    code: DecisionCode
    inviter_id: str
    invitee_id: str
    organisation_id: str
    reason: str
    nodes: tuple[PathNode, ...]
    relationships: tuple[PathRelationship, ...]
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class MissingConnection:
    user_id: str
    peer_id: str
    rule: ConnectionRule
    partnership_id: str | None
