"""Relations, their subscriptions and tasks, and relation links in Neo4j (DESIGN §3.4).

A link is a ``LINKED_TO`` edge from the relation's active subscription to the
contractant; ``end_subscription`` ends the links on it in the same statement.

"One relation per contractant" is enforced inside the write statements
(``link_relation``, ``relink_relation``, ``unlink_relation``), which lock the
contractant node before they read its link; see the comment in
``queries/relations/link_relation.cypher``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from graph_engine.model import (
    Page,
    PageRequest,
    Relation,
    RelationLink,
    Subscription,
    SubscriptionCount,
    SupportTasks,
    Task,
    TaskStatus,
)
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase


class RelationOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "create_relation",
        "get_relation",
        "list_relations",
        "create_subscription",
        "end_subscription",
        "create_task",
        "close_task",
        "link_relation",
        "unlink_relation",
        "relink_relation",
        "linked_relation",
        "subscription_count",
        "support_tasks",
        "rehang_tasks",
    )

    async def create_relation(
        self, *, relation_id: str, environment_id: str, name: str, at: datetime
    ) -> Relation:
        row = await self._one(
            "create_relation",
            write=True,
            relationId=relation_id,
            environmentId=environment_id,
            name=name,
            at=at,
        )
        return convert.relation(row["relation"])

    async def get_relation(self, *, relation_id: str) -> Relation | None:
        rows = await self._run("get_relation", relationId=relation_id)
        return convert.relation(rows[0]["relation"]) if rows else None

    async def list_relations(
        self, *, environment_id: str, search: str | None, page: PageRequest
    ) -> Page[Relation]:
        row = await self._one(
            "list_relations",
            environmentId=environment_id,
            search=search,
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], convert.relation, lambda r: r.id, page)

    async def create_subscription(
        self, *, subscription_id: str, relation_id: str, active: bool, at: datetime
    ) -> Subscription:
        row = await self._one(
            "create_subscription",
            write=True,
            subscriptionId=subscription_id,
            relationId=relation_id,
            active=active,
            at=at,
        )
        return convert.subscription(row["subscription"])

    async def end_subscription(
        self, *, subscription_id: str, at: datetime
    ) -> tuple[Subscription, list[RelationLink]]:
        row = await self._one("end_subscription", write=True, subscriptionId=subscription_id, at=at)
        ended = [convert.link(e["link"], e["contractant"]) for e in row["ended"]]
        return convert.subscription(row["subscription"]), ended

    async def create_task(
        self, *, task_id: str, relation_id: str, title: str, at: datetime
    ) -> Task:
        row = await self._one(
            "create_task", write=True, taskId=task_id, relationId=relation_id, title=title, at=at
        )
        return convert.task(row["task"])

    async def close_task(self, *, task_id: str, at: datetime) -> Task:
        row = await self._one("close_task", write=True, taskId=task_id, at=at)
        return convert.task(row["task"])

    async def link_relation(
        self,
        *,
        relation_id: str,
        contractant_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> RelationLink:
        row = await self._one(
            "link_relation",
            write=True,
            relationId=relation_id,
            contractantId=contractant_id,
            database=database,
            requirePartnership=require_partnership,
            at=at,
        )
        return convert.link(row["link"], contractant_id)

    async def unlink_relation(self, *, contractant_id: str) -> RelationLink | None:
        row = await self._one("unlink_relation", write=True, contractantId=contractant_id)
        return convert.maybe_link(row["removed"], contractant_id)

    async def relink_relation(
        self,
        *,
        contractant_id: str,
        relation_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> tuple[RelationLink, RelationLink | None]:
        row = await self._one(
            "relink_relation",
            write=True,
            relationId=relation_id,
            contractantId=contractant_id,
            database=database,
            requirePartnership=require_partnership,
            at=at,
        )
        return (
            convert.link(row["link"], contractant_id),
            convert.maybe_link(row["removed"], contractant_id),
        )

    async def linked_relation(self, *, contractant_id: str) -> RelationLink | None:
        row = await self._one("linked_relation", contractantId=contractant_id)
        return convert.maybe_link(row["link"], contractant_id)

    async def subscription_count(self, *, contractant_id: str) -> SubscriptionCount:
        row = await self._one("subscription_count", contractantId=contractant_id)
        return SubscriptionCount(
            contractant_id=contractant_id,
            relation_id=row["relation"],
            active=int(row["active"]),
            total=int(row["total"]),
        )

    async def support_tasks(
        self,
        *,
        contractant_id: str,
        status: TaskStatus | None,
        page: PageRequest,
    ) -> SupportTasks:
        row = await self._one(
            "support_tasks",
            contractantId=contractant_id,
            status=None if status is None else str(status),
            **convert.page_params(page),
        )
        return SupportTasks(
            contractant_id=contractant_id,
            relation_id=row["relation"],
            page=convert.to_page(row["items"], convert.task, lambda t: t.id, page),
        )

    async def rehang_tasks(
        self,
        *,
        from_relation_id: str,
        to_relation_id: str,
        task_ids: Sequence[str] | None = None,
    ) -> int:
        row = await self._one(
            "rehang_tasks",
            write=True,
            fromRelationId=from_relation_id,
            toRelationId=to_relation_id,
            taskIds=None if task_ids is None else list(task_ids),
        )
        return int(row["moved"])
