"""Rows returned by the Cypher statements, turned into model records."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from graph_engine.model import (
    AuthorizationRequest,
    Invitation,
    Organisation,
    Page,
    PageRequest,
    Partnership,
    PartnershipProposal,
    Relation,
    RelationLink,
    Subscription,
    Task,
    User,
)
from graph_engine.store import pagination, records

T = TypeVar("T")
Row = Mapping[str, Any]


def user(m: Row) -> User:
    return records.user(m, m["environment"], m["role"])


def organisation(m: Row) -> Organisation:
    return records.organisation(m, m["environment"])


def partnership(row: Row) -> Partnership:
    return records.partnership(row["partnership"], row["environments"], row["representatives"])


# A request that waits for an answer comes in one shape, whatever its kind: its
# properties with sender, recipient and organisation (store/neo4j/partnerships_requests.py).
def request(m: Row) -> AuthorizationRequest:
    return records.authorization_request(m, m["sender"], m["recipient"], m["organisation"])


def invitation(m: Row) -> Invitation:
    return records.invitation(m, m["sender"], m["recipient"], m["organisation"])


def proposal(m: Row) -> PartnershipProposal:
    return records.proposal(m, m["sender"], m["recipient"])


def relation(m: Row) -> Relation:
    return records.relation(m, m["environment"])


def subscription(m: Row) -> Subscription:
    return records.subscription(m, m["relation"])


def task(m: Row) -> Task:
    return records.task(m, m["relation"])


def link(m: Row, contractant_id: str) -> RelationLink:
    return records.relation_link(
        relation(m["relation"]), m["subscription"], contractant_id, m["props"]
    )


def maybe_link(m: Row | None, contractant_id: str) -> RelationLink | None:
    return None if m is None else link(m, contractant_id)


def page_params(page: PageRequest) -> dict[str, Any]:
    """Query parameters of a page: the cursors' keys, the direction, one row more than asked."""
    return pagination.page_params(page)


def to_page(
    items: Sequence[Row],
    build: Callable[[Row], T],
    key: Callable[[T], str],
    page: PageRequest,
    *,
    total: int | None = None,
) -> Page[T]:
    """The page of rows returned in the order walked (backward: last row first)."""
    return pagination.page_of([build(i) for i in items], key, page, total)
