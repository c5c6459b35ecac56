"""The visibility gate (DESIGN §3.0): one rule for everything the API returns.

A caller's *reach* (:class:`graph_engine.model.Reach`) is read from the graph at
most once per request (``GraphStore.reach``, kept in the principal's request
scope) and every answer passes it:

* root lookups by id (:func:`locate`): an id outside the reach is the very same
  ``NOT_FOUND`` as an id that does not exist;
* nested fields and lists (the API's loaders, :mod:`graph_engine.api.loaders`):
  a record outside the reach is left out, or shown as ``null``;
* lists that may cross tenants are filtered before they are paged.

Who reaches what:

* a user: their own environment, the environments partnered with it and those of
  organisations they have access to; plus the record (and only the record) of a
  user who addressed them a request, invitation or proposal;
* a machine key: the environment it is bound to (an unbound key reaches nothing);
* an operator: everything.

Store queries that fold the rule in for speed (``can_invite.cypher``) are proven
equal to it by ``tests/conformance/test_identity_visibility.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph_engine.errors import problem
from graph_engine.model import (
    Environment,
    Location,
    Organisation,
    Partnership,
    Principal,
    Reach,
    User,
)
from graph_engine.store.visibility import VisibilityStore

EVERYTHING = Reach(environments=None)


async def reach_of(store: VisibilityStore, caller: Principal) -> Reach:
    """The caller's reach, read once per request (the principal lives one request)."""
    found = caller.scope.reach
    if found is None:
        if caller.is_operator:
            found = EVERYTHING
        elif caller.user is None:
            own = caller.environment_id
            found = Reach(environments=frozenset({own} if own is not None else ()))
        else:
            found = await store.reach(user_id=caller.id)
        caller.scope.reach = found
    return found


async def locate(
    store: VisibilityStore,
    caller: Principal,
    wanted: Sequence[tuple[str, str]],
    *,
    introduced: bool = False,
) -> dict[str, Location]:
    """Locate ``(label, id)`` pairs the caller names; NOT_FOUND unless each is within reach.

    An id that does not exist, has another label, or lies outside the caller's
    reach gets one and the same answer. ``introduced`` also admits users who
    introduced themselves to the caller (for reading their record; never for
    acting on them).
    """
    reach = await reach_of(store, caller)
    found = {loc.id: loc for loc in await store.locate(ids=[i for _, i in wanted])}
    for label, node_id in wanted:
        loc = found.get(node_id)
        if loc is None or loc.label != label:
            raise problem("not_found", label=label, id=node_id)
        if not (reach.sees(loc) if introduced else reach.contains(loc)):
            raise problem("not_found", label=label, id=node_id)
    return found


def sees_user(reach: Reach, user: User) -> bool:
    return reach.covers(user.environment_id) or user.id in reach.introduced


def sees_organisation(reach: Reach, organisation: Organisation) -> bool:
    return reach.covers(organisation.environment_id)


def sees_environment(reach: Reach, environment: Environment) -> bool:
    return reach.covers(environment.id)


def sees_partnership(reach: Reach, partnership: Partnership) -> bool:
    """Both sides must be reached: a partner's other partnerships are not the caller's."""
    return all(reach.covers(e) for e in partnership.environment_ids)


def visible_ids(reach: Reach, locations: Iterable[Location]) -> set[str]:
    """The ids among ``locations`` the caller may see."""
    return {loc.id for loc in locations if reach.sees(loc)}
