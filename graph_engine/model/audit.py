"""The audit trail: who changed what, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuditPrincipal(StrEnum):
    """Who made an audited change: a user, a key of one of the machine kinds, or nobody
    (a public mutation)."""

    USER = "USER"
    INTEGRATION = "INTEGRATION"
    BACKOFFICE = "BACKOFFICE"
    OPERATOR = "OPERATOR"
    ANONYMOUS = "ANONYMOUS"


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
