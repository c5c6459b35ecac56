"""The whole graph of a store as a networkx ``MultiDiGraph``, for analysts.

Nodes carry ``label`` and their properties (except secrets: every ``...Hash``);
edges carry ``type`` and their properties. Times are Python ``datetime`` whatever
the store. From Neo4j the graph is read in pages (``BulkStore.export_pages``), never as one result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import networkx as nx

from graph_engine.store.bulk import BulkStore

if TYPE_CHECKING:
    Graph: TypeAlias = nx.MultiDiGraph[str]

Progress = Callable[[int, int], None]  # (nodes so far, relationships so far)


def _plain(value: Any) -> Any:
    if hasattr(value, "to_native") and not isinstance(value, datetime):
        return value.to_native()  # neo4j.time.DateTime and friends
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# Properties that carry a secret in clear: an outbox message's body may hold a token.
CLEAR_SECRETS = frozenset({("OutboxMail", "body")})


def _secret(label: str, key: str) -> bool:
    """Password, token and key hashes never leave the store; nor do lock markers, nor
    messages waiting in the outbox (they may carry a sign-up token)."""
    return key.endswith("Hash") or key.startswith("_") or (label, key) in CLEAR_SECRETS


async def snapshot(
    store: BulkStore, page_size: int = 10_000, progress: Progress | None = None
) -> Graph:
    """Read every node and relationship of ``store`` into a new ``MultiDiGraph``.

    Examples
    --------
    >>> import asyncio
    >>> from graph_engine.store.memory import MemoryStore
    >>> graph = asyncio.run(snapshot(MemoryStore()))
    >>> graph.number_of_nodes()
    0
    """
    graph: Graph = nx.MultiDiGraph()
    nodes = rels = 0
    async for page in store.export_pages(page_size):
        for node in page.nodes:
            props = {k: _plain(v) for k, v in node.props.items() if not _secret(node.label, k)}
            graph.add_node(node.id, **{**props, "label": node.label, "id": node.id})
        for rel in page.relationships:
            props = {k: _plain(v) for k, v in rel.props.items()}
            # Explicit keys: networkx would otherwise search for a free key per edge.
            graph.add_edge(rel.start, rel.end, key=rels, **{**props, "type": rel.type})
            rels += 1
        nodes += len(page.nodes)
        if progress is not None:
            progress(nodes, rels)
    return graph


def labelled(graph: Graph, label: str) -> list[str]:
    return sorted(n for n, a in graph.nodes(data=True) if a.get("label") == label)


def targets(graph: Graph, node: str, rel_type: str) -> list[str]:
    return [v for _, v, d in graph.out_edges(node, data=True) if d.get("type") == rel_type]


def sources(graph: Graph, node: str, rel_type: str) -> list[str]:
    return [u for u, _, d in graph.in_edges(node, data=True) if d.get("type") == rel_type]
