"""Enums and the frozen records that stores return.

Stores speak in these types and nothing else, so services and the API never see
a stored property dict or a Neo4j record.

One module per capability (and the graph's vocabulary, pages and visibility);
every public name is re-exported here: ``from graph_engine.model import User``.
"""

from __future__ import annotations

from graph_engine.model.alerts import (
    Alert,
    SavedFilter,
)
from graph_engine.model.audit import (
    AuditEvent,
    AuditPrincipal,
)
from graph_engine.model.bulk import (
    GraphData,
    NodeRecord,
    RelRecord,
)
from graph_engine.model.graph import (
    NodeLabel,
    RelationshipType,
)
from graph_engine.model.identity import (
    ApiKey,
    Credentials,
    Principal,
    PrincipalKind,
    RequestScope,
    Session,
    SignUp,
    SignUpStart,
)
from graph_engine.model.mail import (
    FORWARD_NOTE,
    FORWARD_NOTE_EN,
    MailOutcome,
    MailRoute,
    OutboxMail,
)
from graph_engine.model.maintenance import (
    MAINTENANCE_ROLES,
    Application,
    MaintenanceWindow,
)
from graph_engine.model.offboarding import (
    Dossier,
    DossierFilter,
    DossierKind,
    SeatUsage,
)
from graph_engine.model.ownership import (
    Cancellation,
    Licence,
    LicenceStatus,
    Ownership,
    ProcessMessage,
    Transfer,
)
from graph_engine.model.pages import (
    DEFAULT_PAGE,
    InSession,
    Page,
    PageRequest,
)
from graph_engine.model.partnerships import (
    Acceptance,
    AuthorizationRequest,
    ConnectionRule,
    Decision,
    DecisionCode,
    Fix,
    FixAction,
    Invitation,
    MissingConnection,
    Partnership,
    PartnershipOrigin,
    PartnershipProposal,
    PathNode,
    PathRelationship,
    RequestStatus,
)
from graph_engine.model.provisioning import (
    ACCESS_ROLES,
    ADVANCED_ROLES,
    OUTSIDER_ROLES,
    Access,
    Billing,
    Environment,
    Organisation,
    Role,
    User,
    UserFilter,
)
from graph_engine.model.relations import (
    Relation,
    RelationLink,
    Subscription,
    SubscriptionCount,
    SupportTasks,
    Task,
    TaskStatus,
)
from graph_engine.model.visibility import (
    Location,
    Reach,
)

__all__ = [
    "ACCESS_ROLES",
    "ADVANCED_ROLES",
    "DEFAULT_PAGE",
    "FORWARD_NOTE",
    "FORWARD_NOTE_EN",
    "MAINTENANCE_ROLES",
    "OUTSIDER_ROLES",
    "Acceptance",
    "Access",
    "Alert",
    "ApiKey",
    "Application",
    "AuditEvent",
    "AuditPrincipal",
    "AuthorizationRequest",
    "Billing",
    "Cancellation",
    "ConnectionRule",
    "Credentials",
    "Decision",
    "DecisionCode",
    "Dossier",
    "DossierFilter",
    "DossierKind",
    "Environment",
    "Fix",
    "FixAction",
    "GraphData",
    "InSession",
    "Invitation",
    "Licence",
    "LicenceStatus",
    "Location",
    "MailOutcome",
    "MailRoute",
    "MaintenanceWindow",
    "MissingConnection",
    "NodeLabel",
    "NodeRecord",
    "Organisation",
    "OutboxMail",
    "Ownership",
    "Page",
    "PageRequest",
    "Partnership",
    "PartnershipOrigin",
    "PartnershipProposal",
    "PathNode",
    "PathRelationship",
    "Principal",
    "PrincipalKind",
    "ProcessMessage",
    "Reach",
    "RelRecord",
    "Relation",
    "RelationLink",
    "RelationshipType",
    "RequestScope",
    "RequestStatus",
    "Role",
    "SavedFilter",
    "SeatUsage",
    "Session",
    "SignUp",
    "SignUpStart",
    "Subscription",
    "SubscriptionCount",
    "SupportTasks",
    "Task",
    "TaskStatus",
    "Transfer",
    "User",
    "UserFilter",
]
