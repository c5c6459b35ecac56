"""GraphQL for relation links and support tasks (Staff / MaxCC, DESIGN §3.4).

Queries that look through a contractant's link (``linkedRelation``,
``subscriptionCount``, ``supportTasks``) always answer for an existing
contractant: when nothing is linked they say so with ``linked: false`` and a
``message``, and their result is empty (no relation, zero subscriptions, no
tasks). :class:`RelationQuery` and :class:`RelationMutation` are merged into the
schema's ``Query`` and ``Mutation``.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.relay import PageInfo

from graph_engine import model
from graph_engine.api.context import Info
from graph_engine.api.node import Node
from graph_engine.api.paging import After, Before, Connection, Edge, First, Last, page, window

strawberry.enum(model.TaskStatus)


def unlinked_message(contractant_id: str) -> str:
    return (
        f"contractant {contractant_id} has no linked relation: no subscriptions are counted "
        "and no support tasks are shown until one is linked (linkRelation)"
    )


@strawberry.type(description="A CRM relation inside the vendor's own contractant.")
class Relation(Node):
    id: strawberry.ID
    environment_id: strawberry.ID
    name: str
    created_at: datetime

    @classmethod
    def of(cls, rel: model.Relation) -> Relation:
        return cls(
            id=strawberry.ID(rel.id),
            environment_id=strawberry.ID(rel.environment_id),
            name=rel.name,
            created_at=rel.created_at,
        )


@strawberry.type(
    description=(
        "A subscription (abonnement) of a relation; a relation link sits on the relation's"
        " active subscription."
    )
)
class RelationSubscription:
    id: strawberry.ID
    relation_id: strawberry.ID
    active: bool
    created_at: datetime
    ended_at: datetime | None = strawberry.field(
        description="When endSubscription ended it; null while it runs (or never started)."
    )

    @classmethod
    def of(cls, sub: model.Subscription) -> RelationSubscription:
        return cls(
            id=strawberry.ID(sub.id),
            relation_id=strawberry.ID(sub.relation_id),
            active=sub.active,
            created_at=sub.created_at,
            ended_at=sub.ended_at,
        )


@strawberry.type(description="A support task concerning one relation.")
class Task:
    id: strawberry.ID
    relation_id: strawberry.ID
    title: str
    status: model.TaskStatus
    created_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, task: model.Task) -> Task:
        return cls(
            id=strawberry.ID(task.id),
            relation_id=strawberry.ID(task.relation_id),
            title=task.title,
            status=task.status,
            created_at=task.created_at,
            closed_at=task.closed_at,
        )


@strawberry.type(
    description="The technical set-up (MaxCC) linking a relation to a customer's contractant."
)
class RelationLink:
    relation: Relation
    subscription_id: strawberry.ID = strawberry.field(
        description="The relation's active subscription the link is stored on."
    )
    contractant_id: strawberry.ID
    database: str
    contractant: str
    linked_at: datetime

    @classmethod
    def of(cls, link: model.RelationLink) -> RelationLink:
        return cls(
            relation=Relation.of(link.relation),
            subscription_id=strawberry.ID(link.subscription_id),
            contractant_id=strawberry.ID(link.contractant_id),
            database=link.database,
            contractant=link.contractant,
            linked_at=link.linked_at,
        )


@strawberry.type(description="A contractant's linked relation; linked is false when none is.")
class LinkedRelation:
    contractant_id: strawberry.ID
    linked: bool
    message: str | None = strawberry.field(description="Why the answer is empty, when unlinked.")
    link: RelationLink | None

    @classmethod
    def of(cls, contractant_id: str, link: model.RelationLink | None) -> LinkedRelation:
        return cls(
            contractant_id=strawberry.ID(contractant_id),
            linked=link is not None,
            message=None if link is not None else unlinked_message(contractant_id),
            link=None if link is None else RelationLink.of(link),
        )


@strawberry.type(description="Subscriptions counted through a contractant's linked relation.")
class SubscriptionCount:
    contractant_id: strawberry.ID
    linked: bool
    message: str | None
    relation_id: strawberry.ID | None
    active: int
    total: int

    @classmethod
    def of(cls, counted: model.SubscriptionCount) -> SubscriptionCount:
        linked = counted.relation_id is not None
        return cls(
            contractant_id=strawberry.ID(counted.contractant_id),
            linked=linked,
            message=None if linked else unlinked_message(counted.contractant_id),
            relation_id=None if counted.relation_id is None else strawberry.ID(counted.relation_id),
            active=counted.active,
            total=counted.total,
        )


@strawberry.type(
    description="One page of the support tasks a contractant sees: its linked relation's."
)
class SupportTaskConnection:
    contractant_id: strawberry.ID
    linked: bool
    message: str | None
    relation_id: strawberry.ID | None
    edges: list[Edge[Task]]
    nodes: list[Task]
    page_info: PageInfo

    @classmethod
    def of(cls, found: model.SupportTasks) -> SupportTaskConnection:
        linked = found.relation_id is not None
        tasks: Connection[Task] = page([Task.of(t) for t in found.page.items], found.page)
        return cls(
            contractant_id=strawberry.ID(found.contractant_id),
            linked=linked,
            message=None if linked else unlinked_message(found.contractant_id),
            relation_id=None if found.relation_id is None else strawberry.ID(found.relation_id),
            edges=tasks.edges,
            nodes=tasks.nodes,
            page_info=tasks.page_info,
        )


@strawberry.type
class UnlinkPayload:
    contractant_id: strawberry.ID
    removed: RelationLink | None = strawberry.field(
        description="The link removed; null when nothing was linked."
    )


@strawberry.type
class EndSubscriptionPayload:
    subscription: RelationSubscription
    ended_links: list[RelationLink] = strawberry.field(
        description="The links stored on the subscription, ended with it (empty if none)."
    )


@strawberry.type
class RelinkPayload:
    link: RelationLink
    removed: RelationLink | None = strawberry.field(
        description="The link replaced; null when nothing was linked."
    )


@strawberry.type
class RehangPayload:
    moved: int = strawberry.field(description="How many open tasks moved.")
    from_relation_id: strawberry.ID
    to_relation_id: strawberry.ID


@strawberry.type
class RelationQuery:
    @strawberry.field
    async def relation(self, info: Info, id: strawberry.ID) -> Relation:  # noqa: A002
        ctx = info.context
        return Relation.of(await ctx.engine.relations.relation(await ctx.caller(), id))

    @strawberry.field(description="The relations of a vendor's environment; search matches names.")
    async def relations(
        self,
        info: Info,
        *,
        environment_id: strawberry.ID,
        search: str | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Relation]:
        ctx = info.context
        found = await ctx.engine.relations.relations(
            await ctx.caller(), environment_id, search, window(first, after, last, before)
        )
        return page([Relation.of(r) for r in found.items], found)

    @strawberry.field(description="The relation linked to a customer's contractant, if any.")
    async def linked_relation(self, info: Info, contractant_id: strawberry.ID) -> LinkedRelation:
        ctx = info.context
        link = await ctx.engine.relations.linked_relation(await ctx.caller(), contractant_id)
        return LinkedRelation.of(contractant_id, link)

    @strawberry.field(description="Subscriptions of the contractant's linked relation.")
    async def subscription_count(
        self, info: Info, contractant_id: strawberry.ID
    ) -> SubscriptionCount:
        ctx = info.context
        counted = await ctx.engine.relations.subscription_count(await ctx.caller(), contractant_id)
        return SubscriptionCount.of(counted)

    @strawberry.field(description="Tasks of the contractant's linked relation (none if unlinked).")
    async def support_tasks(
        self,
        info: Info,
        *,
        contractant_id: strawberry.ID,
        status: model.TaskStatus | None = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> SupportTaskConnection:
        ctx = info.context
        found = await ctx.engine.relations.support_tasks(
            await ctx.caller(), contractant_id, status, window(first, after, last, before)
        )
        return SupportTaskConnection.of(found)


@strawberry.type
class RelationMutation:
    @strawberry.mutation(description="Add a relation to the vendor's own contractant.")
    async def create_relation(
        self, info: Info, environment_id: strawberry.ID, name: str
    ) -> Relation:
        ctx = info.context
        made = await ctx.engine.relations.create_relation(await ctx.caller(), environment_id, name)
        return Relation.of(made)

    @strawberry.mutation
    async def create_subscription(
        self, info: Info, relation_id: strawberry.ID, active: bool = True
    ) -> RelationSubscription:
        ctx = info.context
        made = await ctx.engine.relations.create_subscription(
            await ctx.caller(), relation_id, active
        )
        return RelationSubscription.of(made)

    @strawberry.mutation(
        description=(
            "End a subscription: inactive from now, and the links stored on it end with it"
            " (their contractants answer unlinked). Ending an ended subscription changes nothing."
        )
    )
    async def end_subscription(
        self, info: Info, subscription_id: strawberry.ID
    ) -> EndSubscriptionPayload:
        ctx = info.context
        sub, ended = await ctx.engine.relations.end_subscription(
            await ctx.caller(), subscription_id
        )
        return EndSubscriptionPayload(
            subscription=RelationSubscription.of(sub),
            ended_links=[RelationLink.of(link) for link in ended],
        )

    @strawberry.mutation(description="Add an OPEN support task concerning a relation.")
    async def create_task(self, info: Info, relation_id: strawberry.ID, title: str) -> Task:
        ctx = info.context
        made = await ctx.engine.relations.create_task(await ctx.caller(), relation_id, title)
        return Task.of(made)

    @strawberry.mutation
    async def close_task(self, info: Info, task_id: strawberry.ID) -> Task:
        ctx = info.context
        return Task.of(await ctx.engine.relations.close_task(await ctx.caller(), task_id))

    @strawberry.mutation(
        description=(
            "Link a relation to a customer's contractant, on the relation's active subscription"
            " (CONSTRAINT_VIOLATION without one); refused (CONSTRAINT_VIOLATION, naming it)"
            " while another relation is linked: one relation per contractant."
        )
    )
    async def link_relation(
        self,
        info: Info,
        relation_id: strawberry.ID,
        contractant_id: strawberry.ID,
        database: str,
    ) -> RelationLink:
        ctx = info.context
        link = await ctx.engine.relations.link_relation(
            await ctx.caller(), relation_id, contractant_id, database
        )
        return RelationLink.of(link)

    @strawberry.mutation(description="Remove a contractant's link (empty the MaxCC fields).")
    async def unlink_relation(self, info: Info, contractant_id: strawberry.ID) -> UnlinkPayload:
        ctx = info.context
        removed = await ctx.engine.relations.unlink_relation(await ctx.caller(), contractant_id)
        return UnlinkPayload(
            contractant_id=contractant_id,
            removed=None if removed is None else RelationLink.of(removed),
        )

    @strawberry.mutation(description="Unlink whatever is linked and link this relation, at once.")
    async def relink_relation(
        self,
        info: Info,
        contractant_id: strawberry.ID,
        relation_id: strawberry.ID,
        database: str,
    ) -> RelinkPayload:
        ctx = info.context
        link, removed = await ctx.engine.relations.relink_relation(
            await ctx.caller(), contractant_id, relation_id, database
        )
        return RelinkPayload(
            link=RelationLink.of(link),
            removed=None if removed is None else RelationLink.of(removed),
        )

    @strawberry.mutation(
        description=(
            "Move every OPEN task of one relation to another in one transaction, or only"
            " taskIds (each an OPEN task of the first relation, else nothing moves)."
        )
    )
    async def rehang_tasks(
        self,
        info: Info,
        from_relation_id: strawberry.ID,
        to_relation_id: strawberry.ID,
        task_ids: list[strawberry.ID] | None = None,
    ) -> RehangPayload:
        ctx = info.context
        moved = await ctx.engine.relations.rehang_tasks(
            await ctx.caller(), from_relation_id, to_relation_id, task_ids
        )
        return RehangPayload(
            moved=moved, from_relation_id=from_relation_id, to_relation_id=to_relation_id
        )
