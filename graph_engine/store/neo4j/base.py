"""Driver plumbing shared by the Neo4j store's operations.

One :class:`neo4j.AsyncDriver` per store (and one store per process). A read of
one statement runs as an auto-commit transaction (one round trip: a managed
transaction costs a BEGIN and a COMMIT besides), retried here on the transient
errors the driver's managed transactions retry, within the same time. A write
runs in a managed transaction, which the driver retries on transient errors
such as deadlocks: one statement through ``execute_query``, several through one
``execute_write`` transaction function. Every session shares the driver's
bookmarks, so a read after a write sees it on a cluster too.

Driver errors are translated here, at the edge, into the engine's own errors;
nothing above this module sees a ``neo4j`` exception.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, LiteralString, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncSession,
    NotificationMinimumSeverity,
    RoutingControl,
)
from neo4j import exceptions as neo

from graph_engine import audit
from graph_engine.errors import GraphEngineError, StoreUnavailable, from_problem, problem
from graph_engine.store.cypher import Queries
from graph_engine.store.neo4j.batching import Batches

Row = dict[str, Any]
T = TypeVar("T")
log = logging.getLogger("graph_engine.store")

# A transient failure of an auto-commit read is tried again after this long, doubling
# (with jitter) until Timeouts.retry has passed, as the driver does for transactions.
_FIRST_RETRY_DELAY = 0.02

_CONSTRAINT = re.compile(r"label `(\w+)` and property `(\w+)` = '([^']*)'")


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long the driver waits, in seconds: to connect, for a pooled connection, and
    retrying a transaction that failed for a passing reason (a deadlock, a leader
    change). Together they keep a request with Neo4j gone under five seconds."""

    connect: float = 1.5
    acquire: float = 2.0
    retry: float = 2.0


def translate_constraint_error(exc: neo.ConstraintError) -> GraphEngineError:
    """Map a uniqueness violation (a concurrent writer won the race) to our error."""
    match = _CONSTRAINT.search(exc.message or "")
    if match is None:
        return problem("duplicate_id", label="node", id="?")
    label, prop, value = match.groups()
    if (label, prop) == ("User", "email"):
        return problem("duplicate_email", email=value)
    if (label, prop) == ("Environment", "emailDomain"):
        return problem("duplicate_domain", emailDomain=value, environment=None)
    if (label, prop) == ("PartnershipProposal", "pendingKey"):
        return problem("proposal_pending", proposal=None)
    if (label, prop) == ("Partnership", "pairKey"):
        return problem(
            "partnership_exists", environments=" and ".join(value.split("\x1f")), partnership=None
        )
    return problem("duplicate_id", label=label, id=value)


