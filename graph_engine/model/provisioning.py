"""Environments, users, organisations and access; the roles users hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


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
# An agency's outside parties: they have accounts, but not the agency's records (its
# dossiers, alerts, relation links and support tasks).
OUTSIDER_ROLES = frozenset({Role.CLIENT, Role.CANDIDATE})


class Billing(StrEnum):
    PER_LICENCE = "PER_LICENCE"
    PER_PROCESSED_HOUR = "PER_PROCESSED_HOUR"


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
