"""The identity service's policies: when sessions end, how failed logins slow the next
attempts, how long tokens work; and the small helpers of :mod:`graph_engine.services.identity`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from graph_engine.errors import Unauthenticated

# How long an activation token works after it was issued.
ACTIVATION_VALIDITY = timedelta(days=7)
# How long a password-reset token works after it was mailed.
RESET_VALIDITY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """When sessions end by themselves (``GRAPH_ENGINE_SESSION_IDLE_MINUTES``,
    ``GRAPH_ENGINE_SESSION_HOURS``)."""

    idle: timedelta = timedelta(minutes=30)
    lifetime: timedelta = timedelta(hours=12)
    # The idle clock is written when it is older than this (one write a minute at most).
    touch_every: timedelta = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class LoginThrottle:
    """How failed logins slow down the next attempts (see the module docstring)."""

    account_free: int = 5
    address_free: int = 50
    cap: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(days=1)


def spoken(span: timedelta) -> str:
    """A duration as people say it: '12 hours', '30 minutes', '90 seconds'."""
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds % size == 0 and seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"


def required(token: str | None) -> str:
    """The bearer token, which the operation needs."""
    if not token:
        raise Unauthenticated(
            "this operation needs a bearer token",
            suggestion="Log in (mutation login) and send 'Authorization: Bearer <token>'.",
        )
    return token


def throttle_key(kind: str, value: str) -> str:
    """The counter's id: a hash, so no address or e-mail is stored with it."""
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"thr_{digest}"
