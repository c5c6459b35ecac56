"""Write a snapshot out: node-link JSON (networkx reads it back) or GraphML (Gephi),
and pictures of a node's neighbourhood (SVG drawn here, PNG through matplotlib)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from graph_engine.analysis.snapshot import Graph

LABEL_COLOURS = {
    "Environment": "#4e79a7",
    "User": "#f28e2b",
    "Organisation": "#59a14f",
    "Partnership": "#e15759",
    "AuthorizationRequest": "#b07aa1",
    "Invitation": "#76b7b2",
    "Dossier": "#edc948",
    "MaintenanceWindow": "#9c755f",
}
OTHER_COLOUR = "#bab0ac"


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _scalar(value: Any) -> Any:
    """GraphML holds strings, numbers and booleans only, and XML no control characters
    (a partnership's pairKey has one): they are written as ``\\xNN``."""
    if isinstance(value, datetime):
        value = value.isoformat()
    if isinstance(value, list | tuple | dict):
        value = json.dumps(value, default=str)
    if isinstance(value, str):
        return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def write_graphml(graph: Graph, path: Path) -> None:
    plain: Graph = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        plain.add_node(node, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    for start, end, attrs in graph.edges(data=True):
        plain.add_edge(start, end, **{k: _scalar(v) for k, v in attrs.items() if v is not None})
    nx.write_graphml(plain, path)


def node_link(graph: Graph) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(graph, edges="edges")
    return data


def write_json(graph: Graph, path: Path) -> None:
    path.write_text(json.dumps(node_link(graph), default=_scalar, indent=1), encoding="utf-8")


def read_json(path: Path) -> Graph:
    """Read back what :func:`write_json` wrote (times stay ISO strings)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    read = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    graph: Graph = nx.MultiDiGraph(read)
    return graph


def neighbourhood(graph: Graph, center: str, depth: int) -> Graph:
    """The nodes within ``depth`` steps of ``center`` (either direction), with their edges."""
    if center not in graph:
        raise KeyError(center)
    near = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), center, cutoff=depth
    )
    found: Graph = graph.subgraph(near).copy()
    return found


def layout(graph: Graph, center: str | None = None) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]², computed with a seeded spring layout (stable pictures)."""
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() == 1:
        return {next(iter(graph.nodes)): (0.5, 0.5)}
    simple: nx.Graph[str] = nx.Graph(graph)
    if center is not None and center in graph:
        raw = nx.spring_layout(
            simple, seed=7, pos={center: (0.0, 0.0)}, fixed=[center], iterations=100
        )
    else:
        raw = nx.spring_layout(simple, seed=7, iterations=100)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        str(n): ((float(p[0]) - min(xs)) / span_x, (float(p[1]) - min(ys)) / span_y)
        for n, p in raw.items()
    }


def svg(graph: Graph, center: str | None = None, size: int = 900) -> str:
    """A picture of ``graph`` as standalone SVG: coloured by label, edges named by type."""
    pos = layout(graph, center)
    margin = 60

    def xy(node: str) -> tuple[float, float]:
        x, y = pos[node]
        return margin + x * (size - 2 * margin), margin + y * (size - 2 * margin)

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
            f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="11">'
        ),
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for start, end, data in graph.edges(data=True):
        rel = data.get("type")
        (x1, y1), (x2, y2) = xy(start), xy(end)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" '
            f'data-type="{escape(str(rel))}"/>'
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2:.1f}" fill="#777" '
            f'font-size="9">{escape(str(rel))}</text>'
        )
    for node, attrs in graph.nodes(data=True):
        x, y = xy(node)
        label = str(attrs.get("label", ""))
        colour = LABEL_COLOURS.get(label, OTHER_COLOUR)
        ring = ' stroke="black" stroke-width="3"' if node == center else ""
        name = escape(str(attrs.get("name") or node))
        parts.append(
            f'<g data-id="{escape(node)}"><circle cx="{x:.1f}" cy="{y:.1f}" r="14" '
            f'fill="{colour}"{ring}/><text x="{x + 17:.1f}" y="{y + 4:.1f}">{name}</text>'
            f"<title>{escape(label)} {escape(node)}</title></g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def draw(graph: Graph, center: str, depth: int, out: Path) -> int:
    """Write the neighbourhood of ``center`` to ``out`` (.svg or .png); returns its size."""
    around = neighbourhood(graph, center, depth)
    if out.suffix.lower() == ".svg":
        out.write_text(svg(around, center), encoding="utf-8")
    elif out.suffix.lower() == ".png":
        import matplotlib as mpl  # noqa: PLC0415 - only PNG needs it

        mpl.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415

        pos = layout(around, center)
        colours = [
            LABEL_COLOURS.get(str(a.get("label")), OTHER_COLOUR) for _, a in around.nodes(data=True)
        ]
        figure = plt.figure(figsize=(9, 9))
        nx.draw_networkx(
            nx.DiGraph(around),
            pos=pos,
            node_color=colours,
            labels={n: str(a.get("name") or n) for n, a in around.nodes(data=True)},
            font_size=8,
        )
        plt.axis("off")
        figure.savefig(out, dpi=100)
        plt.close(figure)
    else:
        raise ValueError("the picture must be a .svg or .png file")
    return around.number_of_nodes()
