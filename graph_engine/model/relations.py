"""Relations, subscriptions, support tasks and links to contractants (DESIGN §3.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from graph_engine.model.pages import Page


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@dataclass(frozen=True, slots=True)
class Relation:
    """A CRM relation inside the vendor's own contractant (``(Relation)-[:IN]->(Environment)``)."""

    id: str
    environment_id: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription (abonnement) of a relation; ``ended_at`` is set once it is ended."""

    id: str
    relation_id: str
    active: bool
    created_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Task:
    """A support task concerning one relation."""

    id: str
    relation_id: str
    title: str
    status: TaskStatus
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class RelationLink:
    """The technical set-up (MaxCC) joining a relation to a customer's contractant.

    It is stored on the relation's active subscription
    (``(Subscription)-[:LINKED_TO]->(Environment)``), named by ``subscription_id``;
    ending that subscription ends the link. ``contractant`` is the contractant field
    as stored on the link (the customer environment's id); ``database`` names the
    customer's database.
    """

    relation: Relation
    subscription_id: str
    contractant_id: str
    database: str
    contractant: str
    linked_at: datetime


@dataclass(frozen=True, slots=True)
class SubscriptionCount:
    """Subscriptions counted through a contractant's link (zero when unlinked)."""

    contractant_id: str
    relation_id: str | None
    active: int
    total: int


@dataclass(frozen=True, slots=True)
class SupportTasks:
    """A page of the tasks visible to a contractant: those of its linked relation."""

    contractant_id: str
    relation_id: str | None
    page: Page[Task]
