"""graph_engine: a graph-based partnership and access-rights engine."""

from __future__ import annotations

__version__ = "0.1.0"
