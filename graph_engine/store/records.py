"""Turn stored property maps into model records, the same way for both stores.

Property names are the stored ones (camelCase, DESIGN §2). Neo4j hands back
``neo4j.time.DateTime`` values, the memory store Python datetimes;
:func:`as_datetime` accepts both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from graph_engine.model import (
    Access,
    ApiKey,
    AuditEvent,
    AuthorizationRequest,
    Billing,
    ConnectionRule,
    Dossier,
    Environment,
    Invitation,
    Licence,
    LicenceStatus,
    MaintenanceWindow,
    MissingConnection,
    Organisation,
    OutboxMail,
    Ownership,
    Partnership,
    PartnershipOrigin,
    PartnershipProposal,
    PrincipalKind,
    ProcessMessage,
    Relation,
    RelationLink,
    RequestStatus,
    Role,
    SavedFilter,
    Session,
    SignUp,
    Subscription,
    Task,
    TaskStatus,
    User,
)

Props = Mapping[str, Any]


def as_datetime(value: Any) -> datetime:
    """A stored time: a datetime, an ISO string (what hot reads send) or the driver's type."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        # Cypher's toString names the zone after the offset ("…Z[UTC]"); the offset
        # fixes the instant.
        return datetime.fromisoformat(value.partition("[")[0])
    native = value.to_native()  # neo4j.time.DateTime
    assert isinstance(native, datetime)  # noqa: S101 - the driver's documented contract
    return native


def maybe_datetime(value: Any) -> datetime | None:
    return None if value is None else as_datetime(value)


def environment(p: Props) -> Environment:
    return Environment(
        id=p["id"],
        name=p["name"],
        email_domain=p["emailDomain"],
        billing=Billing(p.get("billing", Billing.PER_LICENCE)),
        seat_limit=p.get("seatLimit"),
        created_at=as_datetime(p["createdAt"]),
    )


def user(p: Props, environment_id: str, role: str) -> User:
    return User(
        id=p["id"],
        environment_id=environment_id,
        role=Role(role),
        email=p["email"],
        username=p["username"],
        name=p["name"],
        active=bool(p.get("active", True)),
        login_blocked=bool(p.get("loginBlocked", False)),
        mail_enabled=bool(p.get("mailEnabled", True)),
        relationship_manager=bool(p.get("relationshipManager", False)),
        created_at=as_datetime(p["createdAt"]),
    )


def dossier(p: Props, environment_id: str, responsible_id: str) -> Dossier:
    return Dossier(
        id=p["id"],
        environment_id=environment_id,
        name=p["name"],
        kind=p.get("kind") or "CANDIDATE",
        responsible_id=responsible_id,
        created_at=as_datetime(p["createdAt"]),
    )


def organisation(p: Props, environment_id: str) -> Organisation:
    return Organisation(
        id=p["id"],
        environment_id=environment_id,
        name=p["name"],
        activated_software=tuple(sorted(p.get("activatedSoftware") or ())),
        created_at=as_datetime(p["createdAt"]),
    )


def access(user_id: str, organisation_id: str, role: str) -> Access:
    return Access(user_id=user_id, organisation_id=organisation_id, role=Role(role))


def partnership(
    p: Props, environment_ids: Sequence[str], representative_ids: Sequence[str]
) -> Partnership:
    a, b = sorted(environment_ids)
    return Partnership(
        id=p["id"],
        environment_ids=(a, b),
        representative_ids=tuple(sorted(representative_ids)),
        origin=PartnershipOrigin(p["origin"]),
        created_at=as_datetime(p["createdAt"]),
    )


def authorization_request(
    p: Props, sender_id: str, recipient_id: str, organisation_id: str
) -> AuthorizationRequest:
    return AuthorizationRequest(
        id=p["id"],
        sender_id=sender_id,
        recipient_id=recipient_id,
        organisation_id=organisation_id,
        software=p["software"],
        status=RequestStatus(p["status"]),
        created_at=as_datetime(p["createdAt"]),
        decided_at=maybe_datetime(p.get("decidedAt")),
    )


def proposal(p: Props, proposer_id: str, recipient_id: str) -> PartnershipProposal:
    return PartnershipProposal(
        id=p["id"],
        proposer_id=proposer_id,
        recipient_id=recipient_id,
        status=RequestStatus(p["status"]),
        created_at=as_datetime(p["createdAt"]),
        decided_at=maybe_datetime(p.get("decidedAt")),
        decided_by=p.get("decidedBy"),
        partnership_id=p.get("partnership"),
    )


def sign_up(p: Props) -> SignUp:
    return SignUp(
        id=p["id"],
        email=p["email"],
        name=p["name"],
        environment_id=p.get("environment"),
        created_at=as_datetime(p["createdAt"]),
        expires_at=as_datetime(p["expiresAt"]),
        password_hash=p.get("passwordHash"),
    )


def session(p: Props) -> Session:
    return Session(
        id=p["id"],
        user_id=p["user"],
        created_at=as_datetime(p["createdAt"]),
        last_seen_at=as_datetime(p.get("lastSeenAt") or p["createdAt"]),
        ended_at=maybe_datetime(p.get("invalidatedAt")),
        reason=p.get("reason"),
    )


