"""Time comes from here, so tests and demos can move it.

Every service takes a :class:`Clock`; nothing else in the engine calls
``datetime.now``.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """A source of the current time (timezone-aware, UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to (tests, demos, maintenance rehearsals)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            msg = "ManualClock needs a timezone-aware datetime"
            raise ValueError(msg)
        with self._lock:
            self._now = when

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


class TestClock:
    """The wall clock plus an offset that only grows: a server's clock for staging and
    acceptance tests (like Stripe's test clocks), moved forward by an operator through
    ``advanceTestClock``. Never the default: ``serve --test-clock STORE`` turns it on,
    naming the store it is for (see ``Settings.clock``)."""

    __test__ = False  # not a pytest class, whatever its name says

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by ``delta`` (positive: time never runs back)."""
        if delta <= timedelta(0):
            msg = "a test clock only moves forward"
            raise ValueError(msg)
        with self._lock:
            self._offset += delta
            return datetime.now(UTC) + self._offset
