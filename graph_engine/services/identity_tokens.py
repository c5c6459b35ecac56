"""Passwords set with a one-time token: a reset mailed on request, and the first
password of an account created without one (activation). Part of
:class:`graph_engine.services.identity.IdentityService`.
"""

from __future__ import annotations

import asyncio
from typing import Protocol, TypeVar

from graph_engine import audit, ids
from graph_engine.errors import Unauthenticated
from graph_engine.model import Principal, User
from graph_engine.security import hash_password
from graph_engine.services import attempts, passwords, validate
from graph_engine.services.access import reach, require_admin_of
from graph_engine.services.base import Service
from graph_engine.services.identity_policy import ACTIVATION_VALIDITY, RESET_VALIDITY, throttle_key
from graph_engine.store.identity import IdentityStore
from graph_engine.store.provisioning import ProvisioningReader
from graph_engine.store.visibility import VisibilityStore


class TokenNeeds(IdentityStore, ProvisioningReader, VisibilityStore, Protocol):
    """What the token flows ask of the store: tokens, passwords, the login throttle, and
    whether a reset's account is active."""


NeedsT = TypeVar("NeedsT", bound=TokenNeeds)


class TokenFlows(Service[NeedsT]):
    """Reset and activation by one-time token (stored only as its hash)."""

    async def request_password_reset(self, email: str, client: str | None = None) -> None:
        """Mail a one-time reset token to the address, if it has an account (same answer).

        Counted per address and per ``client`` whether or not the address has an
        account (:mod:`graph_engine.services.attempts`): nobody floods an inbox.
        """
        address = validate.email(email)
        token = ids.new_reset_token()
        now = self.now()
        await attempts.spend(
            self.store, attempts.counters("reset", email=address, client=client), now
        )
        found = await self.store.set_reset_token(
            email=address, token_hash=ids.token_hash(token), at=now
        )
        if found is None:
            return
        # Not to an inactive or blocked account: it cannot log in, and its mail may be
        # forwarded to whoever it reports to (routeMail), who would hold its reset code.
        holder = await self.store.get_user(user_id=found)
        if holder is not None and holder.active and not holder.login_blocked:
            await self.notify.password_reset(address, token, now + RESET_VALIDITY)

    async def reset_password(self, token: str, password: str) -> User:
        """Set a new password with a mailed reset token; every session of the user ends."""
        now = self.now()
        digest = ids.token_hash(token)
        unknown = Unauthenticated(
            "unknown, used or expired reset token",
            suggestion="Ask for a new one (requestPasswordReset).",
        )
        holder = await self.store.reset_holder(token_hash=digest, valid_from=now - RESET_VALIDITY)
        if holder is None:
            raise unknown
        passwords.check(password, name=holder.name, email=holder.email)
        password_hash = await asyncio.to_thread(hash_password, password)
        user = await self.store.reset_password(
            token_hash=digest,
            password_hash=password_hash,
            valid_from=now - RESET_VALIDITY,
            reason="the password was reset",
            at=now,
        )
        if user is None:
            raise unknown
        with audit.suspended():
            await self.store.clear_login_failures(keys=[throttle_key("account", user.email)])
        return user

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
