"""``node(id:)`` and ``nodes(ids:)``: any object by its global id, behind its own gate.

Each type's global id is answered by the same service call as the type's own query
(``user(id:)`` ...), so the visibility gate decides exactly as it does there: for
``node``, an object out of the caller's reach is NOT_FOUND (with a null answer, as
Relay has it), worded as for an id that names nothing; in ``nodes``, as in every
nested field, it is null, as is an id that names nothing. A string that is not a
global id is INVALID_INPUT in both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import strawberry

from graph_engine.api.context import Info
from graph_engine.api.node import Node, parse_global_id
from graph_engine.api.relations import Relation
from graph_engine.api.types import Environment, Organisation, Partnership, User
from graph_engine.errors import Forbidden, InvalidInput, NotFound, problem
from graph_engine.model import Principal

# At most this many ids in one nodes(ids:) call (every request is bounded).
MAX_IDS = 100

Fetch = Callable[[Info, Principal, str], Awaitable[Node]]


async def _environment(info: Info, caller: Principal, node_id: str) -> Node:
    return Environment.of(await info.context.engine.provisioning.environment(caller, node_id))


async def _user(info: Info, caller: Principal, node_id: str) -> Node:
    return User.of(await info.context.engine.provisioning.user(caller, node_id))


async def _organisation(info: Info, caller: Principal, node_id: str) -> Node:
    return Organisation.of(await info.context.engine.provisioning.organisation(caller, node_id))


async def _partnership(info: Info, caller: Principal, node_id: str) -> Node:
    return Partnership.of(await info.context.engine.partnerships.partnership(caller, node_id))


async def _relation(info: Info, caller: Principal, node_id: str) -> Node:
    return Relation.of(await info.context.engine.relations.relation(caller, node_id))


FETCH: dict[str, Fetch] = {
    "Environment": _environment,
    "User": _user,
    "Organisation": _organisation,
    "Partnership": _partnership,
    "Relation": _relation,
}


async def fetch_node(info: Info, caller: Principal, type_name: str, node_id: str) -> Node:
    """The object a global id names, as its type's own query answers it, except that what
    the caller may not see is NOT_FOUND even where that query says FORBIDDEN (a partner
    asking for a vendor's relation): a global id answers "exists" or nothing, never
    "exists, but not for you"."""
    fetch = FETCH.get(type_name)
    if fetch is None:  # a type with no node: the id names nothing
        raise problem("not_found", label=type_name, id=node_id)
    try:
        return await fetch(info, caller, node_id)
    except Forbidden:
        raise problem("not_found", label=type_name, id=node_id) from None


async def visible_node(info: Info, caller: Principal, type_name: str, node_id: str) -> Node | None:
    try:
        return await fetch_node(info, caller, type_name, node_id)
    except NotFound:
        return None


@strawberry.type
class NodeQuery:
    @strawberry.field(description="The object a global id (a Node's globalId) names.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:  # noqa: A002
        caller = await info.context.caller()
        return await fetch_node(info, caller, *parse_global_id(id))

    @strawberry.field(
        description=f"The objects global ids name, in order (at most {MAX_IDS}); null for "
        "each that names nothing the caller may see."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_IDS:
            raise InvalidInput(
                f"at most {MAX_IDS} ids at a time", details={"ids": len(ids), "max": MAX_IDS}
            )
        caller = await info.context.caller()
        named = [parse_global_id(i) for i in ids]  # one malformed id refuses the whole call
        return list(await asyncio.gather(*(visible_node(info, caller, *n) for n in named)))
