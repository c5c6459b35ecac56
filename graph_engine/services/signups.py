"""Sign-up with proof of address (DESIGN §3.1): nothing exists until the address is proven.

A sign-up is a pending record, no user: no seat, no access, invisible. The mailed code
with the password chosen at sign-up (:meth:`SignUpService.verify_sign_up`), or an
ADMIN's approval, makes the account.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from graph_engine import ids
from graph_engine.errors import InvalidInput, Unauthenticated, problem
from graph_engine.model import Page, PageRequest, Principal, SignUp, User
from graph_engine.security import hash_password, verify_password
from graph_engine.services import attempts, passwords, validate
from graph_engine.services.access import is_admin_of, reach, require_admin_of
from graph_engine.services.base import Service
from graph_engine.store.identity import IdentityStore
from graph_engine.store.visibility import VisibilityStore

# How long the code mailed at sign-up proves the address.
SIGN_UP_VALIDITY = timedelta(hours=24)

# Mail domains anyone can get an address at: they name no organisation, so signing up
# with one would let the first comer found the environment of, say, gmail.com and every
# later comer join it (DESIGN §3.1 joins by domain). Such a sign-up is refused; an ADMIN
# or an operator creates the account (createUser) instead.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "aol.com", "gmail.com", "googlemail.com", "gmx.com", "gmx.de", "gmx.net", "hetnet.nl",
        "home.nl", "hotmail.com", "hotmail.nl", "icloud.com", "kpnmail.nl", "live.com",
        "live.nl", "mail.com", "me.com", "msn.com", "outlook.com", "outlook.nl", "planet.nl",
        "proton.me", "protonmail.com", "telfort.nl", "upcmail.nl", "xs4all.nl", "yahoo.com",
        "yahoo.nl", "yandex.com", "ziggo.nl", "zoho.com",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SignUpReceipt:
    """What signing up answers: the same for every address (see :meth:`SignUpService.sign_up`)."""

    email: str
    expires_at: datetime


class SignUpNeeds(IdentityStore, VisibilityStore, Protocol):
    """What SignUpService asks of the store: sign-ups, within the caller's reach."""


class SignUpService(Service[SignUpNeeds]):
    async def sign_up(
        self, email: str, name: str, password: str, client: str | None = None
    ) -> SignUpReceipt:
        """Start a sign-up: nothing exists until the address is proven (DESIGN §3.1).

        A one-time token (stored only as its hash, valid for :data:`SIGN_UP_VALIDITY`)
        is mailed to the address; :meth:`verify_sign_up` with it and the same password
        makes the account, or an ADMIN of the domain's environment approves the
        sign-up. The answer is the same whether or not the address has an account or
        its domain an environment (an existing account's owner is mailed instead), so
        signing up reveals nothing. Counted per address and per ``client`` before any
        password is hashed (:mod:`graph_engine.services.attempts`).
        """
        address = validate.email(email)
        if address.rsplit("@", 1)[1] in PUBLIC_MAIL_DOMAINS:
            raise InvalidInput(
                "sign up with the address of your organisation: a public mail domain"
                " names no environment to found or join",
                details={"field": "email"},
                suggestion="Ask an ADMIN of your environment to create your account.",
            )
        name = validate.text(name, "name")
        passwords.check(password, name=name, email=address)
        await attempts.spend(
            self.store, attempts.counters("signUp", email=address, client=client), self.now()
        )
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

    async def verify_sign_up(self, token: str, password: str, client: str | None = None) -> User:
        """Prove the address with the mailed token and the password chosen at sign-up.

        The password binds the token to whoever signed up: a sign-up someone else
        started with your address cannot be completed by clicking their mail. Each try
        hashes a password, so tries are counted per ``client``.
        """
        await attempts.spend(
            self.store, attempts.counters("verifySignUp", client=client), self.now()
        )
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
        self, caller: Principal, environment_id: str, page: PageRequest
    ) -> Page[SignUp]:
        """Pending sign-ups to an environment, for its ADMINs and operators to approve."""
        await reach(self.store, caller, [("Environment", environment_id)])
        require_admin_of(caller, environment_id)
        return await self.store.list_sign_ups(environment_id=environment_id, page=page)

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
