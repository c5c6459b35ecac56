"""Pictures of a node's neighbourhood: a radial layout (:mod:`graph_engine.analysis.layout`),
one scene, two renderers.

:func:`scene` turns a graph and its layout into shapes in pixels (circles, lines with
their arrowheads, node and relationship labels, a legend by label, a caption) on a canvas
made big enough for every label, the centre node in its middle. :func:`to_svg` writes it
as SVG with the standard library; :func:`graph_engine.analysis.png.write_png` draws the
same shapes with Pillow, which is the ``draw`` extra (``pip install 'graph_engine[draw]'``).

Examples
--------
>>> import networkx as nx
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("u1", label="User", name="Ann")
>>> graph.add_node("e1", label="Environment", name="Shop")
>>> _ = graph.add_edge("u1", "e1", type="MEMBER_OF")
>>> picture = scene(graph, "u1")
>>> (picture.width / 2, picture.height / 2) == picture.nodes[0].xy
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from graph_engine.analysis.layout import SPACING, layout, place, rings, root_of

if TYPE_CHECKING:
    from graph_engine.analysis.snapshot import Graph

__all__ = ["SPACING", "Edge", "Node", "Scene", "Text", "layout", "scene", "to_svg"]

LABEL_COLOURS = {
    "Environment": "#4e79a7",
    "User": "#f28e2b",
    "Organisation": "#59a14f",
    "Partnership": "#e15759",
    "AuthorizationRequest": "#b07aa1",
    "Invitation": "#76b7b2",
    "Dossier": "#edc948",
    "MaintenanceWindow": "#9c755f",
    "Licence": "#8cd17d",
    "ProcessMessage": "#a0cbe8",
    "Relation": "#d37295",
    "Subscription": "#fabfd2",
    "Task": "#b6992d",
    "Session": "#86bcb6",
    "ApiKey": "#499894",
    "Application": "#f1ce63",
    "AuditEvent": "#d4a6c8",
}
OTHER_COLOUR = "#bab0ac"

NODE_RADIUS = 9.0
CENTRE_RADIUS = 13.0
NAME_SIZE = 11.0  # font sizes, pixels
TYPE_SIZE = 8.0
MARGIN = 16.0
EDGE_COLOUR = "#555555"
FONT = "DejaVu Sans, Verdana, sans-serif"
RELATIONSHIP_ENTRY = "relationship: arrow at its end, type along the line"
MAX_NAME = 48  # characters of a name shown; the full name is in the SVG's tooltip


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` in a sans-serif font: upper case and
    wide letters at 0.8 em, the rest at 0.62 em (so a label is never wider than its room)."""
    wide = sum(1 for c in text if c.isupper() or c in "mwMW@%&")
    return (wide * 0.8 + (len(text) - wide) * 0.62) * size


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float
    colour: str = "#222222"
    angle: float = 0.0  # degrees, counter-clockwise on screen
    anchor: str = "start"  # "start" (left) or "middle"


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    xy: tuple[float, float]
    radius: float
    colour: str
    name: Text
    center: bool


@dataclass(frozen=True)
class Edge:
    start: str
    end: str
    types: tuple[str, ...]
    line: tuple[tuple[float, float], tuple[float, float]]
    heads: tuple[tuple[tuple[float, float], ...], ...]  # one triangle per direction
    label: Text


@dataclass(frozen=True)
class Scene:
    width: float
    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    legend: tuple[tuple[str, str, Text], ...]  # (label, colour, text), swatch left of text
    caption: Text


