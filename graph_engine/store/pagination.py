"""Opaque cursors for ``first``/``after`` pagination.

A cursor wraps the sort key of the last item returned (an id, or a pair of ids),
so a page boundary stays put when items are added before it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TypeVar

from graph_engine.errors import InvalidInput
from graph_engine.model import Page

T = TypeVar("T")

MAX_PAGE = 500


_MARK = "c1:"  # tells our cursors from random strings, and leaves room for a format change


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode((_MARK + key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.b64decode(padded.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith(_MARK):
        raise InvalidInput(
            "malformed cursor",
            details={"after": cursor},
            suggestion="Pass an endCursor back as is.",
        )
    return text[len(_MARK) :]


def check_first(first: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidInput(
            f"first must be between 1 and {MAX_PAGE}", details={"first": first, "max": MAX_PAGE}
        )


def paginate(items: Sequence[T], key: Callable[[T], str], first: int, after: str | None) -> Page[T]:
    """Cut one page out of ``items`` (already sorted by ``key``)."""
    check_first(first)
    start_key = decode_cursor(after)
    rows = [i for i in items if start_key is None or key(i) > start_key]
    return page_of(rows, key, first)


def page_of(rows: Sequence[T], key: Callable[[T], str], first: int) -> Page[T]:
    """Build a page from up to ``first + 1`` sorted rows (the extra one proves a next page)."""
    chunk = list(rows[:first])
    end = encode_cursor(key(chunk[-1])) if chunk else None
    return Page(items=chunk, end_cursor=end, has_next_page=len(rows) > first)


# Joins two ids into one key; sorts below every character an id may contain.
PAIR_SEPARATOR = "\x1f"


def pair_key(a: str, b: str) -> str:
    """Sort key of an ordered pair of ids."""
    return f"{a}{PAIR_SEPARATOR}{b}"
