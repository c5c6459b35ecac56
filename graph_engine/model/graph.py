"""The graph's vocabulary: every node label and relationship type (DESIGN §2)."""

from __future__ import annotations

from enum import StrEnum


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
