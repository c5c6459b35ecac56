"""Enums and the frozen records that stores return.

Stores speak in these types and nothing else, so services and the API never see
a stored property dict or a Neo4j record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Role(StrEnum):
    """A user's role in their environment (``MEMBER_OF.role``)."""

    ADMIN = "ADMIN"
    CONSULTANT = "CONSULTANT"
    ADVANCED_USER = "ADVANCED_USER"
    USER = "USER"
    CLIENT = "CLIENT"
    CANDIDATE = "CANDIDATE"


# Roles that may manage partnerships and be relationship managers or partner invitees.
ADVANCED_ROLES = frozenset({Role.ADMIN, Role.ADVANCED_USER})
# Roles a HAS_ACCESS edge may carry.
ACCESS_ROLES = frozenset({Role.ADMIN, Role.ADVANCED_USER, Role.USER})
# Roles that schedule and end maintenance windows and keep working during one (DESIGN §3.5).
MAINTENANCE_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT})


class Billing(StrEnum):
    PER_LICENCE = "PER_LICENCE"
    PER_PROCESSED_HOUR = "PER_PROCESSED_HOUR"


class PartnershipOrigin(StrEnum):
    MANUAL = "MANUAL"
    AUTHORIZATION = "AUTHORIZATION"


class RequestStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class PrincipalKind(StrEnum):
    USER = "USER"
    INTEGRATION = "INTEGRATION"
    BACKOFFICE = "BACKOFFICE"
    OPERATOR = "OPERATOR"


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


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


class AuditPrincipal(StrEnum):
    """Who made an audited change: a user, a key of one of the machine kinds, or nobody
    (a public mutation)."""

    USER = "USER"
    INTEGRATION = "INTEGRATION"
    BACKOFFICE = "BACKOFFICE"
    OPERATOR = "OPERATOR"
    ANONYMOUS = "ANONYMOUS"


class FixAction(StrEnum):
    """The mutation that turns a denial into an allowance, by its name (so also in
    GraphQL, and as in a refusal's ``extensions.fix.action``)."""

    connect = "connect"


class DossierKind(StrEnum):
    """What a Carerix dossier is about."""

    CANDIDATE = "CANDIDATE"
    CONTACT = "CONTACT"
    COMPANY = "COMPANY"
    VACANCY = "VACANCY"
    JOB = "JOB"


class NodeLabel(StrEnum):
    """Every node label of the graph (DESIGN §2); the store's allow-list is made of it."""

    Environment = "Environment"
    User = "User"
    Organisation = "Organisation"
    Partnership = "Partnership"
    AuthorizationRequest = "AuthorizationRequest"
    Invitation = "Invitation"
    PartnershipProposal = "PartnershipProposal"
    SignUp = "SignUp"
    LoginThrottle = "LoginThrottle"
    OutboxMail = "OutboxMail"
    SavedFilter = "SavedFilter"
    Licence = "Licence"
    ProcessMessage = "ProcessMessage"
    Dossier = "Dossier"
    Relation = "Relation"
    Subscription = "Subscription"
    Task = "Task"
    MaintenanceWindow = "MaintenanceWindow"
    Session = "Session"
    ApiKey = "ApiKey"
    Application = "Application"
    AuditEvent = "AuditEvent"


class RelationshipType(StrEnum):
    """Every relationship type of the graph (DESIGN §2); the store's allow-list too."""

    MEMBER_OF = "MEMBER_OF"
    BELONGS_TO = "BELONGS_TO"
    HAS_ACCESS = "HAS_ACCESS"
    BETWEEN = "BETWEEN"
    REPRESENTS = "REPRESENTS"
    CONNECTED_WITH = "CONNECTED_WITH"
    SENT = "SENT"
    TO = "TO"
    FOR = "FOR"
    INVITED = "INVITED"
    PROPOSED = "PROPOSED"
    HOLDS_RIGHTS_OF = "HOLDS_RIGHTS_OF"
    ASSIGNED_TO = "ASSIGNED_TO"
    VALID_IN = "VALID_IN"
    ABOUT = "ABOUT"
    IN = "IN"
    DELIVERED_TO = "DELIVERED_TO"
    RESPONSIBLE = "RESPONSIBLE"
    REPORTS_TO = "REPORTS_TO"
    LINKED_TO = "LINKED_TO"
    OF = "OF"
    CONCERNS = "CONCERNS"
    BY = "BY"
    WARNED_OF = "WARNED_OF"
    OWNED_BY = "OWNED_BY"
    ALERTED = "ALERTED"


