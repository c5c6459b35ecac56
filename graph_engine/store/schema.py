"""The fixed allow-list of node labels and relationship types (DESIGN §2).

Raw imports are checked against it before anything is written, and it is the
only place a label or type may come from when one is not spelled out in a
query.
"""

from __future__ import annotations

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeLabel, RelationshipType

LABELS = frozenset(label.value for label in NodeLabel)
RELATIONSHIP_TYPES = frozenset(type_.value for type_ in RelationshipType)


# What the stores look nodes up by: a node without it could never be found again.
REQUIRED = {
    "User": ("email",),
    "Environment": ("emailDomain",),
    "Licence": ("number",),
    "Session": ("tokenHash",),
    "ApiKey": ("keyHash",),
}


def check_graph_data(data: GraphData) -> None:
    """Refuse raw data that names a label or type outside the allow-list, lacks ids or
    lacks a property the engine finds the node by."""
    for node in data.nodes:
        if node.label not in LABELS:
            raise InvalidInput(f"unknown node label {node.label!r}", details={"label": node.label})
        if not node.id or not isinstance(node.id, str):
            raise InvalidInput(f"a {node.label} node has no id")
        for name in REQUIRED.get(node.label, ()):
            if not isinstance(node.props.get(name), str) or not node.props[name]:
                raise InvalidInput(
                    f"{node.label} {node.id} has no {name}",
                    details={"id": node.id, "property": name},
                )
    for rel in data.relationships:
        if rel.type not in RELATIONSHIP_TYPES:
            raise InvalidInput(
                f"unknown relationship type {rel.type!r}", details={"type": rel.type}
            )
