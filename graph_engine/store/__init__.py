"""Graph stores: the capability protocols (composed into GraphStore), the Neo4j store and
the embedded memory store."""

from __future__ import annotations

from graph_engine.store.base import GraphStore

__all__ = ["GraphStore"]
