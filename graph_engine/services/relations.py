"""Relation links and support tasks (Staff / MaxCC, DESIGN §3.4).

Who may do what
---------------
*Relation staff* of an environment are: operators; ``BACKOFFICE`` keys (the
FlexService link) that are bound to that environment or to none; and users
with role ``ADMIN`` or ``CONSULTANT`` in it.

* Relation staff of the vendor's environment that holds a relation create its
  subscriptions and tasks, close tasks, link it to a customer's contractant,
  and re-hang tasks between two of its relations. Creating relations and
  listing them is for relation staff of that environment too.
* Unlinking or relinking a contractant also needs relation staff of the
  environment holding the relation linked now, if any.
* A contractant's linked relation, subscription count and support tasks are
  seen by the vendor (relation staff of the linked relation's environment;
  while nothing is linked, relation staff of any environment that holds
  relations) and by the customer's own users (any role but ``CLIENT`` and
  ``CANDIDATE``).

The contractant of a link is any other environment: the vendor links its own
relation to a customer it need not be partnered with.
"""

from __future__ import annotations

from graph_engine import ids
from graph_engine.errors import Forbidden, problem
from graph_engine.model import (
    Page,
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
from graph_engine.services import validate
from graph_engine.services.base import Service

STAFF_ROLES = frozenset({Role.ADMIN, Role.CONSULTANT})
OUTSIDER_ROLES = frozenset({Role.CLIENT, Role.CANDIDATE})


def is_relation_staff_of(caller: Principal, environment_id: str) -> bool:
    """Operators, BACKOFFICE keys (unbound or of this environment), its ADMINs and CONSULTANTs."""
    if caller.is_operator:
        return True
    if caller.kind is PrincipalKind.BACKOFFICE:
        return caller.environment_id in {None, environment_id}
    user = caller.user
    return user is not None and user.environment_id == environment_id and user.role in STAFF_ROLES


def _refuse(environment_id: str) -> Forbidden:
    return Forbidden(
        f"only an ADMIN or CONSULTANT of environment {environment_id}, "
        "a BACKOFFICE link or an operator may do this",
        details={"environment": environment_id},
    )


class RelationService(Service):
    # -- helpers ---------------------------------------------------------------------
    async def _home(self, label: str, node_id: str) -> str:
        """The environment a node lives in; NOT_FOUND when there is no such ``label`` node."""
        for loc in await self.store.locate(viewer_id=None, ids=[node_id]):
            if loc.label == label and loc.environment_id is not None:
                return loc.environment_id
        raise problem("not_found", label=label, id=node_id)

    async def _require_staff(self, caller: Principal, label: str, node_id: str) -> str:
        home = await self._home(label, node_id)
        if not is_relation_staff_of(caller, home):
            raise _refuse(home)
        return home

    async def _is_vendor_staff(self, caller: Principal) -> bool:
        """Relation staff of some environment that holds relations (or of all)."""
        if caller.is_operator or (
            caller.kind is PrincipalKind.BACKOFFICE and caller.environment_id is None
        ):
            return True
        own = caller.environment_id if caller.user is None else caller.user.environment_id
        if own is None or not is_relation_staff_of(caller, own):
            return False
        held = await self.store.list_relations(environment_id=own, search=None, first=1, after=None)
        return bool(held.items)

    async def _require_reader(
        self, caller: Principal, contractant_id: str, relation_id: str | None
    ) -> None:
        user = caller.user
        if user is not None and user.environment_id == contractant_id:
            if user.role not in OUTSIDER_ROLES:
                return
        elif is_relation_staff_of(caller, contractant_id):
            return
        if relation_id is None:
            if await self._is_vendor_staff(caller):
                return
        else:
            home = await self._home("Relation", relation_id)
            if is_relation_staff_of(caller, home):
                return
        raise Forbidden(
            f"the links and tasks of contractant {contractant_id} are for its own users "
            "and the vendor's ADMINs and CONSULTANTs",
            details={"contractant": contractant_id},
        )

    async def _require_contractant(self, contractant_id: str) -> None:
        await self._home("Environment", contractant_id)

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
        first: int,
        after: str | None,
    ) -> Page[Relation]:
        await self._require_staff(caller, "Environment", environment_id)
        return await self.store.list_relations(
            environment_id=environment_id,
            search=validate.search(search),
            first=first,
            after=after,
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
        await self._require_staff(caller, "Relation", relation_id)
        return await self.store.link_relation(
            relation_id=relation_id,
            contractant_id=contractant_id,
            database=validate.text(database, "database"),
            at=self.now(),
        )

    async def _require_staff_of_current(self, caller: Principal, contractant_id: str) -> bool:
        """May the caller remove the contractant's current link? Returns whether one exists."""
        current = await self.store.linked_relation(contractant_id=contractant_id)
        if current is None:
            return False
        if not is_relation_staff_of(caller, current.relation.environment_id):
            raise _refuse(current.relation.environment_id)
        return True

    async def unlink_relation(self, caller: Principal, contractant_id: str) -> RelationLink | None:
        """Remove the contractant's link; None when nothing was linked."""
        if not await self._require_staff_of_current(
            caller, contractant_id
        ) and not await self._is_vendor_staff(caller):
            raise Forbidden(
                "only a vendor's ADMINs and CONSULTANTs, a BACKOFFICE link or an operator "
                "unlink a contractant",
                details={"contractant": contractant_id},
            )
        return await self.store.unlink_relation(contractant_id=contractant_id)

    async def relink_relation(
        self, caller: Principal, contractant_id: str, relation_id: str, database: str
    ) -> tuple[RelationLink, RelationLink | None]:
        await self._require_staff(caller, "Relation", relation_id)
        database = validate.text(database, "database")
        await self._require_staff_of_current(caller, contractant_id)
        return await self.store.relink_relation(
            contractant_id=contractant_id,
            relation_id=relation_id,
            database=database,
            at=self.now(),
        )

    # -- reads through the link --------------------------------------------------------
    async def linked_relation(self, caller: Principal, contractant_id: str) -> RelationLink | None:
        await self._require_contractant(contractant_id)
        link = await self.store.linked_relation(contractant_id=contractant_id)
        await self._require_reader(
            caller, contractant_id, None if link is None else link.relation.id
        )
        return link

    async def subscription_count(self, caller: Principal, contractant_id: str) -> SubscriptionCount:
        await self._require_contractant(contractant_id)
        counted = await self.store.subscription_count(contractant_id=contractant_id)
        await self._require_reader(caller, contractant_id, counted.relation_id)
        return counted

    async def support_tasks(
        self,
        caller: Principal,
        contractant_id: str,
        status: TaskStatus | None,
        first: int,
        after: str | None,
    ) -> SupportTasks:
        await self._require_contractant(contractant_id)
        found = await self.store.support_tasks(
            contractant_id=contractant_id, status=status, first=first, after=after
        )
        await self._require_reader(caller, contractant_id, found.relation_id)
        return found

    async def rehang_tasks(
        self, caller: Principal, from_relation_id: str, to_relation_id: str
    ) -> int:
        """Move every OPEN task of one relation to another; returns how many moved."""
        await self._require_staff(caller, "Relation", from_relation_id)
        await self._require_staff(caller, "Relation", to_relation_id)
        return await self.store.rehang_tasks(
            from_relation_id=from_relation_id, to_relation_id=to_relation_id
        )