@dataclass(frozen=True, slots=True)
class Environment:
    id: str
    name: str
    email_domain: str
    billing: Billing
    seat_limit: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    id: str
    environment_id: str
    role: Role
    email: str
    username: str
    name: str
    active: bool
    login_blocked: bool
    mail_enabled: bool
    relationship_manager: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    environment_id: str
    name: str
    activated_software: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Access:
    user_id: str
    organisation_id: str
    role: Role


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


@dataclass(frozen=True, slots=True)
class Dossier:
    """A Carerix dossier (candidate, contact ...) with its one responsible user."""

    id: str
    environment_id: str
    name: str
    kind: str
    responsible_id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DossierFilter:
    """Which dossiers: responsible user equal to an id, or whose name contains a text."""

    responsible_id: str | None = None
    responsible_name_contains: str | None = None


@dataclass(frozen=True, slots=True)
class SeatUsage:
    limit: int | None
    active: int
    inactive: int


class MailOutcome(StrEnum):
    DELIVERED = "DELIVERED"
    FORWARDED = "FORWARDED"
    NO_RECIPIENT = "NO_RECIPIENT"


FORWARD_NOTE = "Dit bericht is doorgestuurd vanuit de inactieve gebruiker"
FORWARD_NOTE_EN = "This message was forwarded from the inactive user"


@dataclass(frozen=True, slots=True)
class MailRoute:
    """Where mail to ``username@emailDomain`` goes (DESIGN §3.3)."""

    address: str
    outcome: MailOutcome
    deliver_to: User | None = None
    forwarded_from: User | None = None
    note: str | None = None
    note_en: str | None = None
    # The environment whose e-mail domain the address is at; None: no such domain.
    environment_id: str | None = None


class LicenceStatus(StrEnum):
    """ASSIGNED to an employee, RELEASED (free to reassign or cancel), or CANCELLED."""

    ASSIGNED = "ASSIGNED"
    RELEASED = "RELEASED"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True, slots=True)
class Ownership:
    """Who holds the ownership rights of an employee in one work company (DESIGN §3.2).

    ``explicit`` is False for the default: nobody else holds them, so the employee
    holds their own (no ``HOLDS_RIGHTS_OF`` edge is stored for that).
    """

    employee_id: str
    work_company_id: str
    holder_id: str
    explicit: bool


@dataclass(frozen=True, slots=True)
class Transfer:
    """The outcome of ``transferOwnership``: the rights that changed hands."""

    moved: tuple[Ownership, ...]
    invalidated_sessions: int


@dataclass(frozen=True, slots=True)
class Licence:
    """A user or access licence; valid in one work company, assigned to at most one user."""

    id: str
    number: str
    work_company_id: str
    assigned_to: str | None
    password_set: bool
    status: LicenceStatus
    started_at: datetime
    cancel_at: datetime | None


@dataclass(frozen=True, slots=True)
class Cancellation:
    """The answer to a cancellation request: its effective date, or why none is needed."""

    needed: bool
    effective_at: datetime | None
    licence: Licence | None
    message: str


@dataclass(frozen=True, slots=True)
class ProcessMessage:
    """A message of the nightly run about an employee in a work company."""

    id: str
    process: str
    employee_id: str
    work_company_id: str
    created_at: datetime
    delivered_at: datetime | None
    delivered_to: str | None


@dataclass(frozen=True, slots=True)
class Relation:
    """A CRM relation inside the vendor's own contractant (``(Relation)-[:IN]->(Environment)``)."""

    id: str
    environment_id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription (abonnement) of a relation; ``ended_at`` is set once it is ended."""

    id: str
    relation_id: str
    active: bool
    created_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A support task concerning one relation."""

    id: str
    relation_id: str
    title: str
    status: TaskStatus
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class RelationLink:
    """The technical set-up (MaxCC) joining a relation to a customer's contractant.

    It is stored on the relation's active subscription
    (``(Subscription)-[:LINKED_TO]->(Environment)``), named by ``subscription_id``;
    ending that subscription ends the link. ``contractant`` is the contractant field
    as stored on the link (the customer environment's id); ``database`` names the
    customer's database.
    """

    relation: Relation
    subscription_id: str
    contractant_id: str
    database: str
    contractant: str
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class SubscriptionCount:
    """Subscriptions counted through a contractant's link (zero when unlinked)."""

    contractant_id: str
    relation_id: str | None
    active: int
    total: int


@dataclass(frozen=True, slots=True)
class SupportTasks:
    """A page of the tasks visible to a contractant: those of its linked relation."""

    contractant_id: str
    relation_id: str | None
    page: Page[Task]


