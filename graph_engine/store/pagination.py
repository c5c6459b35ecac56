"""Opaque cursors for Relay pagination: ``first``/``after`` and ``last``/``before``.

A cursor wraps the sort key of one row (an id, or a pair of ids), so a page
boundary stays put when rows are added or removed elsewhere in the list: a walk
forward (or backward) meets every row that was there all along, once, in order.
Both stores cut pages by those keys (keyset pagination): the memory store over
its sorted rows (:func:`paginate`), the Neo4j store in Cypher, which asks for one
row more than the page in the direction walked and hands the rows to
:func:`page_of`. Cypher's side of the contract, in every list statement::

    WHERE ($after IS NULL OR key > $after) AND ($before IS NULL OR key < $before)
    ORDER BY CASE WHEN $backward THEN key END DESC, key LIMIT $limit
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from graph_engine.errors import InvalidInput
from graph_engine.model import Page, PageRequest

T = TypeVar("T")

MAX_PAGE = 500


_MARK = "c1:"  # tells our cursors from random strings, and leaves room for a format change
_ECHOED = 512  # the longest malformed cursor a refusal repeats whole


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode((_MARK + key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, argument: str = "after") -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.b64decode(padded.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_MARK) or any(c < " " and c != PAIR_SEPARATOR for c in text):
        # Ours hold no control character but the pair separator: a NUL is forged.
        raise InvalidInput(
            "malformed cursor",
            # Ours are a few hundred characters: a longer one is echoed only in part.
            details={argument: cursor if len(cursor) <= _ECHOED else cursor[:64] + "…"},
            suggestion="Pass a cursor (pageInfo.endCursor, startCursor or an edge's) back as is.",
        )
    return text[len(_MARK) :]


def check_first(first: int, argument: str = "first") -> None:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput(
            f"{argument} must be between 1 and {MAX_PAGE}",
            details={argument: first, "max": MAX_PAGE},
        )


def check_page(page: PageRequest) -> int:
    """The page's size, once its arguments are known to make sense."""
    if page.first is not None and page.last is not None:
        raise InvalidInput(
            "pass first or last, not both",
            details={"first": page.first, "last": page.last},
            suggestion="Walk forward with first/after, or backward with last/before.",
        )
    check_first(page.size, "last" if page.backward else "first")
    return page.size


def page_params(page: PageRequest) -> dict[str, Any]:
    """The Cypher parameters of a page: both cursors' keys, the direction, one row more."""
    size = check_page(page)
    return {
        "after": decode_cursor(page.after, "after"),
        "before": decode_cursor(page.before, "before"),
        "backward": page.backward,
        "limit": size + 1,
    }


def paginate(
    items: Sequence[T], key: Callable[[T], str], page: PageRequest, *, counted: bool = False
) -> Page[T]:
    """Cut one page out of ``items`` (already sorted by ``key``).

    With ``counted``, the page carries the length of ``items`` as its total count.
    """
    params = page_params(page)
    after, before = params["after"], params["before"]
    rows = [
        i
        for i in items
        if (after is None or key(i) > after) and (before is None or key(i) < before)
    ]
    walked = rows[::-1] if page.backward else rows
    return page_of(walked, key, page, total=len(items) if counted else None)


def page_of(
    rows: Sequence[T], key: Callable[[T], str], page: PageRequest, total: int | None = None
) -> Page[T]:
    """Build a page from up to ``size + 1`` rows in the order walked (the extra one
    proves there is more in that direction); the page itself is in list order."""
    size = page.size
    chunk = list(rows[:size])
    more = len(rows) > size
    if page.backward:
        chunk.reverse()
    cursors = [encode_cursor(key(i)) for i in chunk]
    return Page(
        items=chunk,
        cursors=cursors,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
        has_next_page=page.before is not None if page.backward else more,
        has_previous_page=more if page.backward else page.after is not None,
        total_count=total,
    )


# Joins two ids into one key; sorts below every character an id may contain.
PAIR_SEPARATOR = "\x1f"


def pair_key(a: str, b: str) -> str:
    """Sort key of an ordered pair of ids."""
    return f"{a}{PAIR_SEPARATOR}{b}"
