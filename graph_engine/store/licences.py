"""When a licence cancellation takes effect (DESIGN §3.2, the Easyflex article).

The minimum term is 12 months from the licence's start; after that a licence is
cancelled per week. Decided: the cancellation takes effect at the **later** of

* the start plus 12 calendar months (a start on 29 February ends its term on
  28 February), and
* the first week boundary **after** the request: Monday 00:00 UTC of the next
  week. A request on a Monday, even at 00:00:00, waits for the Monday after.

The Neo4j statement ``request_licence_cancellation.cypher`` computes the same
date with ``duration({months: 12})`` and ``datetime.truncate('week', ...)``.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

from graph_engine.model import Cancellation, Licence

MINIMUM_TERM_MONTHS = 12


def number_key(environment_id: str, number: str) -> str:
    """What keeps a licence number unique within its environment (``numberKey``; the
    Neo4j statements build the same ``environment id/number``)."""
    return f"{environment_id}/{number}"


def add_months(when: datetime, months: int) -> datetime:
    """``when`` plus calendar months, the day clamped to the month's last day.

    Examples
    --------
    >>> add_months(datetime(2024, 2, 29, 9, tzinfo=UTC), 12).date().isoformat()
    '2025-02-28'
    """
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def next_week_boundary(when: datetime) -> datetime:
    """Monday 00:00 UTC of the week after the one ``when`` falls in.

    Examples
    --------
    >>> next_week_boundary(datetime(2026, 1, 5, 0, 0, tzinfo=UTC)).isoformat()
    '2026-01-12T00:00:00+00:00'
    """
    moment = when.astimezone(UTC)
    monday = (moment - timedelta(days=moment.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return monday + timedelta(days=7)


def cancellation_date(started_at: datetime, requested_at: datetime) -> datetime:
    """The moment a cancellation requested at ``requested_at`` takes effect.

    Examples
    --------
    >>> start = datetime(2025, 3, 12, 9, tzinfo=UTC)
    >>> cancellation_date(start, datetime(2025, 6, 1, tzinfo=UTC)).isoformat()
    '2026-03-12T09:00:00+00:00'
    >>> cancellation_date(start, datetime(2026, 4, 1, tzinfo=UTC)).isoformat()
    '2026-04-06T00:00:00+00:00'
    """
    term_end = add_months(started_at.astimezone(UTC), MINIMUM_TERM_MONTHS)
    return max(term_end, next_week_boundary(requested_at))


NOT_NEEDED = (
    "cancelling licences is not needed on a per-processed-hour contract: "
    "it has no costs per licence"
)


def cancellation(licence: Licence, per_hour: bool) -> Cancellation:
    """The answer to a cancellation request, the same from both stores."""
    if per_hour:
        return Cancellation(needed=False, effective_at=None, licence=licence, message=NOT_NEEDED)
    when = licence.cancel_at
    assert when is not None  # noqa: S101 - set by the request
    return Cancellation(
        needed=True,
        effective_at=when,
        licence=licence,
        message=f"licence {licence.number} is cancelled as of {when.isoformat()}",
    )