@dataclass(frozen=True, slots=True)
class Location:
    """Where an entity lives: its label and its home environments.

    ``environment_id`` is the one home of an entity that lives in one environment
    (users, organisations, relations ...); ``homes`` lists every environment an
    entity belongs to (both sides of a partnership or a request). Whether a
    caller may see it is the visibility gate's business
    (:mod:`graph_engine.services.visibility`), decided against :class:`Reach`.
    """

    id: str
    label: str
    environment_id: str | None
    homes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reach:
    """What a caller may see (DESIGN §3.0), read live from the graph once per request.

    ``environments`` are the environments whose contents the caller sees: a user's
    own, those partnered with it and those of organisations they have access to; a
    machine key's own; ``None`` means everything (operators). ``introduced`` are
    users outside those environments who addressed a request or a proposal to the
    caller (or, for an ADMIN, to a user of their environment): the sender made
    themself known, so the caller sees that user's record, and nothing under it.
    """

    environments: frozenset[str] | None
    introduced: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return self.environments is None

    def covers(self, environment_id: str | None) -> bool:
        """Is ``environment_id`` one whose contents the caller sees?"""
        if self.environments is None:
            return True
        return environment_id is not None and environment_id in self.environments

    def contains(self, location: Location) -> bool:
        """Does the entity lie within the reached environments (every home covered)?"""
        if self.environments is None:
            return True
        homes = location.homes or (
            (location.environment_id,) if location.environment_id is not None else ()
        )
        return bool(homes) and all(h in self.environments for h in homes)

    def sees(self, location: Location) -> bool:
        """May the caller see this entity's record: within reach, or introduced?"""
        return self.contains(location) or location.id in self.introduced


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """Down time of an environment (DESIGN §3.5); open until ended by hand.

    ``expected_end_at`` is the scheduler's estimate of the end (the article's "een paar
    uur"), told to whoever is locked out; the window does not end by itself there.
    """

    id: str
    environment_id: str
    starts_at: datetime
    ended_at: datetime | None
    created_by: str
    created_at: datetime
    expected_end_at: datetime | None = None

    def active_at(self, when: datetime) -> bool:
        """Started and not yet ended at ``when``."""
        return self.ended_at is None and self.starts_at <= when

    def retry_after(self, when: datetime) -> int | None:
        """Whole seconds from ``when`` to the expected end; None when no end is known
        (none was given, or the estimate has passed and the window is still open)."""
        if self.expected_end_at is None or self.expected_end_at <= when:
            return None
        return max(1, math.ceil((self.expected_end_at - when).total_seconds()))


@dataclass(frozen=True, slots=True)
class Application:
    """A job application sent through a public form (no login)."""

    id: str
    environment_id: str
    name: str
    email: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SignUp:
    """A sign-up waiting for proof of its address or an ADMIN's approval (DESIGN §3.1).

    ``environment_id`` is the environment of the email's domain when it existed at
    sign-up (whose ADMINs may approve); ``password_hash`` is only read to check the
    password given with the token, and never leaves the services.
    """

    id: str
    email: str
    name: str
    environment_id: str | None
    created_at: datetime
    expires_at: datetime
    password_hash: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class SignUpStart:
    """What starting a sign-up did: nothing, for an address that has an account."""

    existing_account: bool
    environment_id: str | None


@dataclass(frozen=True, slots=True)
class Session:
    """A login: open until it is ended (logout, expiry, an ADMIN, a password change ...)."""

    id: str
    user_id: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A machine principal's key (only its hash is stored; the key is shown once)."""

    id: str
    kind: PrincipalKind
    name: str
    environment_id: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """Who changed what, when: one per successful mutation, never a secret."""

    id: str
    action: str
    actor: str | None
    principal: str
    at: datetime
    request_id: str
    ids: tuple[str, ...]
    environment_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutboxMail:
    """A message kept in the graph's outbox (no SMTP server configured)."""

    id: str
    to: str
    subject: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Credentials:
    """What login needs: the password hash, the account's state, and the open window."""

    user_id: str
    password_hash: str | None
    active: bool
    login_blocked: bool
    role: Role | None = None
    maintenance: MaintenanceWindow | None = None
    # Whether the user's environment bills per licence, and whether they hold one.
    per_licence: bool = False
    licensed: bool = False


