"""Relay's ``Node`` interface: global ids that ``node(id:)`` fetches again.

Every object with a query of its own (``environment``, ``user``, ``organisation``,
``partnership``, ``relation``) is a ``Node``. Its ``id`` stays the plain id the
rest of the API takes and returns (``usr_anna``); its ``globalId`` is that id
qualified by its type, as strawberry's :class:`~strawberry.relay.GlobalID` encodes
it (base64 of ``User:usr_anna``). ``node(id:)`` takes a global id — a plain id
does not say which type it names. Relay's compiler reads the global id from
``globalId`` with ``schemaConfig.nodeInterfaceIdField: "globalId"``.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.relay import GlobalID, GlobalIDValueError

from graph_engine.errors import InvalidInput


def global_id(type_name: str, node_id: str) -> str:
    """The global id of the object ``node_id`` of GraphQL type ``type_name``."""
    return str(GlobalID(type_name, node_id))


def parse_global_id(value: str) -> tuple[str, str]:
    """The (type name, plain id) a global id names; INVALID_INPUT when it is none."""
    try:
        found = GlobalID.from_id(value)
    except GlobalIDValueError:
        raise InvalidInput(
            "not a global id",
            details={"id": value},
            suggestion="Pass a globalId as the API returned it; plain ids go to the "
            "type's own query (user(id:), environment(id:) ...).",
        ) from None
    return found.type_name, found.node_id


@strawberry.interface(
    description="An object with a global id, fetched again with node(id: globalId)."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="The plain id, as the rest of the API takes it (unique per type)."
    )

    @strawberry.field(description="The id qualified by its type, unique in the whole graph.")
    def global_id(self) -> strawberry.ID:
        definition: Any = getattr(type(self), "__strawberry_definition__")  # noqa: B009
        return strawberry.ID(global_id(definition.name, self.id))
