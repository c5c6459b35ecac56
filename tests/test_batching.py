"""How the Neo4j store shares statements between reads asked at once (store/neo4j/batching.py).

The rules, with a runner the test holds in its hand: a read on an idle store
goes at once and alone; reads asked while a statement is out wait for the next
one, which is sent after they were asked (so it sees every write before them);
a statement carries at most ``size`` asks; one ask's failure is its own; the
store being unavailable is everyone's, each with its own error; an asker that
went away is left out; the statement runs in no asker's context. Then against
the real Neo4j: a statement that fails for one ask's parameters, and the
composed statements themselves.
"""

from __future__ import annotations

import asyncio
import contextvars
from pathlib import Path
from typing import Any, LiteralString

import pytest
from neo4j.exceptions import TransientError

from graph_engine.errors import StoreUnavailable
from graph_engine.store.cypher import BATCH_INDEX, Queries
from graph_engine.store.neo4j import Neo4jStore
from graph_engine.store.neo4j.batching import Batches

QUERY: LiteralString = (
    "UNWIND range(0, size($asks) - 1) AS batchAsk RETURN batchAsk, $asks[batchAsk].x AS x"
)
ASKER = contextvars.ContextVar("asker", default="nobody")


class Runner:
    """Answers each ask with its ``x`` doubled, when the test opens the gate."""

    def __init__(self, *, held: bool = False) -> None:
        self.sent: list[list[Any]] = []  # the x of each statement's asks, in sending order
        self.gate = asyncio.Event()
        if not held:
            self.gate.set()
        self.contexts: list[str] = []
        self.fail: Exception | None = None
        self.out = 0  # statements under way now, and the most at once
        self.most_out = 0

    async def __call__(self, query: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert query == QUERY
        xs = [ask["x"] for ask in params["asks"]]
        self.sent.append(xs)
        self.contexts.append(ASKER.get())
        self.out += 1
        self.most_out = max(self.most_out, self.out)
        try:
            await self.gate.wait()
        finally:
            self.out -= 1
        if self.fail is not None:
            raise self.fail
        if "unindexed" in xs:  # a row that says nobody's ask: a fault of ours
            return [{"x": 0}]
        if "poison" in xs:
            raise ValueError("an ask this statement cannot answer")
        # Out of order, and an ask with no row and one with two, as statements may give.
        rows: list[dict[str, Any]] = []
        for n, x in reversed(list(enumerate(xs))):
            if x == "none":
                continue
            rows.extend({BATCH_INDEX: n, "x": x * 2} for _ in range(2 if x == "twice" else 1))
        return rows


async def test_a_read_on_an_idle_store_goes_at_once_and_alone() -> None:
    runner = Runner()
    batches = Batches(runner, in_flight=1)
    assert await batches.read("q", QUERY, {"x": 1}) == [{"x": 2}]
    assert runner.sent == [[1]]


async def test_reads_asked_while_a_statement_is_out_go_together_in_the_next() -> None:
    runner = Runner(held=True)
    batches = Batches(runner, in_flight=1)
    first = asyncio.ensure_future(batches.read("q", QUERY, {"x": 1}))
    await asyncio.sleep(0)  # the first statement is out, held at the gate
    await asyncio.sleep(0)
    assert runner.sent == [[1]]
    rest = [asyncio.ensure_future(batches.read("q", QUERY, {"x": x})) for x in (2, "none", "twice")]
    await asyncio.sleep(0)
    assert runner.sent == [[1]]  # they wait: one statement out at most
    runner.gate.set()
    assert await first == [{"x": 2}]
    assert await asyncio.gather(*rest) == [[{"x": 4}], [], [{"x": "twicetwice"}] * 2]
    # The second statement was sent after they were asked, so it sees what was written
    # before them.
    assert runner.sent == [[1], [2, "none", "twice"]]


async def test_a_statement_carries_at_most_size_asks_and_in_flight_go_out_at_once() -> None:
    runner = Runner(held=True)
    batches = Batches(runner, in_flight=2, size=2)
    reads = [asyncio.ensure_future(batches.read("q", QUERY, {"x": x})) for x in range(7)]
    for _ in range(3):
        await asyncio.sleep(0)
    assert runner.sent == [[0, 1], [2, 3]]  # two out, three waiting
    runner.gate.set()
    assert await asyncio.gather(*reads) == [[{"x": 2 * x}] for x in range(7)]
    assert sorted(map(len, runner.sent)) == [1, 2, 2, 2]
    assert sorted(x for xs in runner.sent for x in xs) == list(range(7))


async def test_one_asks_failure_is_its_own() -> None:
    runner = Runner(held=True)
    batches = Batches(runner, in_flight=1)
    first = asyncio.ensure_future(batches.read("q", QUERY, {"x": 0}))
    await asyncio.sleep(0)
    reads = [asyncio.ensure_future(batches.read("q", QUERY, {"x": x})) for x in (1, "poison", 3)]
    runner.gate.set()
    await first
    outcomes = await asyncio.gather(*reads, return_exceptions=True)
    assert outcomes[0] == [{"x": 2}]
    assert isinstance(outcomes[1], ValueError)
    assert outcomes[2] == [{"x": 6}]
    # The shared statement failed, then each went alone, one after another in its place.
    assert runner.sent[1:] == [[1, "poison", 3], [1], ["poison"], [3]]
    assert runner.most_out == 1


async def test_the_store_unavailable_is_everyones_each_with_its_own_error() -> None:
    runner = Runner(held=True)
    runner.fail = StoreUnavailable("the graph store is unavailable", suggestion="Try again.")
    batches = Batches(runner, in_flight=2)
    out = [asyncio.ensure_future(batches.read("q", QUERY, {"x": x})) for x in (0, 1)]
    for _ in range(2):
        await asyncio.sleep(0)
    assert runner.sent == [[0, 1]]
    later = asyncio.ensure_future(batches.read("q", QUERY, {"x": 2}))
    for _ in range(2):
        await asyncio.sleep(0)
    assert runner.sent == [[0, 1], [2]]  # the second statement out
    waiting = [asyncio.ensure_future(batches.read("q", QUERY, {"x": x})) for x in (3, 4)]
    await asyncio.sleep(0)
    runner.gate.set()
    errors = await asyncio.gather(*out, later, *waiting, return_exceptions=True)
    assert all(isinstance(e, StoreUnavailable) for e in errors)
    assert {e.extensions["code"] for e in errors} == {"STORE_UNAVAILABLE"}  # type: ignore[union-attr]
    assert len({id(e) for e in errors}) == len(errors)  # each its own
    # Not sent again one by one; those waiting were answered with the failure before
    # them instead of waiting out a failure of their own.
    assert runner.sent == [[0, 1], [2]]


async def test_a_transient_failure_is_its_statements_alone() -> None:
    """A transient error (one the driver retried, such as a statement's memory) may be the
    statement's own: those waiting for the next are sent, not failed with it."""
    runner = Runner(held=True)
    failure = StoreUnavailable("the graph store is unavailable")
    failure.__cause__ = TransientError("out of memory for this statement")
    runner.fail = failure
    batches = Batches(runner, in_flight=1)
    first = asyncio.ensure_future(batches.read("q", QUERY, {"x": 0}))
    await asyncio.sleep(0)
    waiting = asyncio.ensure_future(batches.read("q", QUERY, {"x": 1}))
    await asyncio.sleep(0)
    runner.gate.set()
    with pytest.raises(StoreUnavailable):
        await first
    runner.fail = None
    assert await waiting == [{"x": 2}]
    assert runner.sent == [[0], [1]]


async def test_a_fault_of_ours_reaches_every_asker_and_the_lane_goes_on() -> None:
    runner = Runner()
    batches = Batches(runner, in_flight=1)
    faulty = await asyncio.gather(
        *(batches.read("q", QUERY, {"x": x}) for x in (1, "unindexed", 3)),
        return_exceptions=True,
    )
    assert all(isinstance(e, RuntimeError) for e in faulty), faulty
    assert len({id(e) for e in faulty}) == len(faulty)
    assert await batches.read("q", QUERY, {"x": 4}) == [{"x": 8}]


async def test_a_statement_cancelled_before_it_began_frees_its_place() -> None:
    runner = Runner()
    batches = Batches(runner, in_flight=1)
    ask = asyncio.ensure_future(batches.read("q", QUERY, {"x": 1}))
    await asyncio.sleep(0)  # the read is asked; its statement's task has not run yet
    (task,) = batches._tasks
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await ask  # answered (cancelled), not left waiting
    assert runner.sent == []
    assert await batches.read("q", QUERY, {"x": 2}) == [{"x": 4}]  # the lane is free


def test_a_batch_needs_a_place_and_a_size() -> None:
    runner = Runner()
    for in_flight, size in ((0, 32), (2, 0)):
        with pytest.raises(ValueError, match="at least one"):
            Batches(runner, in_flight=in_flight, size=size)


async def test_an_asker_that_went_away_is_left_out() -> None:
    runner = Runner(held=True)
    batches = Batches(runner, in_flight=1)
    first = asyncio.ensure_future(batches.read("q", QUERY, {"x": 0}))
    await asyncio.sleep(0)
    gone = asyncio.ensure_future(batches.read("q", QUERY, {"x": 1}))
    stays = asyncio.ensure_future(batches.read("q", QUERY, {"x": 2}))
    await asyncio.sleep(0)
    gone.cancel()
    first.cancel()  # its statement is out: it finishes for nobody
    runner.gate.set()
    assert await stays == [{"x": 4}]
    assert gone.cancelled()
    assert first.cancelled()
    assert runner.sent == [[0], [2]]


async def test_the_statement_runs_in_no_askers_context() -> None:
    runner = Runner()
    batches = Batches(runner, in_flight=1)

    async def ask_as(name: str) -> list[dict[str, Any]]:
        ASKER.set(name)
        return await batches.read("q", QUERY, {"x": 1})

    await asyncio.gather(ask_as("tenant a"), ask_as("tenant b"))
    assert runner.contexts
    assert set(runner.contexts) == {"nobody"}


@pytest.mark.parametrize(
    ("statement", "batchable"),
    [
        ("MATCH (u:User {id: $id}) RETURN u.name AS name", True),
        ("MATCH (u:User) RETURN u.name AS name LIMIT 10", True),
        ("RETURN {kind: 'not_found', id: $id} AS problem", True),
        ("MATCH (u:User) RETURN u.name AS name LIMIT $limit", False),
        ("MATCH (u:User) RETURN u.name AS name SKIP\n  $skip", False),
        ("RETURN ' costs $5' AS text, $id AS id", False),
        ('RETURN "it\'s $5" AS text', False),
        ("MATCH (u:User) CALL (u) { RETURN $id AS id } RETURN id", False),
        ("RETURN $id AS batchAsk", False),
    ],
)
def test_a_statement_is_batched_only_when_the_rewrite_keeps_its_meaning(
    tmp_path: Path, statement: str, batchable: bool
) -> None:
    folder = tmp_path / "identity"
    folder.mkdir()
    (folder / "probe.cypher").write_text(statement, encoding="utf-8")
    (folder / "resolve_session.cypher").write_text(Queries()["resolve_session"], encoding="utf-8")
    queries = Queries(tmp_path)
    assert (queries.batched("probe") is not None) is batchable
    assert (queries.batched("probe", as_user=("id",)) is not None) is batchable


def test_statements_with_a_page_size_parameter_are_not_batched() -> None:
    queries = Queries()
    batched = queries.batched("can_invite", as_user=("viewerId", "inviterId"))
    assert batched is not None
    assert batched.startswith(f"UNWIND range(0, size($asks) - 1) AS {BATCH_INDEX}\n")
    # Every parameter reads its ask's value; no bare parameter is left.
    assert set(batched.split("$")[1:]) == {
        s for s in batched.split("$")[1:] if s.startswith("asks")
    }
    assert queries.batched("invite_candidates", as_user=("viewerId", "inviterId")) is None
    # A plain read: its one statement in a subquery per ask.
    plain = queries.batched("resolve_session")
    assert plain is not None
    assert "$tokenHash" not in plain
    assert "$asks[batchAsk].tokenHash" in plain
    assert queries.batched("invite_candidates") is None


@pytest.mark.neo4j
async def test_on_neo4j_a_statement_that_fails_for_one_ask_fails_that_ask_alone(
    neo4j_store: Neo4jStore,
) -> None:
    query: LiteralString = (
        "UNWIND range(0, size($asks) - 1) AS batchAsk RETURN batchAsk, 12 / $asks[batchAsk].d AS q"
    )
    sent: list[int] = []

    async def run(q: LiteralString, params: dict[str, Any]) -> list[dict[str, Any]]:
        sent.append(len(params["asks"]))
        return await neo4j_store._read(q, params, values=True)

    batches = Batches(run, in_flight=1)
    outcomes = await asyncio.gather(
        *(batches.read("q", query, {"d": d}) for d in (1, 2, 0, 3, 4)), return_exceptions=True
    )
    assert outcomes[:2] == [[{"q": 12}], [{"q": 6}]]
    assert isinstance(outcomes[2], Exception)
    assert "/ by zero" in str(outcomes[2])
    assert outcomes[3:] == [[{"q": 4}], [{"q": 3}]]
    assert sent == [5, 1, 1, 1, 1, 1]  # all five together, then each alone