class Neo4jBase:
    """State and helpers of :class:`graph_engine.store.neo4j.Neo4jStore`."""

    # Statement files each operation module runs; the store checks them at start-up.
    QUERIES: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        uri: str,
        *,
        auth: tuple[str, str] | None = None,
        database: str = "neo4j",
        queries: Queries | None = None,
        max_connection_pool_size: int = 100,
        timeouts: Timeouts | None = None,
        batches_in_flight: int = 2,
    ) -> None:
        self.uri = uri
        self.database = database
        self.queries = queries or Queries()
        self.queries.require(self.required_queries())
        self.timeouts = timeouts or Timeouts()
        self.driver: AsyncDriver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            max_connection_pool_size=max_connection_pool_size,
            # Fail fast when Neo4j is gone: a request answers STORE_UNAVAILABLE in a few
            # seconds instead of retrying for half a minute (the driver's defaults).
            connection_timeout=self.timeouts.connect,
            connection_acquisition_timeout=self.timeouts.acquire,
            max_transaction_retry_time=self.timeouts.retry,
            # Planner notices ("relationship type does not exist yet") are noise on a
            # fresh database; real problems arrive as errors.
            notifications_min_severity=NotificationMinimumSeverity.OFF,
        )
        self.batches = Batches(
            lambda query, params: self._read(query, params, values=True),
            in_flight=batches_in_flight,
        )

    @classmethod
    def required_queries(cls) -> set[str]:
        names: set[str] = set()
        for klass in cls.__mro__:
            names.update(vars(klass).get("QUERIES", ()))
        return names

    @asynccontextmanager
    async def _errors(self) -> AsyncIterator[None]:
        try:
            yield
        except neo.ConstraintError as exc:
            raise translate_constraint_error(exc) from None
        except (
            neo.ServiceUnavailable,
            neo.SessionExpired,
            neo.ConnectionAcquisitionTimeoutError,
            neo.TransientError,  # still failing when the retries' time ran out
            OSError,
        ) as exc:
            # Where the store is, and how it failed, go to the log, not to the caller.
            log.warning("Neo4j at %s is unavailable: %s", self.uri, exc)
            raise StoreUnavailable(
                "the graph store is unavailable; nothing was done",
                suggestion="Try again in a moment.",
            ) from exc

    async def _run(self, name: str, /, *, write: bool = False, **params: Any) -> list[Row]:
        """Run one statement in its own managed transaction; return its rows.

        A write while a mutation owes its audit event (:mod:`graph_engine.audit`)
        writes the event in the same transaction, unless the statement refused.
        """
        event = audit.pending() if write else None
        if event is not None:
            return await self._audited_run(event, name, params)
        if not write and not audit.in_mutation():
            return await self._read(self.queries[name], params)
        async with self._errors():
            result = await self.driver.execute_query(
                self.queries[name],
                params,
                routing_=RoutingControl.WRITE,
                database_=self.database,
            )
        return [record.data() for record in result.records]

    async def _read_in_session(
        self, name: str, /, *, token_hash: str, as_user: tuple[str, ...], **params: Any
    ) -> list[Row]:
        """Run read ``name`` as the holder of a session token, in one round trip
        (:meth:`graph_engine.store.cypher.Queries.in_session`), shared with the reads of
        ``name`` asked at the same moment when the statement allows it
        (:mod:`graph_engine.store.neo4j.batching`)."""
        params = {**params, "tokenHash": token_hash}
        batched = self.queries.batched(name, as_user=as_user)
        if batched is None:
            return await self._read(
                self.queries.in_session(name, as_user=as_user), params, values=True
            )
        return await self.batches.read(name, batched, params)

    async def _shared_read(self, name: str, /, **params: Any) -> list[Row]:
        """Run read ``name`` as :meth:`_run` would, shared with the reads of ``name``
        asked at the same moment (:mod:`graph_engine.store.neo4j.batching`); in a
        mutation, on its own (on the leader: see ``audit.in_mutation``)."""
        batched = self.queries.batched(name)
        if batched is None or audit.in_mutation():
            return await self._run(name, **params)
        return await self.batches.read(name, batched, params)

    async def _read(
        self, query: LiteralString, params: dict[str, Any], *, values: bool = False
    ) -> list[Row]:
        """Run one read statement as an auto-commit transaction on a reader; return its rows.

        Transient failures (a leader change, a connection lost) are tried again with a
        growing, jittered pause until :attr:`Timeouts.retry` has passed. ``values``: the
        statement returns values only (maps, lists, scalars; no nodes or relationships),
        so the rows are taken as they come instead of being copied through
        ``Record.data`` (a hot read's saving).
        """
        delay = _FIRST_RETRY_DELAY
        deadline = time.monotonic() + self.timeouts.retry
        async with self._errors():
            while True:
                try:
                    async with self._session(write=False) as session:
                        result = await session.run(query, params)
                        if values:
                            return [dict(record) async for record in result]
                        return [record.data() async for record in result]
                except (neo.Neo4jError, neo.DriverError) as exc:
                    if not exc.is_retryable() or time.monotonic() + delay > deadline:
                        raise
                await asyncio.sleep(delay * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                delay *= 2

    def _session(self, *, write: bool = True) -> AsyncSession:
        """A session on the store's database that shares the driver's bookmarks."""
        return self.driver.session(
            database=self.database,
            default_access_mode=WRITE_ACCESS if write else READ_ACCESS,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
        )

    async def _audited_run(
        self, event: audit.Pending, name: str, params: dict[str, Any]
    ) -> list[Row]:
        async def work(tx: AsyncManagedTransaction) -> tuple[list[Row], bool]:
            rows = await self._tx_rows(tx, name, **params)
            refused = bool(rows and isinstance(rows[0], dict) and rows[0].get("problem"))
            if not refused:
                await self._audit_in(tx, event, audit.touched_ids(params))
            return rows, not refused

        async with self._errors(), self._session() as session:
            rows, written = await session.execute_write(work)
        event.written = event.written or written
        return rows

    async def _audit_in(
        self, tx: AsyncManagedTransaction, event: audit.Pending, ids: Sequence[str]
    ) -> None:
        """Write the mutation's audit event in transaction ``tx``, with the environments of
        the ids it touched (and of its actor)."""
        touched = list(dict.fromkeys([*event.ids, *ids]))
        located = await self._tx_rows(tx, "locate", ids=touched)
        environments = {h for row in located for h in row["homes"]}
        if event.actor_environment is not None:
            environments.add(event.actor_environment)
        await self._tx_rows(
            tx,
            "record_audit_event",
            eventId=event.event_id,
            action=event.action,
            actor=event.actor,
            principal=event.principal,
            requestId=event.request_id,
            ids=touched,
            environments=sorted(environments),
            at=event.at,
        )

    async def _write(self, name: str, /, **params: Any) -> list[Row]:
        return await self._run(name, write=True, **params)

    async def _one(self, name: str, /, *, write: bool = False, **params: Any) -> Row:
        """Run a statement that returns one row; raise the problem it reports."""
        rows = await self._run(name, write=write, **params)
        return checked(rows[0])

    async def _transaction(
        self,
        work: Callable[[AsyncManagedTransaction], Awaitable[T]],
        *,
        write: bool = True,
        ids: Sequence[str] = (),
    ) -> T:
        """Run several statements in one transaction (retried as a whole if transient).

        A write transaction also writes the running mutation's audit event, with
        ``ids`` as what it touched, when ``work`` succeeds.
        """
        event = audit.pending() if write else None
        written = False

        async def audited(tx: AsyncManagedTransaction) -> T:
            nonlocal written
            result = await work(tx)
            if event is not None:
                await self._audit_in(tx, event, ids)
                written = True
            return result

        async with self._errors(), self._session(write=write) as session:
            if write:
                result = await session.execute_write(audited)
                if event is not None and written:
                    event.written = True
                return result
            if audit.in_mutation():  # on the leader: see audit.in_mutation
                return await session.execute_write(work)
            return await session.execute_read(work)

    async def _tx_rows(self, tx: AsyncManagedTransaction, name: str, /, **params: Any) -> list[Row]:
        result = await tx.run(self.queries[name], params)
        return [record.data() async for record in result]

    async def close(self) -> None:
        await self.driver.close()


def checked(row: Mapping[str, Any]) -> Row:
    """Raise the refusal a statement reported in its ``problem`` column."""
    found = row.get("problem")
    if found:
        raise from_problem(found)
    return dict(row)
