"""The layout of the explorer's views: where each node of a neighbourhood goes.

The explorer service (:mod:`graph_engine.services.explorer`) decides what a caller
is shown; this module places it, with the radial layout of ``graph-engine draw``
(:mod:`graph_engine.analysis.layout`), so the picture in the browser and the one
drawn from a snapshot agree.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph_engine.analysis.layout import layout
from graph_engine.model import RelRecord


def place(
    center: str, node_ids: Iterable[str], relationships: Iterable[RelRecord]
) -> dict[str, tuple[float, float]]:
    """Positions (x, y) of the nodes of a neighbourhood around ``center``.

    Parameters
    ----------
    center
        The node in the middle.
    node_ids
        Every node shown (``center`` among them).
    relationships
        The relationships shown between them.

    Returns
    -------
    dict
        Each node's position, in the layout's pixels.

    Examples
    --------
    >>> sorted(place("a", ["a", "b"], [RelRecord("MEMBER_OF", "a", "b", {})]))
    ['a', 'b']
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_nodes_from(node_ids)
    for r in relationships:
        graph.add_edge(r.start, r.end, type=r.type)
    return layout(graph, center)
