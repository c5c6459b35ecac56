"""The audit trail's plumbing: the event a mutation owes, carried to the store.

The API opens an event for each mutation it runs (:func:`opened`, a context
variable); the store writes it in the **same transaction** as the mutation's first
write (Neo4j: one more statement in that transaction; the memory store: under the
same lock, before anyone else runs), and only when that write succeeded. A mutation
that writes nothing gets its event once it has succeeded (:func:`close`). Writes
that are not the caller's doing (a session's idle clock, login throttle counters,
mail in the outbox) never carry it.

An event holds who (actor, principal kind), what (the mutation's name and the ids it
touched: every id-valued argument of the write), when, the request id and the
environments of those ids; never a secret (hashes, tokens and passwords are not ids).
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from graph_engine.model import Principal

# Argument names that carry ids (userId, organisationIds, from_user_id ...).
_ID_NAME = re.compile(r"(^id$|Id$|Ids$|_id$|_ids$|^ids$)")
_SECRET = re.compile(r"hash|token|password|secret|key$", re.IGNORECASE)


@dataclass
class Pending:
    """An event a running mutation owes; ``written`` once a store wrote it."""

    action: str
    request_id: str
    at: datetime
    # Who is calling, once the request knows (it authenticates inside the mutation).
    who: Callable[[], Principal | None] = lambda: None
    ids: list[str] = field(default_factory=list)
    written: bool = False
    # Sorts by time (then at random): the audit log pages in the order things happened.
    event_id: str = ""

    def __post_init__(self) -> None:
        if not self.event_id:
            stamp = self.at.astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
            # Within one process a counter keeps the order of events of the same microsecond.
            self.event_id = f"aud_{stamp}_{next(_sequence):08}_{secrets.token_hex(4)}"

    @property
    def actor(self) -> str | None:
        caller = self.who()
        return None if caller is None else caller.id

    @property
    def principal(self) -> str:
        caller = self.who()
        return "ANONYMOUS" if caller is None else str(caller.kind)

    @property
    def actor_environment(self) -> str | None:
        caller = self.who()
        return None if caller is None else caller.environment_id


_sequence = itertools.count()
_pending: ContextVar[Pending | None] = ContextVar("graph_engine_audit", default=None)


@contextmanager
def opened(
    action: str,
    request_id: str,
    at: datetime,
    who: Callable[[], Principal | None] = lambda: None,
) -> Iterator[Pending]:
    """The event of one mutation (at time ``at``), pending while it runs."""
    event = Pending(action=action, request_id=request_id, at=at, who=who)
    token = _pending.set(event)
    try:
        yield event
    finally:
        _pending.reset(token)


def in_mutation() -> bool:
    """Whether a mutation is running: its reads (the checks that gate its writes) go to
    the cluster's leader, never to a secondary that may lag behind."""
    return _pending.get() is not None


def pending() -> Pending | None:
    """The event the running mutation still owes (None: none, or already written)."""
    event = _pending.get()
    return event if event is not None and not event.written else None


@contextmanager
def carrying(event: Pending | None) -> Iterator[None]:
    """Writes in this block owe ``event`` (the memory store replaying its journal)."""
    token = _pending.set(event)
    try:
        yield
    finally:
        _pending.reset(token)


@contextmanager
def suspended() -> Iterator[None]:
    """Writes in this block are not the mutation's own (a session's clock, counters)."""
    token = _pending.set(None)
    try:
        yield
    finally:
        _pending.reset(token)


def touched_ids(params: Mapping[str, Any]) -> list[str]:
    """The ids among a write's arguments, in order, without duplicates or secrets."""
    out: list[str] = []
    for name, value in params.items():
        if not _ID_NAME.search(name) or _SECRET.search(name):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        out.extend(v for v in values if isinstance(v, str) and v)
    return list(dict.fromkeys(out))