def _head(tip: tuple[float, float], unit: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """An arrowhead whose point touches ``tip``, pointing along ``unit``."""
    length, half = 10.0, 4.5
    bx, by = tip[0] - unit[0] * length, tip[1] - unit[1] * length
    return (
        tip,
        (bx - unit[1] * half, by + unit[0] * half),
        (bx + unit[1] * half, by - unit[0] * half),
    )


def _edges(
    graph: Graph, xy: dict[str, tuple[float, float]], radius: dict[str, float]
) -> list[Edge]:
    """One line per pair of nodes, an arrowhead at each end some relationship points to,
    labelled with the types along the line (upright) at its middle."""
    pairs: dict[tuple[str, str], dict[str, set[str]]] = {}
    for start, end, data in graph.edges(data=True):
        if start == end:
            continue
        key = (start, end) if str(start) < str(end) else (end, start)
        pairs.setdefault(key, {}).setdefault(end, set()).add(str(data.get("type", "")))
    edges = []
    for (a, b), into in sorted(pairs.items()):
        (ax, ay), (bx, by) = xy[a], xy[b]
        length = math.hypot(bx - ax, by - ay) or 1.0
        ux, uy = (bx - ax) / length, (by - ay) / length
        p = (ax + ux * radius[a], ay + uy * radius[a])
        q = (bx - ux * radius[b], by - uy * radius[b])
        heads = []
        if b in into:
            heads.append(_head(q, (ux, uy)))
        if a in into:
            heads.append(_head(p, (-ux, -uy)))
        types = tuple(sorted({t for ts in into.values() for t in ts}))
        angle = -math.degrees(math.atan2(by - ay, bx - ax))
        if angle > 90:  # noqa: PLR2004 - keep the text upright
            angle -= 180
        elif angle <= -90:  # noqa: PLR2004
            angle += 180
        mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        label = Text(mid[0], mid[1] - 3, ", ".join(types), TYPE_SIZE, "#666666", angle, "middle")
        edges.append(Edge(a, b, types, (p, q), tuple(heads), label))
    return edges


def _extent(text: Text) -> tuple[float, float, float, float]:
    """A box sure to hold ``text`` (a rotated label: the circle its width sweeps)."""
    width = text_width(text.text, text.size)
    if text.angle:
        reach = width / 2 + text.size
        return text.x - reach, text.y - reach, text.x + reach, text.y + reach
    left = text.x - width / 2 if text.anchor == "middle" else text.x
    return left, text.y - text.size, left + width, text.y + text.size * 0.35


def _legend(
    labels: list[str], width: float, top: float
) -> tuple[list[tuple[str, str, Text]], float]:
    """Swatches with their label, left to right, wrapping at ``width``; and the height."""
    rows = [
        (RELATIONSHIP_ENTRY, EDGE_COLOUR),
        *((label, LABEL_COLOURS.get(label, OTHER_COLOUR)) for label in labels),
    ]
    entries = []
    x, y = MARGIN, top + NAME_SIZE
    for text, colour in rows:
        room = 16 + text_width(text, NAME_SIZE) + 18
        if x > MARGIN and x + room > width - MARGIN:
            x, y = MARGIN, y + NAME_SIZE * 1.8
        entries.append((text, colour, Text(x + 16, y + NAME_SIZE * 0.35, text, NAME_SIZE)))
        x += room
    return entries, y + NAME_SIZE - top


def scene(graph: Graph, center: str | None = None, title: str | None = None) -> Scene:
    """Shapes in pixels for ``graph`` around ``center``, on a canvas that holds every label
    and has the centre node (``center``, or the best connected node) in its middle."""
    if graph.number_of_nodes() == 0:
        caption = Text(MARGIN, 2 * MARGIN, title or "nothing to draw", NAME_SIZE)
        return Scene(300.0, 3 * MARGIN, (), (), (), caption)
    root = root_of(graph, center)
    offsets = place(*rings(graph, root))
    radius = {n: CENTRE_RADIUS if n == root else NODE_RADIUS for n in offsets}
    edges = _edges(graph, offsets, radius)
    placed = []
    for node in sorted(offsets, key=lambda n: (n != root, n)):
        attrs = graph.nodes[node]
        label = str(attrs.get("label", ""))
        # As the explorer names nodes: a name, else a title (tasks), a number (licences).
        name = str(attrs.get("name") or attrs.get("title") or attrs.get("number") or node)
        if len(name) > MAX_NAME:
            name = name[: MAX_NAME - 1] + "…"
        x, y = offsets[node]
        text = Text(x + radius[node] + 3, y + NAME_SIZE * 0.35, name, NAME_SIZE)
        colour = LABEL_COLOURS.get(label, OTHER_COLOUR)
        placed.append(Node(node, label, (x, y), radius[node], colour, text, node == root))
    # How far anything reaches from the centre, each way: the canvas is twice that.
    boxes = [_extent(n.name) for n in placed] + [_extent(e.label) for e in edges]
    boxes += [(x - r, y - r, x + r, y + r) for n in placed for (x, y), r in [(n.xy, n.radius)]]
    half_w = max(max(-b[0], b[2]) for b in boxes) + MARGIN
    half_h = max(max(-b[1], b[3]) for b in boxes) + MARGIN
    labels = sorted({n.label for n in placed})
    caption_text = title or f"{len(placed)} nodes, {graph.number_of_edges()} relationships"
    # Whole pixels, even, so the centre is a whole pixel too (PNG and SVG alike).
    width = 2.0 * math.ceil(max(half_w, text_width(caption_text, NAME_SIZE) / 2 + MARGIN, 240))
    legend, band = _legend(labels, width, MARGIN)
    band += 2 * MARGIN  # the legend above the drawing, the caption below it: same height
    height = 2.0 * math.ceil(half_h + band)
    cx, cy = width / 2, height / 2

    def moved(t: Text) -> Text:
        return Text(t.x + cx, t.y + cy, t.text, t.size, t.colour, t.angle, t.anchor)

    def shift(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] + cx, p[1] + cy)

    nodes = tuple(
        Node(n.id, n.label, shift(n.xy), n.radius, n.colour, moved(n.name), n.center)
        for n in placed
    )
    lines = tuple(
        Edge(
            e.start,
            e.end,
            e.types,
            (shift(e.line[0]), shift(e.line[1])),
            tuple(tuple(shift(p) for p in head) for head in e.heads),
            moved(e.label),
        )
        for e in edges
    )
    caption = Text(MARGIN, height - MARGIN, caption_text, NAME_SIZE, "#444444")
    return Scene(width, height, nodes, lines, tuple(legend), caption)


