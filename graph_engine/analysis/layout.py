"""A radial layout: the centre node in the middle, every other node on a ring by its
distance from the centre (breadth first), near the nodes it is reached from.

Each ring lies RING_GAP outside the one before; a node goes at the mean angle of its
neighbours on the ring inside, spread apart to SPACING. A ring too crowded for that is
laid evenly, in that order, over several concentric rings SPACING apart, so no two nodes
ever overlap, whatever the size, and the work grows as n log n. Pure Python: networkx's
layouts need numpy (its spring layout scipy too, from 500 nodes on). Used by
``graph-engine draw`` (:mod:`graph_engine.analysis.picture`) and the explorer.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph_engine.analysis.snapshot import Graph

SPACING = 30.0  # least distance between two nodes' centres, pixels
RING_GAP = 120.0  # between the rings of two distances
TINY = 1e-9


def root_of(graph: Graph, center: str | None) -> str:
    if center is not None and center in graph:
        return center
    return min(graph.nodes, key=lambda n: (-graph.degree(n), str(n)))


def rings(graph: Graph, root: str) -> tuple[list[list[str]], dict[str, set[str]]]:
    """Nodes by distance from ``root`` (breadth first, ties by id), and each node's
    neighbours. Nodes ``root`` does not reach make one more ring, so nothing is left out."""
    neighbours: dict[str, set[str]] = {n: set() for n in graph.nodes}
    for start, end in graph.edges():
        if start != end:
            neighbours[start].add(end)
            neighbours[end].add(start)
    by_distance: list[list[str]] = [[root]]
    seen = {root}
    while True:
        found = sorted({p for n in by_distance[-1] for p in neighbours[n] if p not in seen})
        if not found:
            break
        seen.update(found)
        by_distance.append(found)
    rest = sorted(str(n) for n in graph.nodes if n not in seen)
    if rest:
        by_distance.append(rest)
    return by_distance, neighbours


def _spread(wanted: list[float], gap: float) -> list[float]:
    """Angles as close to ``wanted`` (sorted) as keeps ``gap`` between neighbours."""
    placed: list[float] = []
    for angle in wanted:
        placed.append(max(angle, placed[-1] + gap) if placed else angle)
    drift = sum(p - w for p, w in zip(placed, wanted, strict=True)) / len(wanted)
    return [p - drift for p in placed]


def place(
    rings: list[list[str]], neighbours: dict[str, set[str]]
) -> dict[str, tuple[float, float]]:
    """Pixel offsets from the centre. Ring d lies RING_GAP outside ring d-1; each of its
    nodes goes at the mean angle of its neighbours on the ring inside, spread apart to
    SPACING. A ring too crowded for that is laid evenly in that order over several
    concentric rings SPACING apart, so no two nodes ever overlap."""
    pos: dict[str, tuple[float, float]] = {rings[0][0]: (0.0, 0.0)}
    angle: dict[str, float] = {}
    radius = 0.0
    for ring in rings[1:]:
        radius += RING_GAP
        count = len(ring)

        wanted = {}
        for i, node in enumerate(ring):
            inner = [angle[p] for p in neighbours[node] if p in angle]
            x = sum(math.cos(a) for a in inner)
            y = sum(math.sin(a) for a in inner)
            if not inner:  # the first ring, or nodes the centre does not reach
                wanted[node] = 2 * math.pi * i / count
            elif math.hypot(x, y) < TINY:  # neighbours all round: any of them will do
                wanted[node] = inner[0]
            else:
                wanted[node] = math.atan2(y, x)
        order = sorted(ring, key=lambda n: (wanted[n], n))
        # The angle between two nodes SPACING apart (as the crow flies) on this ring.
        gap = 2 * math.asin(min(1.0, SPACING / (2 * radius)))
        layers, angles = 1, _spread([wanted[n] for n in order], gap)
        if angles[-1] - angles[0] > 2 * math.pi - gap:  # crowded: evenly, on several rings
            # Slots a multiple of the rings, so the last node and the first are on
            # different rings or a whole turn of slots apart; nodes on one ring `gap` apart.
            layers = math.ceil(count * gap / (2 * math.pi))
            slots = math.ceil(count / layers) * layers
            while 2 * math.pi * layers / slots < gap:
                layers += 1
                slots = math.ceil(count / layers) * layers
            start = wanted[order[0]]
            angles = [start + 2 * math.pi * i / slots for i in range(count)]
        for i, (node, a) in enumerate(zip(order, angles, strict=True)):
            r = radius + (i % layers) * SPACING
            angle[node] = a
            pos[node] = (r * math.cos(a - math.pi / 2), r * math.sin(a - math.pi / 2))
        radius += (layers - 1) * SPACING
    return pos


def layout(graph: Graph, center: str | None = None) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]², ``center`` (or the best connected node) at (0.5, 0.5).

    Parameters
    ----------
    graph : MultiDiGraph
        Any graph; directions are ignored for the layout.
    center : str, optional
        The node in the middle.

    Examples
    --------
    >>> import networkx as nx
    >>> sorted(layout(nx.MultiDiGraph([("a", "b")]), "a").items())
    [('a', (0.5, 0.5)), ('b', (0.5, 0.0))]
    """
    if graph.number_of_nodes() == 0:
        return {}
    pos = place(*rings(graph, root_of(graph, center)))
    reach = max(max(abs(x), abs(y)) for x, y in pos.values()) or 1.0
    return {
        str(n): (round(0.5 + x / (2 * reach), 9), round(0.5 + y / (2 * reach), 9))
        for n, (x, y) in pos.items()
    }
