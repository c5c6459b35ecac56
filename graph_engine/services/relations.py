"""Relation links and support tasks (Staff / MaxCC, DESIGN §3.4).

Who may do what
---------------
*Relation staff* of an environment are: operators; ``BACKOFFICE`` keys (the
FlexService link) bound to that environment; and users with role ``ADMIN`` or
``CONSULTANT`` in it.

* Relation staff of the vendor's environment that holds a relation create and
  end its subscriptions, create and close its tasks, link it to a customer's
  contractant, and re-hang tasks between two of its relations.
* **A link sits on the relation's active subscription** (the article's "Selecteer
  het momenteel actieve abonnement … Technische inrichting (MaxCC)"): linking a
  relation without one is refused (``CONSTRAINT_VIOLATION``,
  ``no_active_subscription``); with several, the newest active one carries it.
  Ending that subscription ends the link: the contractant answers "unlinked". Creating relations and
  listing them is for relation staff of that environment too.
* **A link needs a partnership** (DESIGN §3.0: every tie between tenants needs
  consent): a relation is linked only to a contractant partnered with the
  vendor's environment, its customer; operators may link any. Any other
  contractant is NOT_FOUND, the same as one that does not exist.
* Unlinking or relinking a contractant is for relation staff of the
  environment holding the relation linked now (and operators). A refusal never
  names another vendor's relation, database or environment.
* A contractant's linked relation, subscription count and support tasks are
  seen by the vendor (relation staff of the linked relation's environment;
  while nothing is linked, relation staff of an environment partnered with the
  contractant) and by the customer's own users (any role but ``CLIENT`` and
  ``CANDIDATE``) and keys. Everyone else: NOT_FOUND outside their reach,
  FORBIDDEN within it.
* A vendor's relations, subscriptions and tasks are its own records: to anyone
  outside the vendor's environment who is not relation staff of it (a partner's
  users and keys), an existing one is NOT_FOUND, word for word as an unknown id;
  the vendor's own users who are not staff get FORBIDDEN.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graph_engine import ids
from graph_engine.errors import Forbidden, problem
from graph_engine.model import (
    OUTSIDER_ROLES,
    Page,
    PageRequest,
    Principal,
    PrincipalKind,
    Relation,
    RelationLink,
    Role,
    Subscription,
    SubscriptionCount,
    SupportTasks,
    Task,
    TaskStatus,
)
from graph_engine.services import validate, visibility
from graph_engine.services.access import reach
from graph_engine.services.base import Service
from graph_engine.store.relations import RelationStore
from graph_engine.store.visibility import VisibilityStore

STAFF_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT})
# How many tasks one rehangTasks may name.
MAX_TASK_IDS = 1_000


def is_relation_staff_of(caller: Principal, environment_id: str | None) -> bool:
    """Operators, BACKOFFICE keys of this environment, its ADMINs and CONSULTANTs."""
    if caller.is_operator:
        return True
    if environment_id is None:
        return False
    if caller.kind is PrincipalKind.BACKOFFICE:
        return caller.environment_id == environment_id
    user = caller.user
    return user is not None and user.environment_id == environment_id and user.role in STAFF_ROLES


def _environment_of(caller: Principal) -> str | None:
    """The caller's own environment: a user's, or a key's."""
    return caller.user.environment_id if caller.user is not None else caller.environment_id


def _refuse(environment_id: str) -> Forbidden:
    return Forbidden(
        f"only an ADMIN or CONSULTANT of environment {environment_id}, "
        "its BACKOFFICE link or an operator may do this",
        details={"environment": environment_id},
    )


def _not_yours(contractant_id: str) -> Forbidden:
    return Forbidden(
        f"contractant {contractant_id} is linked to a relation you do not manage",
        details={"contractant": contractant_id},
        suggestion="Only the vendor that linked it (or an operator) changes that link.",
    )


class RelationNeeds(RelationStore, VisibilityStore, Protocol):
    """What RelationService asks of the store: relations, links and tasks, within the caller's
    reach."""


