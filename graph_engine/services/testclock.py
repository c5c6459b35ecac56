"""The server's test clock, for staging and acceptance tests (``serve --test-clock``).

With it, an operator moves the server's time forward (``advanceTestClock``) and every
time-dependent rule follows, since every service reads the engine's one clock:
maintenance windows, warnings and countdowns, session expiry, licence terms and
cancellations, token expiry. It only moves forward, by at most
``MAX_STEP`` a call. Without it the server runs on the wall clock and refuses to move.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from graph_engine.clock import TestClock
from graph_engine.errors import Forbidden, InvalidInput
from graph_engine.model import Principal
from graph_engine.services.access import require_operator
from graph_engine.services.base import Service

MAX_STEP = timedelta(days=2 * 366)


@dataclass(frozen=True, slots=True)
class ClockReading:
    now: datetime
    offset: timedelta


class TestClockService(Service[object]):
    """Reads and moves the engine's clock; asks nothing of the store."""

    __test__ = False  # not a pytest class, whatever its name says

    def _test_clock(self) -> TestClock:
        if not isinstance(self.clock, TestClock):
            raise Forbidden(
                "this server runs on the wall clock; a test clock is turned on at start"
                " (serve --test-clock STORE), never in production",
                details={"testClock": False},
            )
        return self.clock

    def reading(self, caller: Principal) -> ClockReading | None:
        """The test clock's time and how far ahead it runs; None on the wall clock."""
        require_operator(caller)
        if not isinstance(self.clock, TestClock):
            return None
        return ClockReading(self.clock.now(), self.clock.offset)

    def advance(self, caller: Principal, seconds: int) -> ClockReading:
        require_operator(caller)
        clock = self._test_clock()
        step = timedelta(seconds=seconds)
        if not timedelta(0) < step <= MAX_STEP:
            raise InvalidInput(
                f"seconds must lie between 1 and {int(MAX_STEP.total_seconds())}"
                " (the clock only moves forward, two years at most a call)",
                details={"field": "seconds", "max": int(MAX_STEP.total_seconds())},
            )
        now = clock.advance(step)
        return ClockReading(now, clock.offset)
