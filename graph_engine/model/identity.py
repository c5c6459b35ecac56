"""Who is asking: principals, sessions, API keys, credentials and sign-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from graph_engine.model.maintenance import MaintenanceWindow
from graph_engine.model.provisioning import Role, User
from graph_engine.model.visibility import Reach


class PrincipalKind(StrEnum):
    USER = "USER"
    INTEGRATION = "INTEGRATION"
    BACKOFFICE = "BACKOFFICE"
    OPERATOR = "OPERATOR"


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