def _svg_text(t: Text, extra: str = "") -> str:
    anchor = ' text-anchor="middle"' if t.anchor == "middle" else ""
    turn = f' transform="rotate({-t.angle:.1f} {t.x:.1f} {t.y:.1f})"' if t.angle else ""
    return (
        f'<text x="{t.x:.1f}" y="{t.y:.1f}" font-size="{t.size:g}" fill="{t.colour}"'
        f"{anchor}{turn}{extra}>{escape(t.text)}</text>"
    )


TYPE_CLASS, NAME_CLASS, CENTRE_CLASS = ' class="type"', ' class="name"', ' class="center"'


def to_svg(picture: Scene) -> str:
    """The scene as a standalone SVG document."""
    w, h = picture.width, picture.height
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
            f'viewBox="0 0 {w:.0f} {h:.0f}" font-family="{FONT}">'
        ),
        '<rect width="100%" height="100%" fill="white"/>',
        '<g class="edges">',
    ]
    for e in picture.edges:
        (x1, y1), (x2, y2) = e.line
        heads = "".join(
            '<polygon class="arrow" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in head)
            + f'" fill="{EDGE_COLOUR}"/>'
            for head in e.heads
        )
        parts.append(
            f'<g data-start="{escape(e.start)}" data-end="{escape(e.end)}" '
            f'data-type="{escape(" ".join(e.types))}"><line x1="{x1:.1f}" y1="{y1:.1f}" '
            f'x2="{x2:.1f}" y2="{y2:.1f}" stroke="{EDGE_COLOUR}" stroke-width="1.2"/>{heads}'
            f"{_svg_text(e.label, TYPE_CLASS)}</g>"
        )
    parts.append('</g><g class="nodes">')
    for n in picture.nodes:
        x, y = n.xy
        ring = ' stroke="black" stroke-width="3"' if n.center else ' stroke="white"'
        parts.append(
            f'<g data-id="{escape(n.id)}" data-label="{escape(n.label)}"'
            f"{CENTRE_CLASS if n.center else ''}>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{n.radius:g}" fill="{n.colour}"{ring}/>'
            f"{_svg_text(n.name, NAME_CLASS)}"
            f"<title>{escape(n.label)} {escape(n.id)}</title></g>"
        )
    parts.append('</g><g class="legend">')
    for text, colour, t in picture.legend:
        if text == RELATIONSHIP_ENTRY:
            parts.append(
                f'<line x1="{t.x - 16:.1f}" y1="{t.y - 4:.1f}" x2="{t.x - 4:.1f}" '
                f'y2="{t.y - 4:.1f}" stroke="{colour}" stroke-width="1.5"/>'
            )
        else:
            parts.append(f'<circle cx="{t.x - 9:.1f}" cy="{t.y - 4:.1f}" r="6" fill="{colour}"/>')
        parts.append(_svg_text(t, ' class="legend-entry"'))
    parts.append("</g>")
    parts.append(_svg_text(picture.caption, ' class="caption"'))
    parts.append("</svg>")
    return "\n".join(parts)
