"""Services: who may do what, input validation, ids and time; then one store call."""

from __future__ import annotations

from graph_engine.services.engine import Engine

__all__ = ["Engine"]
