"""The identity capability's store protocol: who the caller is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    ApiKey,
    Credentials,
    Page,
    PageRequest,
    Principal,
    PrincipalKind,
    Session,
    SignUp,
    SignUpStart,
    User,
)


class IdentityStore(Protocol):
    """Who the caller is: credentials, sessions, the shared login throttle, password resets,
    account activation, API keys and sign-ups (DESIGN §3.0, §3.1).

    Sessions, API keys and credentials come with the open maintenance window of
    their environment (``maintenance``), so that gating a request costs no extra query.
    """

    async def get_credentials(self, *, email: str) -> Credentials | None: ...

    async def create_session(
        self, *, session_id: str, user_id: str, token_hash: str, at: datetime
    ) -> None: ...

    async def resolve_session(self, *, token_hash: str) -> Principal | None: ...

    async def end_session(self, *, token_hash: str, at: datetime, reason: str) -> bool: ...

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
