"""Login, sessions, sign-up, account activation and API keys.

:meth:`IdentityService.authenticate` and :meth:`IdentityService.login` are the
request path's single gate: besides the session's state they apply the
maintenance window read with the principal (:func:`graph_engine.services.maintenance.gate`).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from graph_engine import ids
from graph_engine.errors import InvalidInput, SessionInvalidated, Unauthenticated
from graph_engine.model import Principal, PrincipalKind, User
from graph_engine.security import hash_password, verify_password
from graph_engine.services import validate
from graph_engine.services.access import reach, require_admin_of, require_operator
from graph_engine.services.base import Service
from graph_engine.services.maintenance import gate

# How long an activation token works after it was issued.
ACTIVATION_VALIDITY = timedelta(days=7)


class IdentityService(Service):
    async def authenticate(self, token: str | None) -> Principal:
        """The principal behind a bearer token, read live from the graph."""
        if not token:
            raise Unauthenticated(
                "this operation needs a bearer token",
                suggestion="Log in (mutation login) and send 'Authorization: Bearer <token>'.",
            )
        digest = ids.token_hash(token)
        if token.startswith(ids.API_KEY_PREFIX):
            principal = await self.store.resolve_api_key(key_hash=digest)
        else:
            principal = await self.store.resolve_session(token_hash=digest)
        if principal is None:
            raise Unauthenticated("unknown or expired token", suggestion="Log in again.")
        if principal.invalidated_reason is not None:
            raise SessionInvalidated(
                f"your session was ended: {principal.invalidated_reason}",
                details={"reason": principal.invalidated_reason},
                suggestion="Log in again.",
            )
        user = principal.user
        if user is not None and (not user.active or user.login_blocked):
            raise SessionInvalidated(
                "your account is inactive or blocked from logging in",
                details={"reason": "account inactive or blocked"},
            )
        gate(principal.maintenance, principal.kind, user.role if user else None, self.now())
        return principal

    async def login(self, email: str, password: str) -> tuple[str, User]:
        """Check the password (Argon2id, off the event loop) and open a session."""
        credentials = await self.store.get_credentials(email=email.strip().lower())
        stored = credentials.password_hash if credentials else None
        ok = await asyncio.to_thread(verify_password, stored, password)
        if credentials is None or not ok:
            raise Unauthenticated("wrong email or password")
        if not credentials.active or credentials.login_blocked:
            raise Unauthenticated(
                "this account is inactive or blocked from logging in",
                details={"reason": "account inactive or blocked"},
                suggestion="Ask an ADMIN of your environment to reactivate it.",
            )
        gate(credentials.maintenance, PrincipalKind.USER, credentials.role, self.now())
        token = ids.new_session_token()
        await self.store.create_session(
            session_id=ids.new_id("Session"),
            user_id=credentials.user_id,
            token_hash=ids.token_hash(token),
            at=self.now(),
        )
        # A user with a licence takes their own ownership rights back from whoever
        # holds them, in every work company (DESIGN §3.2; a no-op without a licence).
        await self.store.restore_own_rights(
            user_id=credentials.user_id,
            reason=f"{credentials.user_id} logged in and took back their own ownership rights",
            at=self.now(),
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

    async def sign_up(self, email: str, name: str, password: str) -> User:
        """Join the environment of the email's domain as USER, or found it as ADMIN."""
        address = validate.email(email)
        domain = address.rsplit("@", 1)[1]
        password_hash = await asyncio.to_thread(hash_password, validate.password(password))
        return await self.store.sign_up(
            user_id=ids.new_id("User"),
            environment_id=ids.new_id("Environment"),
            environment_name=domain,
            email=address,
            username=address.split("@", 1)[0],
            name=validate.text(name, "name"),
            password_hash=password_hash,
            at=self.now(),
        )

    async def create_activation_token(self, caller: Principal, user_id: str) -> str:
        """A one-time token (shown once, stored as a hash) for a user created without password."""
        found = await reach(self.store, caller, [("User", user_id)])
        require_admin_of(caller, found[user_id].environment_id)
        token = ids.new_activation_token()
        await self.store.set_activation_token(
            user_id=user_id, token_hash=ids.token_hash(token), at=self.now()
        )
        return token

    async def activate_account(self, token: str, password: str) -> User:
        """Set the first password with an activation token; public, works during maintenance."""
        password_hash = await asyncio.to_thread(hash_password, validate.password(password))
        now = self.now()
        user = await self.store.activate_account(
            token_hash=ids.token_hash(token),
            password_hash=password_hash,
            valid_from=now - ACTIVATION_VALIDITY,
            at=now,
        )
        if user is None:
            raise Unauthenticated(
                "unknown, used or expired activation token",
                suggestion="Ask an ADMIN of your environment for a new activation link.",
            )
        return user

    async def create_api_key(
        self, caller: Principal, kind: PrincipalKind, name: str, environment_id: str | None
    ) -> tuple[str, str]:
        """A new key (shown once) for a machine principal; operators only."""
        require_operator(caller)
        return await self.issue_api_key(kind, name, environment_id)

    async def issue_api_key(
        self, kind: PrincipalKind, name: str, environment_id: str | None
    ) -> tuple[str, str]:
        """Create a key without a caller: the CLI's bootstrap of the first operator key."""
        if kind is PrincipalKind.USER:
            raise InvalidInput("USER is not a machine principal", details={"field": "kind"})
        key = ids.new_api_key()
        key_id = ids.new_id("ApiKey")
        await self.store.create_api_key(
            key_id=key_id,
            kind=kind,
            name=validate.text(name, "name"),
            key_hash=ids.token_hash(key),
            environment_id=environment_id,
            at=self.now(),
        )
        return key_id, key
