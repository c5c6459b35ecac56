"""Login, sessions, sign-up, account activation and API keys.

:meth:`IdentityService.authenticate` and :meth:`IdentityService.login` are the
request path's single gate: besides the session's state they apply the
maintenance window read with the principal (:func:`graph_engine.services.maintenance.gate`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from graph_engine import ids
from graph_engine.errors import (
    InvalidInput,
    LicenceRequired,
    SessionInvalidated,
    Unauthenticated,
    problem,
)
from graph_engine.model import Page, Principal, PrincipalKind, SignUp, User
from graph_engine.security import hash_password, verify_password
from graph_engine.services import passwords, validate
from graph_engine.services.access import is_admin_of, reach, require_admin_of, require_operator
from graph_engine.services.base import Service
from graph_engine.services.maintenance import gate

# How long an activation token works after it was issued.
ACTIVATION_VALIDITY = timedelta(days=7)
# How long the code mailed at sign-up proves the address.
SIGN_UP_VALIDITY = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class SignUpReceipt:
    """What signing up answers: the same for every address (see :meth:`IdentityService.sign_up`)."""

    email: str
    expires_at: datetime


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
        address = validate.clean(email, "email").strip().lower()
        credentials = await self.store.get_credentials(email=address)
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
        if credentials.per_licence and not credentials.licensed:
            # DESIGN §3.2: in an environment billed per licence, the licence is what
            # lets a user in (checked after the password, so it reveals nothing).
            raise LicenceRequired(
                "your environment is billed per licence and no licence is assigned to you",
                suggestion="Ask an ADMIN of your environment to assign you a licence.",
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

    async def sign_up(self, email: str, name: str, password: str) -> SignUpReceipt:
        """Start a sign-up: nothing exists until the address is proven (DESIGN §3.1).

        A one-time token (stored only as its hash, valid for :data:`SIGN_UP_VALIDITY`)
        is mailed to the address; :meth:`verify_sign_up` with it and the same password
        makes the account, or an ADMIN of the domain's environment approves the
        sign-up. The answer is the same whether or not the address has an account or
        its domain an environment (an existing account's owner is mailed instead), so
        signing up reveals nothing.
        """
        address = validate.email(email)
        name = validate.text(name, "name")
        passwords.check(password, name=name, email=address)
        password_hash = await asyncio.to_thread(hash_password, password)
        token = ids.new_sign_up_token()
        now = self.now()
        expires = now + SIGN_UP_VALIDITY
        started = await self.store.start_sign_up(
            sign_up_id=ids.new_id("SignUp"),
            email=address,
            name=name,
            password_hash=password_hash,
            token_hash=ids.token_hash(token),
            at=now,
            expires_at=expires,
        )
        if started.existing_account:
            await self.notify.sign_up_exists(address)
        else:
            await self.notify.sign_up_token(address, token, expires)
        return SignUpReceipt(email=address, expires_at=expires)

    async def verify_sign_up(self, token: str, password: str) -> User:
        """Prove the address with the mailed token and the password chosen at sign-up.

        The password binds the token to whoever signed up: a sign-up someone else
        started with your address cannot be completed by clicking their mail.
        """
        found = await self.store.get_sign_up(token_hash=ids.token_hash(token))
        stored = found.password_hash if found is not None else None
        ok = await asyncio.to_thread(verify_password, stored, password)
        if found is None or not ok or found.expires_at <= self.now():
            raise Unauthenticated(
                "unknown, used or expired confirmation code, or not the password of that sign-up",
                suggestion="Sign up again for a new code.",
            )
        return await self._complete(found, decided_by=None, environment_of=None)

    async def _complete(
        self, found: SignUp, *, decided_by: str | None, environment_of: str | None
    ) -> User:
        domain = found.email.rsplit("@", 1)[1]
        return await self.store.complete_sign_up(
            sign_up_id=found.id,
            email=found.email,
            user_id=ids.new_id("User"),
            environment_id=ids.new_id("Environment"),
            environment_name=domain,
            username=validate.username(found.email.split("@", 1)[0]),
            decided_by=decided_by,
            environment_of=environment_of,
            at=self.now(),
        )

    async def sign_ups(
        self, caller: Principal, environment_id: str, first: int, after: str | None
    ) -> Page[SignUp]:
        """Pending sign-ups to an environment, for its ADMINs and operators to approve."""
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)
        return await self.store.list_sign_ups(
            environment_id=environment_id, first=first, after=after
        )

    async def approve_sign_up(self, caller: Principal, sign_up_id: str) -> User:
        """An ADMIN of the domain's environment (or an operator) lets a sign-up in."""
        found = await self.store.get_sign_up(sign_up_id=sign_up_id)
        environment = found.environment_id if found is not None else None
        if found is None or environment is None or not is_admin_of(caller, environment):
            raise problem("not_found", label="SignUp", id=sign_up_id)
        await reach(self.store, caller, [("Environment", environment)])
        return await self._complete(found, decided_by=caller.id, environment_of=environment)

    async def decline_sign_up(self, caller: Principal, sign_up_id: str) -> bool:
        found = await self.store.get_sign_up(sign_up_id=sign_up_id)
        environment = found.environment_id if found is not None else None
        if found is None or environment is None or not is_admin_of(caller, environment):
            raise problem("not_found", label="SignUp", id=sign_up_id)
        return await self.store.decline_sign_up(
            sign_up_id=sign_up_id, environment_id=environment, at=self.now()
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
        now = self.now()
        unknown = Unauthenticated(
            "unknown, used or expired activation token",
            suggestion="Ask an ADMIN of your environment for a new activation link.",
        )
        holder = await self.store.activation_holder(
            token_hash=ids.token_hash(token), valid_from=now - ACTIVATION_VALIDITY
        )
        if holder is None:
            raise unknown
        passwords.check(password, name=holder.name, email=holder.email)
        password_hash = await asyncio.to_thread(hash_password, password)
        user = await self.store.activate_account(
            token_hash=ids.token_hash(token),
            password_hash=password_hash,
            valid_from=now - ACTIVATION_VALIDITY,
            at=now,
        )
        if user is None:
            raise unknown
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
        if (kind is PrincipalKind.OPERATOR) != (environment_id is None):
            # A key acts inside the environment it is bound to (an unbound one would
            # reach nothing); an operator's reaches everything and is bound to none.
            raise InvalidInput(
                "INTEGRATION and BACKOFFICE keys are bound to an environment; OPERATOR keys"
                " to none",
                details={"field": "environmentId"},
            )
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
