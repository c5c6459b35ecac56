"""The GraphStore protocol: every operation the engine performs on the graph.

Two implementations keep the same contract, and one conformance suite
(``tests/conformance``) holds them to it:

* :class:`graph_engine.store.neo4j.Neo4jStore` runs one Cypher statement per
  operation (``queries/<operation>.cypher``) in one transaction;
* :class:`graph_engine.store.memory.MemoryStore` runs the same operation over an
  in-process graph under a lock.

Rules that decide (eligibility, "at most one" invariants) live here, inside the
operation, so they hold under concurrent writers. Who the caller is and whether
they may ask is the services' business, not the store's.

Conventions: ids are strings chosen by the caller (services draw them from
:mod:`graph_engine.ids`), times are timezone-aware datetimes passed in (stores
never read a clock), refusals are raised as :class:`graph_engine.errors.GraphEngineError`
built by :func:`graph_engine.errors.problem`, lists are sorted by id (or a pair
of ids) and cut into pages by a :class:`graph_engine.model.PageRequest` — ``first``
rows after a cursor or ``last`` rows before one — with the keyset cursors of
:mod:`graph_engine.store.pagination`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from graph_engine.audit import Pending
from graph_engine.model import (
    Acceptance,
    Access,
    Alert,
    ApiKey,
    Application,
    AuditEvent,
    AuthorizationRequest,
    Billing,
    Cancellation,
    Credentials,
    Decision,
    Dossier,
    DossierFilter,
    Environment,
    GraphData,
    InSession,
    Invitation,
    Licence,
    Location,
    MailRoute,
    MaintenanceWindow,
    MissingConnection,
    NodeRecord,
    Organisation,
    OutboxMail,
    Ownership,
    Page,
    PageRequest,
    Partnership,
    PartnershipOrigin,
    PartnershipProposal,
    Principal,
    PrincipalKind,
    ProcessMessage,
    Reach,
    Relation,
    RelationLink,
    RequestStatus,
    Role,
    SavedFilter,
    SeatUsage,
    Session,
    SignUp,
    SignUpStart,
    Subscription,
    SubscriptionCount,
    SupportTasks,
    Task,
    TaskStatus,
    Transfer,
    User,
    UserFilter,
)

# The operations that write. Each writes the running mutation's audit event in its own
# transaction (graph_engine.audit); tests/test_project.py checks the list against the
# Neo4j store's write statements.
WRITE_OPERATIONS = frozenset(
    {
        "accept_authorization_request",
        "accept_invitation",
        "acknowledge_maintenance_warning",
        "activate_account",
        "add_outbox_mail",
        "answer_partnership_proposal",
        "assign_licence",
        "clear_login_failures",
        "close_task",
        "complete_sign_up",
        "connect",
        "create_api_key",
        "create_dossier",
        "create_environment",
        "create_organisation",
        "create_partnership",
        "create_relation",
        "create_session",
        "create_subscription",
        "create_task",
        "create_user",
        "decline_authorization_request",
        "decline_invitation",
        "decline_sign_up",
        "delete_filter",
        "deliver_process_messages",
        "end_maintenance",
        "end_subscription",
        "end_session",
        "end_sessions",
        "grant_access",
        "import_graph",
        "invite",
        "link_relation",
        "propose_partnership",
        "reassign_dossiers",
        "record_login_failure",
        "rehang_tasks",
        "release_licence",
        "relink_relation",
        "rename_user",
        "repair_connections",
        "request_licence_cancellation",
        "reset_password",
        "save_filter",
        "restore_own_rights",
        "revoke_access",
        "revoke_api_key",
        "rotate_api_key",
        "run_alerts",
        "run_nightly_processing",
        "schedule_maintenance",
        "send_authorization_request",
        "set_activation_token",
        "set_mail_enabled",
        "set_password",
        "set_relationship_manager",
        "set_reports_to",
        "set_reset_token",
        "set_user_role",
        "set_user_status",
        "start_sign_up",
        "submit_application",
        "touch_api_key",
        "touch_session",
        "transfer_ownership",
        "unlink_relation",
    }
)


def operations() -> frozenset[str]:
    """Every operation of the store protocol (what the metrics count and time)."""
    return frozenset(
        name
        for name, value in vars(GraphStore).items()
        if callable(value) and not name.startswith("_")
    )


@runtime_checkable
class GraphStore(Protocol):
    """Async protocol shared by the Neo4j and memory stores."""

    name: str

    # -- lifecycle -----------------------------------------------------------------
    async def migrate(self) -> None:
        """Create constraints and indexes (idempotent)."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """True when the store answers a trivial query."""

    async def clear(self) -> None:
        """Delete every node and relationship (tests, demo reloads)."""

    async def import_graph(self, data: GraphData) -> None:
        """Write raw nodes and relationships as given ("straight into the store")."""

    async def graph_size(self) -> tuple[int, int]:
        """How many nodes and relationships the store holds."""

    def export_pages(self, page_size: int = 10_000) -> AsyncIterator[GraphData]:
        """Every node, then every relationship, in pages of about ``page_size`` records
        (analysis snapshots of big graphs: never one giant result)."""
        ...

    async def expand(self, *, ids: Sequence[str], limit: int) -> GraphData:
        """The nodes ``ids`` and up to ``limit`` relationships touching them, with the nodes
        at their other ends (unknown ids are left out)."""

    async def find_nodes(self, *, search: str, limit: int) -> list[NodeRecord]:
        """Users and organisations whose name (or email) contains ``search`` (lowercase)."""

    async def export_graph(self) -> GraphData:
        """Every node and relationship, as raw records."""

    # -- identity ------------------------------------------------------------------
    async def get_credentials(self, *, email: str) -> Credentials | None: ...

    async def create_session(
        self, *, session_id: str, user_id: str, token_hash: str, at: datetime
    ) -> None: ...

    async def resolve_session(self, *, token_hash: str) -> Principal | None: ...

    async def end_session(self, *, token_hash: str, at: datetime, reason: str) -> bool: ...

    # -- login throttle: counters shared by every server process ---------------------
    async def login_throttle(self, *, keys: Sequence[str], at: datetime) -> int | None:
        """Seconds login must still wait by the counters ``keys``; None: no wait."""

    async def record_login_failure(
        self,
        *,
        free: Mapping[str, int],
        cap_seconds: int,
        forget_before: datetime,
        at: datetime,
    ) -> None:
        """Count a failed login on each counter (``free``: its failures before waits begin).

        After those, each failure doubles the wait before the next attempt, up to
        ``cap_seconds``; a counter with no failure since ``forget_before`` starts again.
        Safe under concurrent writers (the counters are locked).
        """

    async def clear_login_failures(self, *, keys: Sequence[str]) -> None: ...

    async def activity(self, *, idle_since: datetime, born_since: datetime) -> tuple[int, int]:
        """(sessions in use, open maintenance windows): what the metrics' gauges show."""

    async def touch_session(self, *, session_id: str, at: datetime) -> None:
        """Note that an open session was used at ``at`` (its idle clock)."""

    async def list_sessions(self, *, user_id: str, page: PageRequest) -> Page[Session]:
        """A user's open sessions, by id."""

    async def end_sessions(
        self,
        *,
        user_id: str,
        at: datetime,
        reason: str,
        session_id: str | None = None,
        keep: str | None = None,
    ) -> int:
        """End a user's open sessions with ``reason``: the one ``session_id``, or all but
        ``keep``; returns how many ended."""

    async def set_password(self, *, user_id: str, password_hash: str, at: datetime) -> None: ...

    async def set_reset_token(self, *, email: str, token_hash: str, at: datetime) -> str | None:
        """Give the account of ``email`` a password-reset token; its id, or None (no account)."""

    async def reset_holder(self, *, token_hash: str, valid_from: datetime) -> User | None:
        """The user a reset token issued at or after ``valid_from`` belongs to."""

    async def reset_password(
        self,
        *,
        token_hash: str,
        password_hash: str,
        valid_from: datetime,
        reason: str,
        at: datetime,
    ) -> User | None:
        """Set the password with a fresh reset token (used up); every open session ends."""

    async def create_api_key(
        self,
        *,
        key_id: str,
        kind: PrincipalKind,
        name: str,
        key_hash: str,
        environment_id: str | None,
        at: datetime,
        expires_at: datetime | None = None,
    ) -> None: ...

    async def touch_api_key(self, *, key_id: str, at: datetime) -> None:
        """Note that a key was used at ``at``."""

    async def list_api_keys(
        self,
        *,
        environment_id: str | None,
        kind: PrincipalKind | None,
        page: PageRequest,
    ) -> Page[ApiKey]:
        """Keys by id: one environment's, or (``environment_id`` None) every key."""

    async def get_api_key(self, *, key_id: str) -> ApiKey | None: ...

    async def revoke_api_key(self, *, key_id: str, at: datetime) -> ApiKey | None:
        """Revoke a key (None: no such key); it fails from the next request on."""

    async def rotate_api_key(
        self, *, key_id: str, new_key_id: str, new_key_hash: str, at: datetime
    ) -> ApiKey:
        """Revoke a key and create its successor (same kind, name, environment, end) at once."""

    async def resolve_api_key(self, *, key_hash: str) -> Principal | None: ...

    # Sessions, API keys and credentials come with the open maintenance window of
    # their environment (``maintenance``), so that gating a request costs no extra query.

    async def set_activation_token(self, *, user_id: str, token_hash: str, at: datetime) -> None:
        """Give a user without a password a one-time activation token (replacing any earlier)."""

    async def activation_holder(self, *, token_hash: str, valid_from: datetime) -> User | None:
        """The user holding an unused activation token issued at or after ``valid_from``."""

    async def activate_account(
        self, *, token_hash: str, password_hash: str, valid_from: datetime, at: datetime
    ) -> User | None:
        """Set the first password of the holder of a token issued at or after ``valid_from``.

        The token is used up; None when no user holds such a token.
        """

    # -- audit trail ---------------------------------------------------------------------
    async def record_audit_event(self, *, event: Pending) -> None:
        """Write a mutation's event that no write carried (it wrote nothing)."""

    async def list_audit_events(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[AuditEvent]:
        """An environment's audit events, in the order they happened."""

    # -- mail outbox ---------------------------------------------------------------------
    async def add_outbox_mail(
        self, *, mail_id: str, to: str, subject: str, body: str, at: datetime
    ) -> None:
        """Keep a message in the outbox (the mail path without an SMTP server)."""

    async def list_outbox(self, *, to: str | None, page: PageRequest) -> Page[OutboxMail]:
        """The outbox by id; with ``to``, the messages to that address (any case)."""

    # -- saved filters and alerts (HelloFlex) ----------------------------------------
    async def save_filter(
        self,
        *,
        filter_id: str,
        user_id: str,
        name: str,
        kind: str | None,
        name_contains: str | None,
        at: datetime,
    ) -> SavedFilter:
        """Save a user's filter over their environment's dossiers; matches from ``at`` on."""

    async def list_filters(self, *, user_id: str, page: PageRequest) -> Page[SavedFilter]:
        """A user's saved filters, by id."""

    async def delete_filter(self, *, filter_id: str, user_id: str) -> SavedFilter:
        """Delete a filter of the user's (NOT_FOUND for anyone else's, as for none)."""

    async def run_alerts(self, *, environment_id: str | None, at: datetime) -> list[Alert]:
        """Claim every saved filter's new matches (all environments, or one), each once ever.

        A match is claimed by ``(SavedFilter)-[:ALERTED]->(Dossier)``; two runs at once
        claim disjoint sets. Filters of inactive or blocked users are left for later.
        Only filters with new matches are returned, by filter id, matches by dossier id.
        """

    # -- maintenance windows (DESIGN §3.5) -------------------------------------------
    async def schedule_maintenance(
        self,
        *,
        window_id: str,
        environment_id: str,
        starts_at: datetime,
        created_by: str,
        at: datetime,
        expected_end_at: datetime | None = None,
    ) -> MaintenanceWindow:
        """Open a window; refused while the environment has another open window."""

    async def end_maintenance(self, *, environment_id: str, at: datetime) -> MaintenanceWindow:
        """End (or cancel, if not yet started) the environment's open window."""

    async def get_maintenance(
        self, *, environment_id: str, user_id: str | None
    ) -> tuple[MaintenanceWindow, bool] | None:
        """The open window, and whether ``user_id`` acknowledged its warning."""

    async def acknowledge_maintenance_warning(
        self, *, user_id: str, window_id: str, at: datetime
    ) -> bool:
        """Record ``(User)-[:WARNED_OF]->(MaintenanceWindow)``; False when already there."""

    async def submit_application(
        self, *, application_id: str, environment_id: str, name: str, email: str, at: datetime
    ) -> Application:
        """Store a job application ``(Application)-[:TO]->(Environment)``."""

    # -- provisioning --------------------------------------------------------------
    async def create_environment(
        self,
        *,
        environment_id: str,
        name: str,
        email_domain: str,
        billing: Billing,
        seat_limit: int | None,
        at: datetime,
    ) -> Environment: ...

    async def create_user(
        self,
        *,
        user_id: str,
        environment_id: str,
        email: str,
        username: str,
        name: str,
        role: Role,
        password_hash: str | None,
        at: datetime,
    ) -> User:
        """Add a user; the first user of an environment becomes its ADMIN."""

    # -- sign-ups (DESIGN §3.1: proof of address before joining) -------------------------
    async def start_sign_up(
        self,
        *,
        sign_up_id: str,
        email: str,
        name: str,
        password_hash: str,
        token_hash: str,
        at: datetime,
        expires_at: datetime,
    ) -> SignUpStart:
        """Record a pending sign-up (nothing, for an address that has an account already).

        A pending sign-up is no user: it holds no seat or access and shows nowhere but
        in ``list_sign_ups`` of its domain's environment.
        """

    async def get_sign_up(
        self, *, token_hash: str | None = None, sign_up_id: str | None = None
    ) -> SignUp | None:
        """A pending sign-up by its token's hash or by id, with its password hash."""

    async def complete_sign_up(
        self,
        *,
        sign_up_id: str,
        email: str,
        user_id: str,
        environment_id: str,
        environment_name: str,
        username: str,
        decided_by: str | None,
        environment_of: str | None,
        at: datetime,
    ) -> User:
        """Make the account: join the domain's environment as USER, or found it as ADMIN
        (billed per processed hour). Once only; strips the sign-up's secrets and
        supersedes the address's other pending sign-ups. With ``environment_of`` (an
        ADMIN's approval) the sign-up must be addressed to that environment."""

    async def list_sign_ups(self, *, environment_id: str, page: PageRequest) -> Page[SignUp]:
        """The pending sign-ups addressed to an environment, by id."""

    async def decline_sign_up(self, *, sign_up_id: str, environment_id: str, at: datetime) -> bool:
        """End a pending sign-up addressed to the environment; False if there is none."""

    async def create_organisation(
        self, *, organisation_id: str, environment_id: str, name: str, at: datetime
    ) -> Organisation: ...

    async def grant_access(self, *, user_id: str, organisation_id: str, role: Role) -> Access:
        """Give a user of the organisation's own environment access (or change its role)."""

    async def revoke_access(self, *, user_id: str, organisation_id: str) -> bool: ...

    async def set_user_role(self, *, user_id: str, role: Role) -> User: ...

    async def get_environment(self, *, environment_id: str) -> Environment | None: ...

    async def get_user(self, *, user_id: str) -> User | None: ...

    async def get_organisation(self, *, organisation_id: str) -> Organisation | None: ...

    async def get_users(self, *, ids: Sequence[str]) -> list[User]:
        """The users among ``ids``, in any order (unknown ids are left out)."""

    async def get_organisations(self, *, ids: Sequence[str]) -> list[Organisation]:
        """The organisations among ``ids``, in any order (unknown ids are left out)."""

    async def get_environments(self, *, ids: Sequence[str]) -> list[Environment]:
        """The environments among ``ids``, in any order (unknown ids are left out)."""

    # -- visibility (DESIGN §3.0) ------------------------------------------------------
    async def reach(self, *, user_id: str) -> Reach:
        """What a user reaches: their environment, the environments partnered with it and
        those of organisations they have access to; plus the users who introduced
        themselves by addressing them a request, invitation or proposal.

        The one definition of the rule; :mod:`graph_engine.services.visibility` applies it.

        Examples
        --------
        >>> (await store.reach(user_id="carla")).covers("env_boekhouder")  # doctest: +SKIP
        True
        """

    async def locate(self, *, ids: Sequence[str]) -> list[Location]:
        """Label and home environments of each existing id (unknown ids are left out).

        One home for what lives in one environment (a task or subscription lives in
        its relation's, a dossier in its responsible user's, a licence or process
        message in its work company's); both environments of a partnership; the
        environments of every party of a request, invitation or proposal; none for
        sessions and keys.
        """

    async def list_users(
        self,
        *,
        environment_id: str,
        search: str | None,
        page: PageRequest,
        where: UserFilter | None = None,
    ) -> Page[User]:
        """An environment's users by id, searched and filtered (``where``); the page's
        ``total_count`` is how many match."""

    async def list_organisations(
        self, *, environment_id: str, page: PageRequest
    ) -> Page[Organisation]:
        """An environment's organisations by id, with their number as ``total_count``."""

    async def list_access(self, *, user_id: str) -> list[Access]: ...

    async def list_access_of(self, *, user_ids: Sequence[str]) -> dict[str, list[Access]]:
        """The access of each of ``user_ids`` (unknown ids are left out)."""

    # -- partnerships --------------------------------------------------------------
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
        must differ and not be partners yet; one proposal per pair may be pending.
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

    # -- invitations ---------------------------------------------------------------
    async def can_invite(
        self,
        *,
        inviter_id: str,
        invitee_id: str,
        organisation_id: str,
        viewer_id: str | None = None,
    ) -> Decision:
        """DESIGN §3.1. With ``viewer_id``, first NOT_FOUND for an invitee or organisation
        that does not exist or lies outside the viewer's reach (``reach``'s environments):
        the two are one answer."""

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

    # -- offboarding (DESIGN §3.3) ---------------------------------------------------
    async def set_user_status(
        self,
        *,
        user_id: str,
        active: bool | None,
        login_blocked: bool | None,
        reason: str,
        at: datetime,
    ) -> User:
        """Change ``active``/``loginBlocked`` (None: unchanged).

        Becoming active counts a seat (refused past ``seatLimit``, the environment
        locked); becoming inactive or blocked invalidates every open session with
        ``reason``.
        """

    async def rename_user(self, *, user_id: str, username: str) -> User:
        """A new mailbox name; unique within the environment."""

    async def set_mail_enabled(self, *, user_id: str, enabled: bool) -> User: ...

    async def set_reports_to(self, *, user_id: str, manager_id: str | None) -> User:
        """At most one REPORTS_TO; the manager is an active user of the same environment."""

    async def get_reports_to(self, *, user_id: str) -> str | None: ...

    async def seat_usage(self, *, environment_id: str) -> SeatUsage: ...

    async def create_dossier(
        self, *, dossier_id: str, name: str, kind: str, responsible_id: str, at: datetime
    ) -> Dossier:
        """A dossier of the responsible user's environment; the user must be active."""

    async def list_dossiers(
        self,
        *,
        environment_id: str,
        where: DossierFilter,
        page: PageRequest,
    ) -> Page[Dossier]: ...

    async def reassign_dossiers(
        self,
        *,
        environment_id: str,
        where: DossierFilter,
        dossier_ids: Sequence[str] | None,
        to_user_id: str,
        at: datetime,
    ) -> int:
        """Make ``to_user_id`` responsible for the matching dossiers (all, or the chosen
        ones among them), in one transaction; returns how many changed hands."""

    async def route_mail(self, *, username: str, email_domain: str) -> MailRoute:
        """Where mail to ``username@email_domain`` goes."""

    # -- relations, links and tasks (DESIGN §3.4) --------------------------------------
    async def create_relation(
        self, *, relation_id: str, environment_id: str, name: str, at: datetime
    ) -> Relation:
        """Add a relation to the vendor's own contractant ``environment_id``."""

    async def get_relation(self, *, relation_id: str) -> Relation | None: ...

    async def list_relations(
        self, *, environment_id: str, search: str | None, page: PageRequest
    ) -> Page[Relation]:
        """The relations of an environment, by id; ``search`` matches the name."""

    async def create_subscription(
        self, *, subscription_id: str, relation_id: str, active: bool, at: datetime
    ) -> Subscription: ...

    async def end_subscription(
        self, *, subscription_id: str, at: datetime
    ) -> tuple[Subscription, list[RelationLink]]:
        """End a subscription (inactive, ``endedAt``) and the links stored on it, at once.

        Returns the subscription and the links it ended (by contractant id); ending an
        ended subscription changes nothing.
        """

    async def create_task(
        self, *, task_id: str, relation_id: str, title: str, at: datetime
    ) -> Task:
        """Add an OPEN support task concerning the relation."""

    async def close_task(self, *, task_id: str, at: datetime) -> Task:
        """Close a task (closing a closed task changes nothing)."""

    async def link_relation(
        self,
        *,
        relation_id: str,
        contractant_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> RelationLink:
        """Link the relation to the customer's contractant: at most one relation per contractant.

        The link is stored on the relation's current active subscription (its newest
        active one); without one it is refused with ``no_active_subscription``.

        The contractant must be partnered with the relation's environment (unless
        ``require_partnership`` is False: operators); otherwise it is NOT_FOUND.
        Refused with ``relation_already_linked`` (naming the linked relation, when it
        is of the same environment; ``linked_elsewhere`` without names otherwise) when
        the contractant already has a link, unless it is this very relation with
        this very database (then nothing changes and the link is returned).

        Examples
        --------
        >>> await store.link_relation(relation_id="rel_new", contractant_id="env_cust",
        ...     database="db1", at=now)  # doctest: +SKIP
        """

    async def unlink_relation(self, *, contractant_id: str) -> RelationLink | None:
        """Remove the contractant's link; return the removed link (None: nothing was linked)."""

    async def relink_relation(
        self,
        *,
        contractant_id: str,
        relation_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> tuple[RelationLink, RelationLink | None]:
        """Replace the contractant's link in one transaction; return (new link, removed link).

        The contractant must be partnered with the relation's environment, and the
        relation needs an active subscription, as for :meth:`link_relation`."""

    async def linked_relation(self, *, contractant_id: str) -> RelationLink | None:
        """The contractant's link, or None when it is unlinked."""

    async def subscription_count(self, *, contractant_id: str) -> SubscriptionCount:
        """Count the subscriptions of the contractant's linked relation (zero when unlinked)."""

    async def support_tasks(
        self,
        *,
        contractant_id: str,
        status: TaskStatus | None,
        page: PageRequest,
    ) -> SupportTasks:
        """The tasks of the contractant's linked relation, by id (none when unlinked)."""

    async def rehang_tasks(
        self,
        *,
        from_relation_id: str,
        to_relation_id: str,
        task_ids: Sequence[str] | None = None,
    ) -> int:
        """Move every OPEN task of one relation to another of the same environment;
        with ``task_ids``, those (each an OPEN task of it, else nothing moves).

        One transaction; closed tasks stay. Returns how many tasks moved.
        """

    # -- ownership rights, licences, process messages (DESIGN §3.2) ----------------------
    # An employee with access to a work company holds their own rights there unless a
    # ``(holder)-[:HOLDS_RIGHTS_OF {organisation}]->(employee)`` edge says otherwise:
    # the default is implied, never stored, so granting access needs no extra write
    # and "exactly one holder" means "at most one edge per (employee, work company)".

    async def transfer_ownership(
        self,
        *,
        from_user_id: str,
        to_user_id: str,
        employee_ids: Sequence[str] | None,
        work_company_ids: Sequence[str] | None,
        invalidate: bool,
        reason: str,
        at: datetime,
    ) -> Transfer:
        """Move the rights ``from_user_id`` holds (all, or of the listed employees) to
        ``to_user_id``, in all or the listed work companies; all or nothing.

        ``to_user_id`` must be active and have access to each listed work company (or,
        by default, to each work company where rights move). With ``invalidate``, the
        open sessions of ``from_user_id`` end with ``reason`` when anything moved.
        """

    async def ownership_of(self, *, employee_id: str) -> list[Ownership]:
        """Who holds the employee's rights in each work company they have access to."""

    async def rights_held_by(self, *, user_id: str, page: PageRequest) -> Page[Ownership]:
        """The rights a user holds (their own by default, and others'), by work company."""

    async def restore_own_rights(
        self, *, user_id: str, reason: str, at: datetime
    ) -> list[Ownership]:
        """At login: a user with a licence takes back their own rights from every holder
        (whose sessions end with ``reason``); returns what came back, with the old holder."""

    async def assign_licence(
        self, *, licence_id: str, number: str, user_id: str, work_company_id: str, at: datetime
    ) -> Licence:
        """Assign licence ``number`` (new, or released) to a user in one work company."""

    async def release_licence(self, *, user_id: str, reason: str, at: datetime) -> Licence:
        """Free the user's licence: the assignment, the user's password hash and their open
        sessions (ended with ``reason``) go. Refused while the user holds ownership rights
        anywhere, listing those work companies. ``passwordSet`` on a licence says whether its
        holder has a password now."""

    async def request_licence_cancellation(
        self, *, number: str, environment_id: str | None, at: datetime
    ) -> Cancellation:
        """Cancel a released licence (see :mod:`graph_engine.store.licences`), or say that a
        per-processed-hour contract needs none. With ``environment_id``, a licence of
        another environment is NOT_FOUND."""

    async def licence_of(self, *, user_id: str) -> Licence | None: ...

    async def run_nightly_processing(
        self, *, environment_id: str, run_id: str, process: str, at: datetime
    ) -> int:
        """A pending process message about every (employee, work company) with access."""

    async def deliver_process_messages(
        self, *, environment_id: str | None, at: datetime, batch_size: int = 10_000
    ) -> int:
        """Deliver each pending message to the employee's holder now, exactly once ever,
        also under concurrent runs; returns how many this run delivered."""

    async def inbox(self, *, user_id: str, page: PageRequest) -> Page[ProcessMessage]:
        """The process messages delivered to a user, by id."""