def api_key(p: Props) -> ApiKey:
    return ApiKey(
        id=p["id"],
        kind=PrincipalKind(p["kind"]),
        name=p["name"],
        environment_id=p.get("environment"),
        created_at=as_datetime(p["createdAt"]),
        expires_at=maybe_datetime(p.get("expiresAt")),
        last_used_at=maybe_datetime(p.get("lastUsedAt")),
        revoked_at=maybe_datetime(p.get("revokedAt")),
    )


def audit_event(p: Props) -> AuditEvent:
    return AuditEvent(
        id=p["id"],
        action=p["action"],
        actor=p.get("actor"),
        principal=p["principal"],
        at=as_datetime(p["at"]),
        request_id=p["requestId"],
        ids=tuple(p.get("ids") or ()),
        environment_ids=tuple(sorted(p.get("environments") or ())),
    )


def outbox_mail(p: Props) -> OutboxMail:
    return OutboxMail(
        id=p["id"],
        to=p["to"],
        subject=p["subject"],
        body=p["body"],
        created_at=as_datetime(p["createdAt"]),
    )


def invitation(p: Props, inviter_id: str, invitee_id: str, organisation_id: str) -> Invitation:
    return Invitation(
        id=p["id"],
        inviter_id=inviter_id,
        invitee_id=invitee_id,
        organisation_id=organisation_id,
        role=Role(p["role"]),
        status=RequestStatus(p["status"]),
        created_at=as_datetime(p["createdAt"]),
        decided_at=maybe_datetime(p.get("decidedAt")),
    )


def maintenance_window(p: Props, environment_id: str) -> MaintenanceWindow:
    return MaintenanceWindow(
        id=p["id"],
        environment_id=environment_id,
        starts_at=as_datetime(p["startsAt"]),
        ended_at=maybe_datetime(p.get("endedAt")),
        created_by=p["createdBy"],
        created_at=as_datetime(p["createdAt"]),
        expected_end_at=maybe_datetime(p.get("expectedEndAt")),
    )


def maybe_maintenance_window(p: Props | None) -> MaintenanceWindow | None:
    """A window map that carries its environment's id (as the Cypher queries return it)."""
    return None if p is None else maintenance_window(p, p["environment"])


def missing_connection(row: Props) -> MissingConnection:
    return MissingConnection(
        user_id=row["user"],
        peer_id=row["peer"],
        rule=ConnectionRule(row["rule"]),
        partnership_id=row["partnership"],
    )


def relation(p: Props, environment_id: str) -> Relation:
    return Relation(
        id=p["id"],
        environment_id=environment_id,
        name=p["name"],
        created_at=as_datetime(p["createdAt"]),
    )


def subscription(p: Props, relation_id: str) -> Subscription:
    return Subscription(
        id=p["id"],
        relation_id=relation_id,
        active=bool(p.get("active", True)),
        created_at=as_datetime(p["createdAt"]),
        ended_at=maybe_datetime(p.get("endedAt")),
    )


def task(p: Props, relation_id: str) -> Task:
    return Task(
        id=p["id"],
        relation_id=relation_id,
        title=p["title"],
        status=TaskStatus(p["status"]),
        created_at=as_datetime(p["createdAt"]),
        closed_at=maybe_datetime(p.get("closedAt")),
    )


def relation_link(
    rel: Relation, subscription_id: str, contractant_id: str, link: Props
) -> RelationLink:
    """A ``LINKED_TO`` edge's properties, with the subscription it starts at and its relation."""
    return RelationLink(
        relation=rel,
        subscription_id=subscription_id,
        contractant_id=contractant_id,
        database=link["database"],
        contractant=link.get("contractant") or contractant_id,
        linked_at=as_datetime(link["linkedAt"]),
    )


def ownership(employee_id: str, work_company_id: str, holder_id: str) -> Ownership:
    return Ownership(
        employee_id=employee_id,
        work_company_id=work_company_id,
        holder_id=holder_id,
        explicit=holder_id != employee_id,
    )


def licence(p: Props, work_company_id: str, assigned_to: str | None) -> Licence:
    return Licence(
        id=p["id"],
        number=p["number"],
        work_company_id=work_company_id,
        assigned_to=assigned_to,
        password_set=bool(p.get("passwordSet", False)),
        status=LicenceStatus(p.get("status") or LicenceStatus.ASSIGNED),
        started_at=as_datetime(p["startedAt"]),
        cancel_at=maybe_datetime(p.get("cancelAt")),
    )


def process_message(
    p: Props, employee_id: str, work_company_id: str, delivered_to: str | None
) -> ProcessMessage:
    return ProcessMessage(
        id=p["id"],
        process=p["process"],
        employee_id=employee_id,
        work_company_id=work_company_id,
        created_at=as_datetime(p["createdAt"]),
        delivered_at=maybe_datetime(p.get("deliveredAt")),
        delivered_to=delivered_to,
    )


def saved_filter(p: Props, owner_id: str, environment_id: str) -> SavedFilter:
    return SavedFilter(
        id=p["id"],
        owner_id=owner_id,
        environment_id=environment_id,
        name=p["name"],
        kind=p.get("kind"),
        name_contains=p.get("nameContains"),
        created_at=as_datetime(p["createdAt"]),
        last_alert_at=as_datetime(p["lastAlertAt"]) if p.get("lastAlertAt") else None,
    )
