"""Per-request loaders: every nested object the API returns passes the visibility gate.

A nested field (``user { environment }``, ``partnership { representatives }``,
``invitation { organisation }`` ...) never reads the store on its own: it asks
one of these loaders, which batches the lookups of a whole response level into
one store call (strawberry's DataLoader, no N+1) and hands back only what the
caller's reach (:mod:`graph_engine.services.visibility`) covers. Outside it the
answer is ``None``: the same as for an object that does not exist.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from strawberry.dataloader import DataLoader

from graph_engine import model
from graph_engine.services import visibility

if TYPE_CHECKING:
    from graph_engine.api.context import Context

K = TypeVar("K")
R = TypeVar("R")


def _keyed(
    fetch: Callable[[list[str]], Awaitable[Sequence[R]]],
    key: Callable[[R], str],
    keep: Callable[[model.Reach, R], bool],
    reach: Callable[[], Awaitable[model.Reach]],
) -> DataLoader[str, R | None]:
    async def load(ids: list[str]) -> list[R | None]:
        gate = await reach()
        found = {key(r): r for r in await fetch(ids) if keep(gate, r)}
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


class Loaders:
    """The loaders of one request (built lazily by :class:`Context`)."""

    def __init__(self, ctx: Context) -> None:
        store = ctx.engine.store
        # The context holds its loaders: they hold it weakly (and themselves not at all),
        # so a request's objects go when it does, not at the cyclic collector's next run.
        context = weakref.ref(ctx)

        async def reach() -> model.Reach:
            held = context()
            if held is None:  # a loader outliving its request: a fault of ours
                msg = "a loader used after its request"
                raise RuntimeError(msg)
            return await visibility.reach_of(store, await held.caller())

        self.user: DataLoader[str, model.User | None] = _keyed(
            lambda ids: store.get_users(ids=ids),
            lambda u: u.id,
            visibility.sees_user,
            reach,
        )
        self.organisation: DataLoader[str, model.Organisation | None] = _keyed(
            lambda ids: store.get_organisations(ids=ids),
            lambda o: o.id,
            visibility.sees_organisation,
            reach,
        )
        self.environment: DataLoader[str, model.Environment | None] = _keyed(
            lambda ids: store.get_environments(ids=ids),
            lambda e: e.id,
            visibility.sees_environment,
            reach,
        )

        organisation = self.organisation

        async def access(user_ids: list[str]) -> list[list[model.Access]]:
            found = await store.list_access_of(user_ids=user_ids)
            lists = [found.get(u, []) for u in user_ids]
            organisations = await organisation.load_many(
                list(dict.fromkeys(a.organisation_id for items in lists for a in items))
            )
            shown = {o.id for o in organisations if o is not None}
            return [[a for a in items if a.organisation_id in shown] for items in lists]

        self.access: DataLoader[str, list[model.Access]] = DataLoader(load_fn=access)