class RelationService(Service[RelationNeeds]):
    # -- helpers ---------------------------------------------------------------------
    async def _home(self, caller: Principal, label: str, node_id: str) -> str:
        """The environment a node lives in; NOT_FOUND when it is unknown or out of reach."""
        found = await reach(self.store, caller, [(label, node_id)])
        home = found[node_id].environment_id
        if home is None:
            raise problem("not_found", label=label, id=node_id)
        return home

    async def _require_staff(self, caller: Principal, label: str, node_id: str) -> str:
        home = await self._home(caller, label, node_id)
        if not is_relation_staff_of(caller, home):
            own = _environment_of(caller)
            if label != "Environment" and own != home:
                # A partner reaches the vendor's environment, not its records.
                raise problem("not_found", label=label, id=node_id)
            raise _refuse(home)
        return home

    def _own_user(self, caller: Principal, contractant_id: str) -> bool:
        """One of the contractant's own users (not CLIENT or CANDIDATE) or keys."""
        if caller.user is not None:
            return (
                caller.user.environment_id == contractant_id
                and caller.user.role not in OUTSIDER_ROLES
            )
        return caller.environment_id == contractant_id

    async def _require_reader(
        self, caller: Principal, contractant_id: str, relation_home: str | None
    ) -> None:
        """May the caller look through the contractant's link (see the module docstring)?"""
        if caller.is_operator:
            return
        if relation_home is not None and is_relation_staff_of(caller, relation_home):
            return
        scope = await visibility.reach_of(self.store, caller)
        if not scope.covers(contractant_id):
            raise problem("not_found", label="Environment", id=contractant_id)
        if relation_home is not None and not scope.covers(relation_home):
            # A link made before links needed a partnership: its vendor is out of reach.
            raise _not_yours(contractant_id)
        if self._own_user(caller, contractant_id):
            return
        vendor = _environment_of(caller)
        if relation_home is None and vendor is not None and is_relation_staff_of(caller, vendor):
            return
        raise Forbidden(
            f"the links and tasks of contractant {contractant_id} are for its own users "
            "and its vendor's ADMINs and CONSULTANTs",
            details={"contractant": contractant_id},
        )

    # -- relations, subscriptions, tasks -------------------------------------------
    async def create_relation(self, caller: Principal, environment_id: str, name: str) -> Relation:
        await self._require_staff(caller, "Environment", environment_id)
        return await self.store.create_relation(
            relation_id=ids.new_id("Relation"),
            environment_id=environment_id,
            name=validate.text(name, "name"),
            at=self.now(),
        )

    async def relation(self, caller: Principal, relation_id: str) -> Relation:
        await self._require_staff(caller, "Relation", relation_id)
        found = await self.store.get_relation(relation_id=relation_id)
        if found is None:
            raise problem("not_found", label="Relation", id=relation_id)
        return found

    async def relations(
        self,
        caller: Principal,
        environment_id: str,
        search: str | None,
        page: PageRequest,
    ) -> Page[Relation]:
        await self._require_staff(caller, "Environment", environment_id)
        return await self.store.list_relations(
            environment_id=environment_id,
            search=validate.search(search),
            page=page,
        )

    async def create_subscription(
        self, caller: Principal, relation_id: str, active: bool
    ) -> Subscription:
        await self._require_staff(caller, "Relation", relation_id)
        return await self.store.create_subscription(
            subscription_id=ids.new_id("Subscription"),
            relation_id=relation_id,
            active=active,
            at=self.now(),
        )

    async def end_subscription(
        self, caller: Principal, subscription_id: str
    ) -> tuple[Subscription, list[RelationLink]]:
        """End a subscription and the links stored on it; returns both (idempotent)."""
        await self._require_staff(caller, "Subscription", subscription_id)
        return await self.store.end_subscription(subscription_id=subscription_id, at=self.now())

    async def create_task(self, caller: Principal, relation_id: str, title: str) -> Task:
        await self._require_staff(caller, "Relation", relation_id)
        return await self.store.create_task(
            task_id=ids.new_id("Task"),
            relation_id=relation_id,
            title=validate.text(title, "title"),
            at=self.now(),
        )

    async def close_task(self, caller: Principal, task_id: str) -> Task:
        await self._require_staff(caller, "Task", task_id)
        return await self.store.close_task(task_id=task_id, at=self.now())

    # -- links -------------------------------------------------------------------------
    async def link_relation(
        self, caller: Principal, relation_id: str, contractant_id: str, database: str
    ) -> RelationLink:
        """Link a relation to a customer's contractant: one partnered with the vendor."""
        await self._require_staff(caller, "Relation", relation_id)
        return await self.store.link_relation(
            relation_id=relation_id,
            contractant_id=contractant_id,
            database=validate.text(database, "database"),
            require_partnership=not caller.is_operator,
            at=self.now(),
        )

    async def _require_manager_of_link(
        self, caller: Principal, contractant_id: str
    ) -> RelationLink | None:
        """The contractant's link, which the caller must manage; None when unlinked.

        Unlinked, the caller must be relation staff of a vendor partnered with the
        contractant (or an operator). Never names another vendor's relation.
        """
        current = await self.store.linked_relation(contractant_id=contractant_id)
        if caller.is_operator:
            return current
        if current is not None and is_relation_staff_of(caller, current.relation.environment_id):
            return current
        scope = await visibility.reach_of(self.store, caller)
        if not scope.covers(contractant_id):
            raise problem("not_found", label="Environment", id=contractant_id)
        if current is not None:
            raise _not_yours(contractant_id)
        vendor = _environment_of(caller)
        if not is_relation_staff_of(caller, vendor):
            raise Forbidden(
                "only a vendor's ADMINs and CONSULTANTs, its BACKOFFICE link or an operator "
                "manage the link of a contractant",
                details={"contractant": contractant_id},
            )
        return None

    async def unlink_relation(self, caller: Principal, contractant_id: str) -> RelationLink | None:
        """Remove the contractant's link; None when nothing was linked."""
        if await self._require_manager_of_link(caller, contractant_id) is None:
            return None
        return await self.store.unlink_relation(contractant_id=contractant_id)

    async def relink_relation(
        self, caller: Principal, contractant_id: str, relation_id: str, database: str
    ) -> tuple[RelationLink, RelationLink | None]:
        await self._require_staff(caller, "Relation", relation_id)
        database = validate.text(database, "database")
        await self._require_manager_of_link(caller, contractant_id)
        return await self.store.relink_relation(
            contractant_id=contractant_id,
            relation_id=relation_id,
            database=database,
            require_partnership=not caller.is_operator,
            at=self.now(),
        )

    # -- reads through the link --------------------------------------------------------
    async def _readable_link(self, caller: Principal, contractant_id: str) -> RelationLink | None:
        link = await self.store.linked_relation(contractant_id=contractant_id)
        await self._require_reader(
            caller, contractant_id, None if link is None else link.relation.environment_id
        )
        return link

    async def linked_relation(self, caller: Principal, contractant_id: str) -> RelationLink | None:
        return await self._readable_link(caller, contractant_id)

    async def subscription_count(self, caller: Principal, contractant_id: str) -> SubscriptionCount:
        await self._readable_link(caller, contractant_id)
        return await self.store.subscription_count(contractant_id=contractant_id)

    async def support_tasks(
        self,
        caller: Principal,
        contractant_id: str,
        status: TaskStatus | None,
        page: PageRequest,
    ) -> SupportTasks:
        await self._readable_link(caller, contractant_id)
        return await self.store.support_tasks(
            contractant_id=contractant_id, status=status, page=page
        )

    async def rehang_tasks(
        self,
        caller: Principal,
        from_relation_id: str,
        to_relation_id: str,
        task_ids: Sequence[str] | None = None,
    ) -> int:
        """Move every OPEN task of one relation to another, or only ``task_ids`` (the
        article's one-by-one move of "Taak koppelingen"), in one transaction; returns how
        many moved. A listed task that is not an OPEN task of the first relation refuses
        the whole move (``CONSTRAINT_VIOLATION``, naming it)."""
        await self._require_staff(caller, "Relation", from_relation_id)
        await self._require_staff(caller, "Relation", to_relation_id)
        if task_ids is not None:
            task_ids = validate.chosen(
                task_ids,
                "taskIds",
                "tasks",
                MAX_TASK_IDS,
                " (leave it out to move every open task)",
            )
        return await self.store.rehang_tasks(
            from_relation_id=from_relation_id, to_relation_id=to_relation_id, task_ids=task_ids
        )