class RequestScope:
    """What one request has learnt about its caller so far: the caller's reach.

    Held by the :class:`Principal` a request authenticates as (a new one per
    request), so the reach is read from the graph at most once per request and
    never outlives it. A write that can change the reach (a new partnership, a
    granted access) calls :meth:`forget`.
    """

    __slots__ = ("reach",)

    def __init__(self) -> None:
        self.reach: Reach | None = None

    def forget(self) -> None:
        self.reach = None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a logged-in user or a machine principal (API key)."""

    kind: PrincipalKind
    id: str
    environment_id: str | None
    user: User | None = None
    session_id: str | None = None
    invalidated_reason: str | None = None
    # The open maintenance window of the principal's environment, read with it, and
    # whether the user already saw its warning (acknowledgeMaintenanceWarning).
    maintenance: MaintenanceWindow | None = None
    warned: bool = False
    # A session's start and last use; a key's last use and end (None: never).
    started_at: datetime | None = None
    seen_at: datetime | None = None
    expires_at: datetime | None = None
    scope: RequestScope = field(default_factory=RequestScope, compare=False, repr=False)

    @property
    def is_operator(self) -> bool:
        return self.kind is PrincipalKind.OPERATOR

    @classmethod
    def of_user(cls, user: User) -> Principal:
        """The principal of a user who just proved who they are (login, sign-up, activation)."""
        return cls(
            kind=PrincipalKind.USER, id=user.id, environment_id=user.environment_id, user=user
        )


DEFAULT_PAGE = 20


@dataclass(frozen=True, slots=True)
class UserFilter:
    """Which of an environment's users to list (each set field must hold): ``active``
    (false: Carerix's "Inactieve gebruikers"), their environment ``role``, and ``name``
    (a case-insensitive part of the name; the list's ``search`` also looks at e-mail)."""

    active: bool | None = None
    role: Role | None = None
    name: str | None = None

    def admits(self, user: User) -> bool:
        return (
            (self.active is None or user.active == self.active)
            and (self.role is None or user.role == self.role)
            and (self.name is None or self.name.lower() in user.name.lower())
        )


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page of a list to cut, as Relay's cursor connections ask for it.

    ``first`` rows after the cursor ``after`` (walking forward), or the ``last``
    rows before the cursor ``before`` (walking backward); with neither size given,
    the first :data:`DEFAULT_PAGE` rows. A cursor names a row's sort key, so a page
    boundary stays put when rows are added or removed elsewhere in the list.
    """

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backward(self) -> bool:
        """True when the page is the last rows before ``before`` (``last`` given)."""
        return self.last is not None

    @property
    def size(self) -> int:
        if self.last is not None:
            return self.last
        return DEFAULT_PAGE if self.first is None else self.first


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a cursor-paginated list, in list order, each item with its cursor.

    ``has_next_page`` and ``has_previous_page`` are exact in the direction walked
    (more rows beyond the page). The other one says whether the page was cut
    relative to a cursor on that side (``after`` when walking forward, ``before``
    when walking backward), as the Relay specification allows: the rows up to that
    cursor were there when it was handed out, and rows deleted since are not looked
    for. ``total_count`` is the size of the whole list (cursors aside) where a store
    can tell it cheaply, else None.
    """

    items: Sequence[T]
    end_cursor: str | None
    has_next_page: bool
    start_cursor: str | None = None
    has_previous_page: bool = False
    cursors: Sequence[str] = ()
    total_count: int | None = None


@dataclass(frozen=True, slots=True)
class InSession(Generic[T]):
    """A read asked with a session token, answered in the round trip that resolved the
    session. The answer (or its refusal) counts only once the session has been admitted
    (``IdentityService.admit``): an ended session hears why it ended, not the answer."""

    principal: Principal
    value: T | None = None
    refusal: Exception | None = None

    def answer(self) -> T:
        if self.refusal is not None:
            raise self.refusal
        if self.value is None:  # pragma: no cover - a store built neither
            raise AssertionError("an answer in session has a value or a refusal")
        return self.value


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A raw node for bulk import/export (property names as stored)."""

    label: str
    id: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelRecord:
    """A raw relationship for bulk import/export."""

    type: str
    start: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GraphData:
    nodes: tuple[NodeRecord, ...] = ()
    relationships: tuple[RelRecord, ...] = ()

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> GraphData:
        return cls(
            nodes=tuple(
                NodeRecord(n["label"], n["id"], dict(n.get("props", {}))) for n in raw["nodes"]
            ),
            relationships=tuple(
                RelRecord(r["type"], r["start"], r["end"], dict(r.get("props", {})))
                for r in raw["relationships"]
            ),
        )


@dataclass(frozen=True, slots=True)
class SavedFilter:
    """A user's saved search over their environment's dossiers, mailed as alerts.

    A dossier matches when it was created at or after the filter was saved, is of
    ``kind`` (any kind when None), and its name contains ``name_contains`` (any name
    when None, case-insensitive).
    """

    id: str
    owner_id: str
    environment_id: str
    name: str
    kind: str | None
    name_contains: str | None
    created_at: datetime
    last_alert_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Alert:
    """The matches of one filter claimed by an alert run: each is claimed once, ever."""

    filter: SavedFilter
    owner: User
    matches: tuple[Dossier, ...]
