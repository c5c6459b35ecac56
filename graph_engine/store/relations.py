"""The relations capability's store protocol: relations, links and tasks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

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


class RelationStore(Protocol):
    """Relations, subscriptions, support tasks and links to contractants (DESIGN §3.4)."""

    async def create_relation(
        self, *, relation_id: str, environment_id: str, name: str, at: datetime
    ) -> Relation:
        """Add a relation to the vendor's own contractant ``environment_id``."""

    async def get_relation(self, *, relation_id: str) -> Relation | None: ...

    async def list_relations(
        self, *, environment_id: str, search: str | None, page: PageRequest
    ) -> Page[Relation]:
        """The relations of an environment, by id; ``search`` matches the name."""

    async def create_subscription(
        self, *, subscription_id: str, relation_id: str, active: bool, at: datetime
    ) -> Subscription: ...

    async def end_subscription(
        self, *, subscription_id: str, at: datetime
    ) -> tuple[Subscription, list[RelationLink]]:
        """End a subscription (inactive, ``endedAt``) and the links stored on it, at once.

        Returns the subscription and the links it ended (by contractant id); ending an
        ended subscription changes nothing.
        """

    async def create_task(
        self, *, task_id: str, relation_id: str, title: str, at: datetime
    ) -> Task:
        """Add an OPEN support task concerning the relation."""

    async def close_task(self, *, task_id: str, at: datetime) -> Task:
        """Close a task (closing a closed task changes nothing)."""

    async def link_relation(
        self,
        *,
        relation_id: str,
        contractant_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> RelationLink:
        """Link the relation to the customer's contractant: at most one relation per contractant.

        The link is stored on the relation's current active subscription (its newest
        active one); without one it is refused with ``no_active_subscription``.

        The contractant must be partnered with the relation's environment (unless
        ``require_partnership`` is False: operators); otherwise it is NOT_FOUND.
        Refused with ``relation_already_linked`` (naming the linked relation, when it
        is of the same environment; ``linked_elsewhere`` without names otherwise) when
        the contractant already has a link, unless it is this very relation with
        this very database (then nothing changes and the link is returned).

        Examples
        --------
        >>> await store.link_relation(relation_id="rel_new", contractant_id="env_cust",
        ...     database="db1", at=now)  # doctest: +SKIP
        """

    async def unlink_relation(self, *, contractant_id: str) -> RelationLink | None:
        """Remove the contractant's link; return the removed link (None: nothing was linked)."""

    async def relink_relation(
        self,
        *,
        contractant_id: str,
        relation_id: str,
        database: str,
        require_partnership: bool = True,
        at: datetime,
    ) -> tuple[RelationLink, RelationLink | None]:
        """Replace the contractant's link in one transaction; return (new link, removed link).

        The contractant must be partnered with the relation's environment, and the
        relation needs an active subscription, as for :meth:`link_relation`."""

    async def linked_relation(self, *, contractant_id: str) -> RelationLink | None:
        """The contractant's link, or None when it is unlinked."""

    async def subscription_count(self, *, contractant_id: str) -> SubscriptionCount:
        """Count the subscriptions of the contractant's linked relation (zero when unlinked)."""

    async def support_tasks(
        self,
        *,
        contractant_id: str,
        status: TaskStatus | None,
        page: PageRequest,
    ) -> SupportTasks:
        """The tasks of the contractant's linked relation, by id (none when unlinked)."""

    async def rehang_tasks(
        self,
        *,
        from_relation_id: str,
        to_relation_id: str,
        task_ids: Sequence[str] | None = None,
    ) -> int:
        """Move every OPEN task of one relation to another of the same environment;
        with ``task_ids``, those (each an OPEN task of it, else nothing moves).

        One transaction; closed tasks stay. Returns how many tasks moved.
        """
