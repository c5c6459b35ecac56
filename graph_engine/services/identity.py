"""Login, sessions that end, passwords, account activation and machine keys.

:meth:`IdentityService.authenticate` and :meth:`IdentityService.login` are the
request path's single gate: besides the session's or key's state they apply the
maintenance window read with the principal (:func:`graph_engine.services.maintenance.gate`).

Decisions (DESIGN §3.0 asks that sessions and keys expire and can be revoked, and
that logins are throttled):

* **Sessions** end after :attr:`SessionPolicy.idle` without a request (30 minutes)
  and :attr:`SessionPolicy.lifetime` after login (12 hours), as a payroll product
  would choose; the idle clock is written at most once a minute. A user lists and
  ends their own sessions; an ADMIN ends all of a user's; a password change ends
  every other session of the user, a reset every one.
* **Login throttle**: failed logins are counted per account and per client address
  in the store (so every server process shares them). After
  :attr:`LoginThrottle.account_free` failures of an account (or
  :attr:`LoginThrottle.address_free` from one address) each further failure doubles
  the wait before the next attempt, up to :attr:`LoginThrottle.cap` (15 minutes);
  an attempt during the wait is refused with ``TOO_MANY_ATTEMPTS`` (HTTP 429,
  ``Retry-After``) without looking at the password. Never a lockout for good: the
  wait is capped, the counters forget after a day, and a password reset (by mail)
  clears the account's.
* **Password reset**: ``requestPasswordReset`` answers the same for every address and
  mails a one-time token (stored only as its hash, valid :data:`RESET_VALIDITY`) to
  an address that has an account; ``resetPassword`` with it sets a new password.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar

from graph_engine import audit, ids
from graph_engine.errors import (
    InvalidInput,
    LicenceRequired,
    SessionInvalidated,
    TooManyAttempts,
    Unauthenticated,
)
from graph_engine.model import InSession, Page, PageRequest, Principal, PrincipalKind, Session, User
from graph_engine.security import hash_password, verify_password
from graph_engine.services import passwords, validate
from graph_engine.services.access import reach, require_admin_of, require_user
from graph_engine.services.identity_policy import (
    LoginThrottle,
    SessionPolicy,
    required,
    spoken,
    throttle_key,
)
from graph_engine.services.identity_tokens import TokenFlows
from graph_engine.services.maintenance import gate
from graph_engine.store.identity import IdentityStore
from graph_engine.store.ownership import OwnershipStore
from graph_engine.store.provisioning import ProvisioningReader
from graph_engine.store.visibility import VisibilityStore

T = TypeVar("T")


class IdentityNeeds(IdentityStore, ProvisioningReader, OwnershipStore, VisibilityStore, Protocol):
    """What IdentityService asks of the store: sessions, keys and passwords; the user read
    back; their own rights restored at login, within the caller's reach."""


