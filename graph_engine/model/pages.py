"""Pages of a list (keyset cursors) and answers read together with a session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph_engine.model.identity import Principal

T = TypeVar("T")
DEFAULT_PAGE = 20


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page of a list to cut, as Relay's cursor connections ask for it.

    ``first`` rows after the cursor ``after`` (walking forward), or the ``last``
    rows before the cursor ``before`` (walking backward); with neither size given,
    the first :data:`DEFAULT_PAGE` rows. A cursor names a row's sort key, so a page
    boundary stays put when rows are added or removed elsewhere in the list.
    """

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backward(self) -> bool:
        """True when the page is the last rows before ``before`` (``last`` given)."""
        return self.last is not None

    @property
    def size(self) -> int:
        if self.last is not None:
            return self.last
        return DEFAULT_PAGE if self.first is None else self.first


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a cursor-paginated list, in list order, each item with its cursor.

    ``has_next_page`` and ``has_previous_page`` are exact in the direction walked
    (more rows beyond the page). The other one says whether the page was cut
    relative to a cursor on that side (``after`` when walking forward, ``before``
    when walking backward), as the Relay specification allows: the rows up to that
    cursor were there when it was handed out, and rows deleted since are not looked
    for. ``total_count`` is the size of the whole list (cursors aside) where a store
    can tell it cheaply, else None.
    """

    items: Sequence[T]
    end_cursor: str | None
    has_next_page: bool
    start_cursor: str | None = None
    has_previous_page: bool = False
    cursors: Sequence[str] = ()
    total_count: int | None = None


@dataclass(frozen=True, slots=True)
class InSession(Generic[T]):
    """A read asked with a session token, answered in the round trip that resolved the
    session. The answer (or its refusal) counts only once the session has been admitted
    (``IdentityService.admit``): an ended session hears why it ended, not the answer."""

    principal: Principal
    value: T | None = None
    refusal: Exception | None = None

    def answer(self) -> T:
        if self.refusal is not None:
            raise self.refusal
        if self.value is None:  # pragma: no cover - a store built neither
            raise AssertionError("an answer in session has a value or a refusal")
        return self.value
