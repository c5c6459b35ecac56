"""GraphQL for the explorer: search, and a node's neighbourhood with layout positions
(computed server-side with networkx), so any frontend can draw it."""

from __future__ import annotations

import strawberry

from graph_engine.api.context import Info
from graph_engine.api.types import NodeLabel, RelationshipType
from graph_engine.services.explorer import display_name


@strawberry.type(description="A user or organisation found by name.")
class SearchHit:
    id: strawberry.ID
    label: NodeLabel
    name: str


@strawberry.type(description="A node placed in [0, 1]² by the server's layout.")
class GraphNode:
    id: strawberry.ID
    label: NodeLabel
    name: str
    x: float
    y: float


@strawberry.type
class GraphRelationship:
    type: RelationshipType
    start_id: strawberry.ID
    end_id: strawberry.ID


@strawberry.type(description="The nodes within `depth` steps of a node, laid out.")
class Neighbourhood:
    center_id: strawberry.ID
    nodes: list[GraphNode]
    relationships: list[GraphRelationship]


@strawberry.type
class ExplorerQuery:
    @strawberry.field(
        description=(
            "Users and organisations within the caller's reach whose name or email contains a text."
        )
    )
    async def find_nodes(self, info: Info, search: str, first: int = 20) -> list[SearchHit]:
        ctx = info.context
        found = await ctx.engine.explorer.find(await ctx.caller(), search, first)
        return [
            SearchHit(id=strawberry.ID(n.id), label=NodeLabel(n.label), name=display_name(n))
            for n in found
        ]

    @strawberry.field(
        description=(
            "A node's neighbourhood with layout positions: what the caller reaches "
            "(operators everything; others the directory, ADMINs also their environment's records)."
        )
    )
    async def neighbourhood(self, info: Info, id: strawberry.ID, depth: int = 1) -> Neighbourhood:  # noqa: A002
        ctx = info.context
        picture = await ctx.engine.explorer.neighbourhood(await ctx.caller(), id, depth)
        return Neighbourhood(
            center_id=strawberry.ID(picture.center_id),
            nodes=[
                GraphNode(
                    id=strawberry.ID(n.id), label=NodeLabel(n.label), name=n.name, x=n.x, y=n.y
                )
                for n in picture.nodes
            ],
            relationships=[
                GraphRelationship(
                    type=RelationshipType(r.type),
                    start_id=strawberry.ID(r.start),
                    end_id=strawberry.ID(r.end),
                )
                for r in picture.relationships
            ],
        )
