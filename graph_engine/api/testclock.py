"""The test clock over GraphQL: read it and move it forward (operators only).

Only a server started with ``--test-clock STORE`` has one; elsewhere ``testClock`` is
null and ``advanceTestClock`` is ``FORBIDDEN`` (see ``services.testclock``).
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_engine.api.context import Info
from graph_engine.services.testclock import ClockReading


@strawberry.type(description="A test clock's reading: the server's time and its lead.")
class TestClock:
    __test__ = False  # not a pytest class, whatever its name says

    now: datetime
    offset_seconds: int = strawberry.field(description="How far ahead of the wall clock.")

    @classmethod
    def of(cls, r: ClockReading) -> TestClock:
        return cls(now=r.now, offset_seconds=int(r.offset.total_seconds()))


@strawberry.type
class TestClockQuery:
    __test__ = False

    @strawberry.field(
        description=("The server's test clock (operators); null when it runs on the wall clock.")
    )
    async def test_clock(self, info: Info) -> TestClock | None:
        reading = info.context.engine.test_clock.reading(await info.context.caller())
        return None if reading is None else TestClock.of(reading)


@strawberry.type
class TestClockMutation:
    __test__ = False

    @strawberry.mutation(
        description=(
            "Move the server's test clock forward by `seconds` (1 s to two years;"
            " operators, and only on a server started with --test-clock). Every"
            " time-dependent rule follows: maintenance, sessions, licences, tokens."
        )
    )
    async def advance_test_clock(self, info: Info, seconds: int) -> TestClock:
        ctx = info.context
        return TestClock.of(ctx.engine.test_clock.advance(await ctx.caller(), seconds))
