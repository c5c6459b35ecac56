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
"""

from __future__ import annotations

from datetime import datetime, timedelta

from graph_engine import audit
from graph_engine.errors import TooManyAttempts
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
}


def counters(kind: str, *, email: str | None = None, client: str | None = None) -> dict[str, int]:
    """The counters one request of ``kind`` spends on, with their free attempts."""
    found = {}
    for by, value in (("email", email), ("client", client)):
        if value:
            found[throttle_key(f"{kind}:{by}", value)] = FREE[kind, by]
    return found


async def spend(store: IdentityStore, keys: dict[str, int], at: datetime) -> None:
    """Count one attempt, or refuse it while a counter waits (TOO_MANY_ATTEMPTS)."""
    if not keys:
        return
    with audit.suspended():
        wait = await store.login_throttle(keys=list(keys), at=at)
        if wait is not None:
            raise TooManyAttempts(
                f"too many requests of this kind: try again in {wait} seconds",
                details={"retryAfter": wait},
            )
        await store.record_login_failure(
            free=keys,
            cap_seconds=int(CAP.total_seconds()),
            forget_before=at - FORGET_AFTER,
            at=at,
        )
