"""How many authorization requests one sender may send, shared by both stores.

Every request mails its recipient, so a sender who could send without bound could
flood another tenant's inboxes with our name on the mails. Two rules, checked in
the statement that stores the request (both stores lock the sender first, so
concurrent sends are counted one after the other):

* **one pending request per (sender, recipient, organisation)**: asking again
  while the first waits is ``CONSTRAINT_VIOLATION`` (``request_pending``), naming
  the sender's own request;
* **at most** :data:`SEND_LIMIT` **requests per sender in any** :data:`SEND_WINDOW`:
  the next is ``TOO_MANY_ATTEMPTS`` with ``retryAfter`` (HTTP 429 and
  ``Retry-After``), the seconds until the oldest request in the window leaves it.

Refused sends (an unknown pair) store nothing and are not counted here; they are wrong
guesses at another tenant's ids, counted per sender and per environment by
:func:`graph_engine.services.attempts.guessing`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

SEND_LIMIT = 20
SEND_WINDOW = timedelta(hours=1)


def retry_after(sent_at: Iterable[datetime], at: datetime) -> int | None:
    """Seconds until the sender may send again, or None when they may now.

    Examples
    --------
    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> retry_after([t] * SEND_LIMIT, t + timedelta(minutes=59))
    60
    >>> retry_after([t] * (SEND_LIMIT - 1), t) is None
    True
    """
    recent = sorted(s for s in sent_at if s > at - SEND_WINDOW)
    if len(recent) < SEND_LIMIT:
        return None
    oldest = recent[len(recent) - SEND_LIMIT]
    return max(1, math.ceil((oldest + SEND_WINDOW - at).total_seconds()))
