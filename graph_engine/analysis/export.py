"""Write a snapshot out: node-link JSON (networkx reads it back) or GraphML (Gephi),
and pictures of a node's neighbourhood (:mod:`graph_engine.analysis.picture`: SVG with
the standard library, PNG with Pillow from the ``draw`` extra, :mod:`.png`)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph_engine.analysis.layout import layout
from graph_engine.analysis.picture import scene, to_svg
from graph_engine.analysis.png import require_png, write_png

if TYPE_CHECKING:
    from graph_engine.analysis.snapshot import Graph

__all__ = ["draw", "layout", "neighbourhood", "node_link", "read_json", "svg", "write_graphml"]

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


def svg(graph: Graph, center: str | None = None) -> str:
    """A picture of ``graph`` as standalone SVG (see :mod:`graph_engine.analysis.picture`)."""
    return to_svg(scene(graph, center))


def draw(graph: Graph, center: str, depth: int, out: Path) -> int:
    """Write the neighbourhood of ``center`` to ``out`` (.svg or .png); returns its size.

    PNG needs matplotlib (the ``draw`` extra): without it, DrawExtraMissingError is raised
    before anything is written.
    """
    suffix = out.suffix.lower()
    if suffix not in {".svg", ".png"}:
        raise ValueError("the picture must be a .svg or .png file")
    if suffix == ".png":
        require_png()
    around = neighbourhood(graph, center, depth)
    title = (
        f"{around.number_of_nodes()} nodes, {around.number_of_edges()} relationships"
        f" within {depth} steps of {center}"
    )
    picture = scene(around, center, title)
    if suffix == ".svg":
        out.write_text(to_svg(picture), encoding="utf-8")
    else:
        write_png(picture, out)
    return around.number_of_nodes()
