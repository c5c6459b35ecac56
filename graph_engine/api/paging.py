"""Lists as Relay cursor connections, shared by every capability: the paging arguments
(``first``/``after``, ``last``/``before``), the connection types and the helpers that
turn a store's :class:`~graph_engine.model.Page` into one."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import strawberry
from strawberry.relay import PageInfo

from graph_engine import model
from graph_engine.model import PageRequest

T = TypeVar("T")


First = Annotated[
    int | None,
    strawberry.argument(
        description="Walk forward: the first n items (1 to 500) after `after`; 20 when "
        "neither first nor last is given."
    ),
]
After = Annotated[
    str | None, strawberry.argument(description="Walk forward from this cursor (exclusive).")
]
Last = Annotated[
    int | None,
    strawberry.argument(description="Walk backward: the last n items (1 to 500) before `before`."),
]
Before = Annotated[
    str | None, strawberry.argument(description="Walk backward from this cursor (exclusive).")
]


def window(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageRequest:
    """The page a connection field's arguments ask for (checked by the store)."""
    return PageRequest(first=first, after=after, last=last, before=before)


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Pass as `after` (or `before`) to page on from this item."
    )
    node: T


@strawberry.type(
    description="One page of a list (a Relay cursor connection): walk forward with "
    "first/after (pageInfo.endCursor) or backward with last/before (pageInfo.startCursor)."
)
class Connection(Generic[T]):
    """One page of a list, as a Relay cursor connection.

    Cursors name an item's place in the list's order (by id), so a walk meets every
    item that was there all along exactly once, whatever is added or removed
    meanwhile. ``nodes`` repeats the edges' items for clients that need no cursors.
    """

    edges: list[Edge[T]] = strawberry.field(description="The page's items with their cursors.")
    nodes: list[T] = strawberry.field(description="The page's items (the edges' nodes).")
    page_info: PageInfo


@strawberry.type(
    description="One page of a list (a Relay cursor connection) with the whole list's size."
)
class CountedConnection(Connection[T]):
    """A connection that also says how many items the whole list holds.

    Given where the store counts in the statement that reads the page, over the rows
    the page is cut from: an environment's users (those the search finds) and its
    organisations. Other lists leave it out rather than read everything to count.
    """

    total_count: int = strawberry.field(
        description="How many items the whole list holds (all pages, cursors aside)."
    )


def counted_page(items: list[T], source: model.Page[Any]) -> CountedConnection[T]:
    assert source.total_count is not None  # noqa: S101 - the store's contract
    return CountedConnection(
        edges=[Edge(cursor=c, node=i) for i, c in zip(items, source.cursors, strict=True)],
        nodes=items,
        page_info=page_info(source),
        total_count=source.total_count,
    )


def page(items: list[T], source: model.Page[Any]) -> Connection[T]:
    return Connection(
        edges=[Edge(cursor=c, node=i) for i, c in zip(items, source.cursors, strict=True)],
        nodes=items,
        page_info=page_info(source),
    )


def page_info(source: model.Page[Any]) -> PageInfo:
    return PageInfo(
        has_next_page=source.has_next_page,
        has_previous_page=source.has_previous_page,
        start_cursor=source.start_cursor,
        end_cursor=source.end_cursor,
    )
