"""Relations, their subscriptions and tasks, and relation links in memory (DESIGN §3.4).

A link is a ``LINKED_TO`` edge from the relation's active subscription to the
contractant. Every operation holds the store's lock and checks everything before
its first write, so "one relation per contractant" holds and a refusal changes
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from graph_engine.errors import problem
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
from graph_engine.store import records
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate


class RelationOps(MemoryGraph):
    # -- records -------------------------------------------------------------------
    def relation_record(self, relation_id: str) -> Relation:
        attrs = self.node(relation_id, "Relation")
        return records.relation(attrs, self.targets(relation_id, "IN")[0])

    def task_record(self, task_id: str) -> Task:
        attrs = self.node(task_id, "Task")
        return records.task(attrs, self.targets(task_id, "CONCERNS")[0])

    def _link_of(self, contractant_id: str) -> RelationLink | None:
        for subscription_id, data in sorted(self.in_edges(contractant_id, "LINKED_TO")):
            if not self.has(subscription_id, "Subscription"):
                continue  # a link of old, on the relation itself: see migrate_relation_links
            relation_id = self.targets(subscription_id, "OF")[0]
            return records.relation_link(
                self.relation_record(relation_id), subscription_id, contractant_id, data
            )
        return None

    def _active_subscription(self, relation_id: str) -> str | None:
        """The relation's current active subscription: the newest active one."""
        active = [
            (self.graph.nodes[s]["createdAt"], s)
            for s in self.sources(relation_id, "OF")
            if self.has(s, "Subscription") and self.graph.nodes[s].get("active", True)
        ]
        return max(active)[1] if active else None

    def migrate_relation_links(self) -> int:
        """Move links of old (relation → contractant) onto the relation's active subscription.

        A relation without an active subscription loses its old link, as ending its
        subscription would end it now (see queries/bulk/migrate.cypher). Idempotent; returns
        how many links of old there were.
        """
        with self._lock:
            old = [
                (relation_id, contractant_id, dict(data))
                for relation_id, attrs in list(self.graph.nodes.items())
                if attrs.get("label") == "Relation"
                for contractant_id, data in list(self.out_edges(relation_id, "LINKED_TO"))
            ]
            for relation_id, contractant_id, data in old:
                self.graph.remove_edge(relation_id, contractant_id, key="LINKED_TO")
                subscription_id = self._active_subscription(relation_id)
                if subscription_id is not None:
                    data.pop("type", None)
                    self.add_edge(subscription_id, contractant_id, "LINKED_TO", **data)
            return len(old)

    # -- relations, subscriptions, tasks -------------------------------------------
    async def create_relation(
        self, *, relation_id: str, environment_id: str, name: str, at: datetime
    ) -> Relation:
        with self._lock:
            self.node(environment_id, "Environment")
            self.add_node("Relation", relation_id, name=name, createdAt=at)
            self.add_edge(relation_id, environment_id, "IN")
            return self.relation_record(relation_id)

    async def get_relation(self, *, relation_id: str) -> Relation | None:
        with self._lock:
            if not self.has(relation_id, "Relation"):
                return None
            return self.relation_record(relation_id)

    async def list_relations(
        self, *, environment_id: str, search: str | None, page: PageRequest
    ) -> Page[Relation]:
        with self._lock:
            self.node(environment_id, "Environment")
            found = [
                self.relation_record(r)
                for r in sorted(self.sources(environment_id, "IN"))
                if self.has(r, "Relation")
            ]
            if search:
                needle = search.lower()
                found = [r for r in found if needle in r.name.lower()]
            return paginate(found, lambda r: r.id, page)

    async def create_subscription(
        self, *, subscription_id: str, relation_id: str, active: bool, at: datetime
    ) -> Subscription:
        with self._lock:
            self.node(relation_id, "Relation")
            self.add_node("Subscription", subscription_id, active=active, createdAt=at)
            self.add_edge(subscription_id, relation_id, "OF")
            return records.subscription(self.graph.nodes[subscription_id], relation_id)

    async def end_subscription(
        self, *, subscription_id: str, at: datetime
    ) -> tuple[Subscription, list[RelationLink]]:
        with self._lock:
            attrs = self.node(subscription_id, "Subscription")
            relation_id = self.targets(subscription_id, "OF")[0]
            ended = [
                records.relation_link(
                    self.relation_record(relation_id), subscription_id, contractant_id, data
                )
                for contractant_id, data in sorted(self.out_edges(subscription_id, "LINKED_TO"))
            ]
            for link in ended:
                self.graph.remove_edge(subscription_id, link.contractant_id, key="LINKED_TO")
            if attrs.get("active", True):
                attrs["active"] = False
                attrs["endedAt"] = at
            return records.subscription(attrs, relation_id), ended

    async def create_task(
        self, *, task_id: str, relation_id: str, title: str, at: datetime
    ) -> Task:
        with self._lock:
            self.node(relation_id, "Relation")
            self.add_node(
                "Task",
                task_id,
                title=title,
                status=str(TaskStatus.OPEN),
                createdAt=at,
                closedAt=None,
            )
            self.add_edge(task_id, relation_id, "CONCERNS")
            return self.task_record(task_id)

    async def close_task(self, *, task_id: str, at: datetime) -> Task:
        with self._lock:
            attrs = self.node(task_id, "Task")
            if attrs["status"] != TaskStatus.CLOSED:
                attrs["status"] = str(TaskStatus.CLOSED)
                attrs["closedAt"] = at
            return self.task_record(task_id)

    # -- links ---------------------------------------------------------------------
    def _check_linkable(
        self, relation_id: str, contractant_id: str, *, require_partnership: bool
    ) -> None:
        """See link_relation.cypher: a link needs the vendor's partnership with its customer."""
        self.node(relation_id, "Relation")
        self.node(contractant_id, "Environment")
        home = self.targets(relation_id, "IN")[0]
        if home == contractant_id:
            raise problem("own_contractant", relation=relation_id, contractant=contractant_id)
        if require_partnership and self.partnership_between(home, contractant_id) is None:
            raise problem("not_found", label="Environment", id=contractant_id)

    def _linkable_subscription(self, relation_id: str) -> str:
        subscription_id = self._active_subscription(relation_id)
        if subscription_id is None:
            raise problem(
                "no_active_subscription",
                relation=relation_id,
                relationName=self.graph.nodes[relation_id]["name"],
            )
        return subscription_id

    def _add_link(self, relation_id: str, contractant_id: str, database: str, at: datetime) -> None:
        self.add_edge(
            self._linkable_subscription(relation_id),
            contractant_id,
            "LINKED_TO",
            database=database,
            contractant=contractant_id,
            linkedAt=at,
        )

    async def link_relation(
        self,
        *,
        relation_id: str,
        contractant_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> RelationLink:
        with self._lock:
            self._check_linkable(
                relation_id, contractant_id, require_partnership=require_partnership
            )
            current = self._link_of(contractant_id)
            if current is not None:
                if current.relation.id == relation_id and current.database == database:
                    return current
                if current.relation.environment_id != self.targets(relation_id, "IN")[0]:
                    raise problem("linked_elsewhere", contractant=contractant_id)
                raise problem(
                    "relation_already_linked",
                    contractant=contractant_id,
                    relation=current.relation.id,
                    relationName=current.relation.name,
                    database=current.database,
                )
            self._linkable_subscription(relation_id)
            self._add_link(relation_id, contractant_id, database, at)
            link = self._link_of(contractant_id)
            assert link is not None  # noqa: S101 - just written
            return link

    def _remove_link(self, contractant_id: str) -> RelationLink | None:
        current = self._link_of(contractant_id)
        if current is not None:
            self.graph.remove_edge(current.subscription_id, contractant_id, key="LINKED_TO")
        return current

    async def unlink_relation(self, *, contractant_id: str) -> RelationLink | None:
        with self._lock:
            self.node(contractant_id, "Environment")
            return self._remove_link(contractant_id)

    async def relink_relation(
        self,
        *,
        contractant_id: str,
        relation_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> tuple[RelationLink, RelationLink | None]:
        with self._lock:
            self._check_linkable(
                relation_id, contractant_id, require_partnership=require_partnership
            )
            self._linkable_subscription(relation_id)  # checked before the first write
            removed = self._remove_link(contractant_id)
            self._add_link(relation_id, contractant_id, database, at)
            link = self._link_of(contractant_id)
            assert link is not None  # noqa: S101 - just written
            return link, removed

    async def linked_relation(self, *, contractant_id: str) -> RelationLink | None:
        with self._lock:
            self.node(contractant_id, "Environment")
            return self._link_of(contractant_id)

    # -- reads through the link ------------------------------------------------------
    async def subscription_count(self, *, contractant_id: str) -> SubscriptionCount:
        with self._lock:
            self.node(contractant_id, "Environment")
            link = self._link_of(contractant_id)
            if link is None:
                return SubscriptionCount(contractant_id, None, active=0, total=0)
            subs = [
                self.graph.nodes[s]
                for s in self.sources(link.relation.id, "OF")
                if self.has(s, "Subscription")
            ]
            active = sum(1 for s in subs if s.get("active", True))
            return SubscriptionCount(contractant_id, link.relation.id, active, len(subs))

    async def support_tasks(
        self,
        *,
        contractant_id: str,
        status: TaskStatus | None,
        page: PageRequest,
    ) -> SupportTasks:
        with self._lock:
            self.node(contractant_id, "Environment")
            link = self._link_of(contractant_id)
            relation_id = None if link is None else link.relation.id
            tasks: list[Task] = []
            if relation_id is not None:
                tasks = [
                    self.task_record(t)
                    for t in sorted(self.sources(relation_id, "CONCERNS"))
                    if self.has(t, "Task")
                ]
            if status is not None:
                tasks = [t for t in tasks if t.status is status]
            return SupportTasks(contractant_id, relation_id, paginate(tasks, lambda t: t.id, page))

    async def rehang_tasks(
        self,
        *,
        from_relation_id: str,
        to_relation_id: str,
        task_ids: Sequence[str] | None = None,
    ) -> int:
        with self._lock:
            self.node(from_relation_id, "Relation")
            self.node(to_relation_id, "Relation")
            if from_relation_id == to_relation_id:
                raise problem("same_relation", relation=from_relation_id)
            home = self.targets(from_relation_id, "IN")[0]
            if self.targets(to_relation_id, "IN")[0] != home:
                raise problem(
                    "wrong_environment", label="Relation", id=to_relation_id, environment=home
                )
            moving = [
                t
                for t in self.sources(from_relation_id, "CONCERNS")
                if self.has(t, "Task") and self.graph.nodes[t]["status"] == TaskStatus.OPEN
            ]
            if task_ids is not None:
                open_ids, wanted = set(moving), set(task_ids)
                strays = [t for t in task_ids if t not in open_ids]
                if strays:
                    raise problem("not_open_tasks_of", relation=from_relation_id, tasks=strays)
                moving = [t for t in moving if t in wanted]
            for task_id in moving:
                self.graph.remove_edge(task_id, from_relation_id, key="CONCERNS")
                self.add_edge(task_id, to_relation_id, "CONCERNS")
            return len(moving)
