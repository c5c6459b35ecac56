"""The explorer's questions: find a user or organisation, and show its neighbourhood.

Who may ask: operators (everything) and ADMINs, who see what they reach (their
environment, partnered ones, and those of organisations they have access to;
see :func:`graph_engine.services.access.reach`). Sessions and API keys are never
shown, and no ``...Hash`` property ever leaves the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph_engine.analysis.snapshot import CLEAR_SECRETS
from graph_engine.errors import Forbidden, InvalidInput, problem
from graph_engine.model import NodeRecord, Principal, RelRecord, Role
from graph_engine.services import validate, visibility
from graph_engine.services.base import Service

# Never shown, not even to operators: they exist to hold secrets.
HIDDEN_LABELS = frozenset({"Session", "ApiKey", "SignUp", "OutboxMail", "LoginThrottle"})
MAX_DEPTH = 3
MAX_NODES = 300
STEP_LIMIT = 500


@dataclass(frozen=True)
class PlacedNode:
    id: str
    label: str
    name: str
    x: float
    y: float


@dataclass(frozen=True)
class Picture:
    center_id: str
    nodes: list[PlacedNode]
    relationships: list[RelRecord]


def public(node: NodeRecord) -> NodeRecord:
    return NodeRecord(
        node.label,
        node.id,
        {
            k: v
            for k, v in node.props.items()
            if not k.endswith("Hash") and (node.label, k) not in CLEAR_SECRETS
        },
    )


def display_name(node: NodeRecord) -> str:
    return str(node.props.get("name") or node.props.get("title") or node.id)


class ExplorerService(Service):
    def _require_analyst(self, caller: Principal) -> None:
        if caller.is_operator:
            return
        if caller.user is None or caller.user.role is not Role.ADMIN:
            raise Forbidden("only operators and ADMINs may explore the graph")

    async def _visible(self, caller: Principal, nodes: list[NodeRecord]) -> set[str]:
        """The ids among ``nodes`` the caller may see: through the visibility gate, every
        node's home environments must all lie within the caller's reach."""
        shown = {n.id for n in nodes if n.label not in HIDDEN_LABELS}
        if caller.is_operator:
            return shown
        scope = await visibility.reach_of(self.store, caller)
        located = await self.store.locate(ids=sorted(shown))
        return {loc.id for loc in located if scope.contains(loc)}

    async def find(self, caller: Principal, search: str, first: int) -> list[NodeRecord]:
        self._require_analyst(caller)
        text = validate.clean(search, "search").strip().lower()
        if not text or len(text) > 200:  # noqa: PLR2004 - a search box, not a document
            raise InvalidInput("search must be 1 to 200 characters", details={"field": "search"})
        if not 1 <= first <= 100:  # noqa: PLR2004
            raise InvalidInput("first must be between 1 and 100", details={"first": first})
        found = await self.store.find_nodes(search=text, limit=first * 5)
        visible = await self._visible(caller, found)
        return [public(n) for n in found if n.id in visible][:first]

    async def neighbourhood(self, caller: Principal, node_id: str, depth: int) -> Picture:
        self._require_analyst(caller)
        if not 0 <= depth <= MAX_DEPTH:
            raise InvalidInput(f"depth must be between 0 and {MAX_DEPTH}", details={"depth": depth})
        first = await self.store.expand(ids=[node_id], limit=STEP_LIMIT)
        center = next((n for n in first.nodes if n.id == node_id), None)
        if center is None:
            raise problem("not_found", label="node", id=node_id)
        if node_id not in await self._visible(caller, [center]):
            raise problem("not_found", label="node", id=node_id)
        nodes: dict[str, NodeRecord] = {center.id: center}
        rels: dict[tuple[str, str, str], RelRecord] = {}
        frontier = [node_id]
        step = first  # the first step was taken to find the centre
        for level in range(depth):
            if level > 0:
                step = await self.store.expand(ids=frontier, limit=STEP_LIMIT)
            visible = await self._visible(caller, list(step.nodes))
            new = [n for n in step.nodes if n.id in visible and n.id not in nodes]
            for n in new[: max(0, MAX_NODES - len(nodes))]:
                nodes[n.id] = n
            for r in step.relationships:
                if r.start in nodes and r.end in nodes:
                    rels[(r.start, r.end, r.type)] = r
            frontier = [n.id for n in new if n.id in nodes]
            if not frontier:
                break
        return self._place(node_id, nodes, list(rels.values()))

    def _place(self, center: str, nodes: dict[str, NodeRecord], rels: list[RelRecord]) -> Picture:
        from graph_engine.analysis.export import layout  # noqa: PLC0415 - loaded on first use

        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        graph.add_nodes_from(nodes)
        for r in rels:
            graph.add_edge(r.start, r.end, type=r.type)
        pos = layout(graph, center)
        placed = [
            PlacedNode(n.id, n.label, display_name(n), *pos.get(n.id, (0.5, 0.5)))
            for n in sorted(nodes.values(), key=lambda n: n.id)
        ]
        return Picture(center, placed, sorted(rels, key=lambda r: (r.start, r.end, r.type)))
