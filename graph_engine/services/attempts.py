"""Public requests that cost us work or mail someone are counted, like failed logins.

``requestPasswordReset`` mails the address, ``signUp`` hashes a password and mails,
``verifySignUp`` hashes a password, an anonymous ``submitApplication`` stores a record
in another tenant's list: without a bound, one client could flood an inbox or keep the
server hashing. Each such request spends one attempt on its counters (per address
asked about, and per client address), in the store the login throttle uses, so every
server process shares them: after a counter's free attempts, each further one doubles
the wait before the next (2 s, 4 s, … up to 15 minutes); a request during the wait is
``TOO_MANY_ATTEMPTS`` with ``retryAfter`` (HTTP 429 and ``Retry-After``), whatever the
address (so the answer still says nothing about whether it has an account). A counter
forgets after a day without attempts.

**Guesses** at another tenant's ids are counted the same way (:func:`guessing`): the
mutations that name someone outside the caller's reach (``sendAuthorizationRequest``'s
recipient and organisation, ``proposePartnership``'s partner) answer one ``NOT_FOUND``
for every wrong id, and a success tells that the ids are real; so each refusal spends an
attempt per caller and per caller's environment (a colleague promoted to send does not
start afresh) and per network address (nor does a tenant made anew by signing up from
the same place), and while a counter waits every such request is ``TOO_MANY_ATTEMPTS``,
the right guess too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from graph_engine import audit
from graph_engine.errors import NotFound, TooManyAttempts
from graph_engine.services.identity_policy import throttle_key
from graph_engine.store.identity import IdentityStore

CAP = timedelta(minutes=15)
FORGET_AFTER = timedelta(days=1)

# Free attempts per counter: (kind of request, what it is counted by) -> attempts.
FREE = {
    ("reset", "email"): 3,
    ("reset", "client"): 20,
    ("signUp", "email"): 3,
    ("signUp", "client"): 10,
    ("verifySignUp", "client"): 20,
    ("application", "client"): 20,
    ("guess", "user"): 10,
    ("guess", "environment"): 25,
    ("guess", "client"): 25,
}


def counters(kind: str, **by: str | None) -> dict[str, int]:
    """The counters one request of ``kind`` spends on (``email=``, ``client=``, ``user=``,
    ``environment=``: what it is counted by; None: not by that), with their free attempts."""
    return {
        throttle_key(f"{kind}:{name}", value): FREE[kind, name]
        for name, value in by.items()
        if value
    }


async def spend(store: IdentityStore, keys: dict[str, int], at: datetime) -> None:
    """Count one attempt, or refuse it while a counter waits (TOO_MANY_ATTEMPTS)."""
    await _refuse_while_waiting(store, keys, at)
    await _count(store, keys, at)


@asynccontextmanager
async def guessing(store: IdentityStore, keys: dict[str, int], at: datetime) -> AsyncIterator[None]:
    """A request that names ids outside the caller's reach: refused while ``keys`` wait,
    and a ``NOT_FOUND`` from it counted as a wrong guess (see the module docstring)."""
    await _refuse_while_waiting(store, keys, at)
    try:
        yield
    except NotFound:
        await _count(store, keys, at)
        raise


async def _refuse_while_waiting(store: IdentityStore, keys: dict[str, int], at: datetime) -> None:
    if not keys:
        return
    with audit.suspended():
        wait = await store.login_throttle(keys=list(keys), at=at)
    if wait is not None:
        raise TooManyAttempts(
            f"too many requests of this kind: try again in {wait} seconds",
            details={"retryAfter": wait},
        )


async def _count(store: IdentityStore, keys: dict[str, int], at: datetime) -> None:
    if not keys:
        return
    with audit.suspended():
        await store.record_login_failure(
            free=keys,
            cap_seconds=int(CAP.total_seconds()),
            forget_before=at - FORGET_AFTER,
            at=at,
        )
