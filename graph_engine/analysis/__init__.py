"""The analyst's toolkit: a snapshot of the access graph and reports over it.

Examples
--------
>>> import asyncio
>>> from graph_engine.store.memory import MemoryStore
>>> graph = asyncio.run(snapshot(MemoryStore()))
>>> analyze(graph)["missing_connections"]
[]
"""

from __future__ import annotations

from graph_engine.analysis.reports import REPORTS, ReportOptions, analyze
from graph_engine.analysis.snapshot import snapshot

__all__ = ["REPORTS", "ReportOptions", "analyze", "snapshot"]
