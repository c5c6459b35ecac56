"""Hot reads asked at the same moment, answered by one statement.

A hot read (``canInvite``, in session or not; the session or API key behind every
other request) costs the server more Python in the driver's round trip (packing, the
socket, the driver's timeouts: ~400 µs) than in the engine's own work. When
several are asked at once (one worker serving many connections), they share a
round trip: a read is sent at once when fewer than ``in_flight`` statements of
its kind are under way, and otherwise waits for the next one, which takes every
read waiting by then (up to ``size``). No timer: on an idle server a read goes
alone and at once; on a busy one it waits at most for the statements under way.
The statement (:meth:`graph_engine.store.cypher.Queries.batched`) answers each
ask from its own parameters in its own subqueries, and each row says whose ask
it answers. Two statements out per kind: on two cores one or two served the same
(1,605 and 1,525–1,612 ``canInvite``/s per worker), four fewer (1,417); a second
lets a slow statement not hold every read behind it.

- **Fresh.** Every read is answered by a statement sent after it was asked, so
  it sees every write acknowledged before it (nothing is cached).
- **Apart.** An ask is answered only from its own parameters; rows go back by
  position. A statement that fails other than by the store being unavailable is
  sent again one ask at a time, so one ask's failure is its own alone.
- **Unavailable is everyone's.** When Neo4j is gone, every ask of the statement,
  and every ask waiting for the next, gets its own copy of the store's error at
  once: a read answers within one failure's time (the driver's retries), as it
  did alone, not after the statement before it failed too.
- **Cancelled asks** (the client went away) are answered into the void or left
  out of the next statement; the statement itself is its own task, in a fresh
  context, never cancelled by one asker.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import exceptions as neo

from graph_engine.errors import GraphEngineError, StoreUnavailable
from graph_engine.store.cypher import BATCH_INDEX
from graph_engine.telemetry import STORE_BATCH_ASKS

Row = dict[str, Any]
# Runs one read statement with its parameters and returns its rows.
Runner = Callable[[LiteralString, dict[str, Any]], Awaitable[list[Row]]]


@dataclass(slots=True, eq=False)
class _Ask:
    params: dict[str, Any]
    answer: asyncio.Future[list[Row]]


@dataclass(slots=True, eq=False)
class _Lane:
    """The reads of one statement: those waiting, and how many statements are out."""

    name: str
    query: LiteralString
    waiting: list[_Ask] = field(default_factory=list)
    in_flight: int = 0


class Batches:
    """Shares round trips between reads asked at once; one per store."""

    def __init__(self, run: Runner, *, in_flight: int = 2, size: int = 32) -> None:
        if in_flight < 1 or size < 1:
            raise ValueError("a batch needs at least one statement out and one ask in it")
        self._run = run
        self.in_flight = in_flight
        self.size = size
        self._lanes: dict[str, _Lane] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def read(self, name: str, query: LiteralString, params: dict[str, Any]) -> list[Row]:
        """The rows ``query`` (a batched statement) gives for ``params``, as if asked alone."""
        lane = self._lanes.get(query)
        if lane is None:
            lane = self._lanes[query] = _Lane(name, query)
        ask = _Ask(params, asyncio.get_running_loop().create_future())
        lane.waiting.append(ask)
        self._send_next(lane)
        return await ask.answer

    def _send_next(self, lane: _Lane) -> None:
        if not lane.waiting or lane.in_flight >= self.in_flight:
            return
        lane.in_flight += 1
        # The asks are taken when the task runs, so those asked meanwhile go too; its own
        # empty context: no asker's request id, span or mutation state reaches it.
        task = asyncio.create_task(self._send(lane), context=contextvars.Context())
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._finished(lane, done))

    def _finished(self, lane: _Lane, task: asyncio.Task[None]) -> None:
        """A statement's task is over, however it ended (even cancelled before it began)."""
        self._tasks.discard(task)
        lane.in_flight -= 1
        if task.cancelled():  # the loop is closing: nobody waits in vain, nothing new starts
            for ask in lane.waiting:
                ask.answer.cancel()
            lane.waiting.clear()
            return
        self._send_next(lane)

    async def _send(self, lane: _Lane) -> None:
        taken, lane.waiting = lane.waiting[: self.size], lane.waiting[self.size :]
        try:
            self._send_next(lane)  # more than one statement's worth waits: another goes
            asks = [ask for ask in taken if not ask.answer.done()]
            if asks:
                STORE_BATCH_ASKS.labels(lane.name).observe(len(asks))
                await self._answer(lane, asks)
        except asyncio.CancelledError:
            for ask in taken:
                ask.answer.cancel()
            raise
        except Exception as exc:  # noqa: BLE001 - a fault of ours: every asker learns of it
            for ask in taken:
                _settle(ask, error=_own(exc))

    async def _answer(self, lane: _Lane, asks: list[_Ask]) -> None:
        try:
            rows = await self._run(lane.query, {"asks": [ask.params for ask in asks]})
        except StoreUnavailable as exc:
            everyone = list(asks)
            if not isinstance(exc.__cause__, neo.TransientError):
                # Neo4j is unreachable: the asks waiting meanwhile would wait a whole
                # failure more (the driver's retries) for the same answer, so they have
                # it now. (A transient error, which may be this statement's own, such as
                # its memory, is only its asks'.)
                everyone += lane.waiting
                lane.waiting = []
            for ask in everyone:
                _settle(ask, error=_own(exc))
            return
        except Exception as exc:  # noqa: BLE001 - each ask gets its own outcome below
            if len(asks) == 1:
                _settle(asks[0], error=exc)
                return
            # One after another, within this statement's place: a bad ask costs its
            # neighbours time, never a flood of statements.
            for ask in asks:
                await self._answer(lane, [ask])
            return
        answers: list[list[Row]] = [[] for _ in asks]
        for row in rows:
            answers[row.pop(BATCH_INDEX)].append(row)
        for ask, answer in zip(asks, answers, strict=True):
            _settle(ask, rows=answer)


def _own(exc: Exception) -> Exception:
    """An error of one asker's own, for an error many share: the store's error as it was
    built, anything else (a fault of ours) as an internal error that names its kind."""
    own: Exception
    if isinstance(exc, GraphEngineError):
        own = type(exc)(exc.message, details=dict(exc.details), suggestion=exc.suggestion)
        own.kind = exc.kind
    else:
        own = RuntimeError(f"a shared read failed: {type(exc).__name__}")
    own.__cause__ = exc
    return own


def _settle(ask: _Ask, *, rows: list[Row] | None = None, error: Exception | None = None) -> None:
    if ask.answer.done():  # the asker went away
        return
    if error is not None:
        ask.answer.set_exception(error)
    else:
        ask.answer.set_result(rows or [])