class IdentityService(TokenFlows[IdentityNeeds]):
    sessions = SessionPolicy()
    throttle = LoginThrottle()

    async def authenticate(self, token: str | None) -> Principal:
        """The principal behind a bearer token, read live from the graph."""
        token = required(token)
        digest = ids.token_hash(token)
        if token.startswith(ids.API_KEY_PREFIX):
            principal = await self.store.resolve_api_key(key_hash=digest)
        else:
            principal = await self.store.resolve_session(token_hash=digest)
        return await self.admit(principal)

    async def authenticate_with(
        self, token: str | None, read: Callable[[str], Awaitable[InSession[T] | None]]
    ) -> tuple[Principal, T] | None:
        """Authenticate a session token and answer ``read`` in the same store round trip.

        ``read`` gets the token's hash and returns the session's principal with its
        answer (a store's ``*_in_session`` operation). The answer counts only once the
        principal passes every check :meth:`authenticate` makes. None for an API key,
        whose reads are not folded: authenticate and read one after the other.
        """
        token = required(token)
        if token.startswith(ids.API_KEY_PREFIX):
            return None
        found = await read(ids.token_hash(token))
        principal = await self.admit(None if found is None else found.principal)
        assert found is not None  # noqa: S101 - admit refused an unknown token
        return principal, found.answer()

    async def admit(self, principal: Principal | None) -> Principal:
        """``principal`` if its session or key is alive, its account may log in and no
        maintenance window shuts it out; else the error that says why not."""
        if principal is None:
            raise Unauthenticated("unknown or expired token", suggestion="Log in again.")
        if principal.session_id is None:
            await self._check_key(principal)
        else:
            await self._check_session(principal)
        user = principal.user
        if user is not None and (not user.active or user.login_blocked):
            raise SessionInvalidated(
                "your account is inactive or blocked from logging in",
                details={"reason": "account inactive or blocked"},
            )
        gate(principal.maintenance, principal.kind, user.role if user else None, self.now())
        return principal

    async def _check_session(self, principal: Principal) -> None:
        if principal.invalidated_reason is not None:
            raise SessionInvalidated(
                f"your session was ended: {principal.invalidated_reason}",
                details={"reason": principal.invalidated_reason},
                suggestion="Log in again.",
            )
        now = self.now()
        started = principal.started_at or now
        seen = principal.seen_at or started
        expired = None
        if now - started > self.sessions.lifetime:
            expired = f"it expired {spoken(self.sessions.lifetime)} after login"
        elif now - seen > self.sessions.idle:
            expired = f"it expired after {spoken(self.sessions.idle)} without use"
        assert principal.user is not None  # noqa: S101 - a session is a user's
        with audit.suspended():  # the session's own clock, not the caller's doing
            if expired is not None:
                await self.store.end_sessions(
                    user_id=principal.user.id,
                    session_id=principal.session_id,
                    at=now,
                    reason=expired,
                )
                raise SessionInvalidated(
                    f"your session was ended: {expired}",
                    details={"reason": expired},
                    suggestion="Log in again.",
                )
            if now - seen > self.sessions.touch_every:
                await self.store.touch_session(session_id=str(principal.session_id), at=now)

    async def _check_key(self, principal: Principal) -> None:
        now = self.now()
        if principal.invalidated_reason is not None:
            raise Unauthenticated(
                f"this key no longer works: {principal.invalidated_reason}",
                suggestion="Ask for a new key.",
            )
        if principal.expires_at is not None and principal.expires_at <= now:
            raise Unauthenticated(
                f"this key expired at {principal.expires_at.isoformat()}",
                suggestion="Ask for a new key (or rotate it before it expires).",
            )
        if principal.seen_at is None or now - principal.seen_at > self.sessions.touch_every:
            with audit.suspended():
                await self.store.touch_api_key(key_id=principal.id, at=now)

    def _throttle_keys(self, email: str, client: str | None) -> dict[str, int]:
        keys = {throttle_key("account", email): self.throttle.account_free}
        if client:
            keys[throttle_key("address", client)] = self.throttle.address_free
        return keys

    async def login(self, email: str, password: str, client: str | None = None) -> tuple[str, User]:
        """Check the password (Argon2id, off the event loop) and open a session.

        ``client`` is the caller's network address, for the login throttle.
        """
        address = validate.clean(email, "email").strip().lower()
        counters = self._throttle_keys(address, client)
        now = self.now()
        with audit.suspended():
            wait = await self.store.login_throttle(keys=list(counters), at=now)
        if wait is not None:
            raise TooManyAttempts(
                f"too many failed logins: try again in {wait} seconds",
                details={"retryAfter": wait},
                suggestion="Wait, or reset the password (requestPasswordReset).",
            )
        credentials = await self.store.get_credentials(email=address)
        stored = credentials.password_hash if credentials else None
        ok = await asyncio.to_thread(verify_password, stored, password)
        if credentials is None or not ok:
            with audit.suspended():
                await self.store.record_login_failure(
                    free=counters,
                    cap_seconds=int(self.throttle.cap.total_seconds()),
                    forget_before=now - self.throttle.forget_after,
                    at=now,
                )
            raise Unauthenticated("wrong email or password")
        if not credentials.active or credentials.login_blocked:
            raise Unauthenticated(
                "this account is inactive or blocked from logging in",
                details={"reason": "account inactive or blocked"},
                suggestion="Ask an ADMIN of your environment to reactivate it.",
            )
        if credentials.per_licence and not credentials.licensed:
            # DESIGN §3.2: in an environment billed per licence, the licence is what
            # lets a user in (checked after the password, so it reveals nothing).
            raise LicenceRequired(
                "your environment is billed per licence and no licence is assigned to you",
                suggestion="Ask an ADMIN of your environment to assign you a licence.",
            )
        gate(credentials.maintenance, PrincipalKind.USER, credentials.role, now)
        token = ids.new_session_token()
        await self.store.create_session(
            session_id=ids.new_id("Session"),
            user_id=credentials.user_id,
            token_hash=ids.token_hash(token),
            at=now,
        )
        with audit.suspended():
            await self.store.clear_login_failures(keys=[throttle_key("account", address)])
        # A user with a licence takes their own ownership rights back from whoever
        # holds them, in every work company (DESIGN §3.2; a no-op without a licence).
        await self.store.restore_own_rights(
            user_id=credentials.user_id,
            reason=f"{credentials.user_id} logged in and took back their own ownership rights",
            at=now,
        )
        user = await self.store.get_user(user_id=credentials.user_id)
        assert user is not None  # noqa: S101 - the session was just created for this user
        return token, user

    async def logout(self, caller: Principal, token: str) -> bool:
        if caller.session_id is None:
            return False
        return await self.store.end_session(
            token_hash=ids.token_hash(token), at=self.now(), reason="logged out"
        )

    # -- sessions ---------------------------------------------------------------------
    async def my_sessions(self, caller: Principal, page: PageRequest) -> Page[Session]:
        user = require_user(caller)
        return await self.store.list_sessions(user_id=user.id, page=page)

    async def end_my_session(self, caller: Principal, session_id: str) -> bool:
        """End one of the caller's own sessions (False: no such open session).

        An id that names no session (a user's, an environment's) is False at once, with
        nothing written: the mutation's audit event lists the environments of the ids
        its writes were given, so another tenant's id would put the event in that
        tenant's log. A session, anyone's, lives in no environment."""
        user = require_user(caller)
        if not session_id.startswith(f"{ids.PREFIXES['Session']}_"):
            return False
        ended = await self.store.end_sessions(
            user_id=user.id, session_id=session_id, at=self.now(), reason="ended by its user"
        )
        return ended > 0

    async def end_user_sessions(self, caller: Principal, user_id: str) -> int:
        """An ADMIN (or operator) ends every open session of a user of the environment."""
        found = await reach(self.store, caller, [("User", user_id)])
        require_admin_of(caller, found[user_id].environment_id)
        return await self.store.end_sessions(
            user_id=user_id, at=self.now(), reason=f"ended by {caller.id}"
        )

    # -- passwords ----------------------------------------------------------------------
    async def change_password(
        self, caller: Principal, current: str, new: str, client: str | None = None
    ) -> int:
        """Change the caller's password; every other session ends. Returns how many ended.

        The current password is checked like a login (and counted by its throttle).
        """
        user = require_user(caller)
        counters = self._throttle_keys(user.email, client)
        now = self.now()
        with audit.suspended():
            wait = await self.store.login_throttle(keys=list(counters), at=now)
        if wait is not None:
            raise TooManyAttempts(
                f"too many wrong passwords: try again in {wait} seconds",
                details={"retryAfter": wait},
            )
        credentials = await self.store.get_credentials(email=user.email)
        stored = credentials.password_hash if credentials else None
        if not await asyncio.to_thread(verify_password, stored, current):
            with audit.suspended():
                await self.store.record_login_failure(
                    free=counters,
                    cap_seconds=int(self.throttle.cap.total_seconds()),
                    forget_before=now - self.throttle.forget_after,
                    at=now,
                )
            raise Unauthenticated("the current password is wrong")
        passwords.check(new, name=user.name, email=user.email)
        password_hash = await asyncio.to_thread(hash_password, new)
        await self.store.set_password(user_id=user.id, password_hash=password_hash, at=now)
        return await self.store.end_sessions(
            user_id=user.id, keep=caller.session_id, at=now, reason="the password was changed"
        )

    # -- keys ---------------------------------------------------------------------------
    async def issue_api_key(
        self,
        kind: PrincipalKind,
        name: str,
        environment_id: str | None,
        expires_at: datetime | None = None,
    ) -> tuple[str, str]:
        """Create a key (shown once; only its hash is stored); the caller was checked.

        INTEGRATION and BACKOFFICE keys are bound to an environment (an unbound one
        would reach nothing); an OPERATOR key reaches everything and is bound to none.
        """
        if kind is PrincipalKind.USER:
            raise InvalidInput("USER is not a machine principal", details={"field": "kind"})
        if (kind is PrincipalKind.OPERATOR) != (environment_id is None):
            raise InvalidInput(
                "INTEGRATION and BACKOFFICE keys are bound to an environment; OPERATOR keys"
                " to none",
                details={"field": "environmentId"},
            )
        if expires_at is not None and expires_at <= self.now():
            raise InvalidInput("expiresAt must lie in the future", details={"field": "expiresAt"})
        key = ids.new_api_key()
        key_id = ids.new_id("ApiKey")
        await self.store.create_api_key(
            key_id=key_id,
            kind=kind,
            name=validate.text(name, "name"),
            key_hash=ids.token_hash(key),
            environment_id=environment_id,
            at=self.now(),
            expires_at=expires_at,
        )
        return key_id, key
