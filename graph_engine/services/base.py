"""What every service holds: the store and the clock."""

from __future__ import annotations

from datetime import datetime

from graph_engine.clock import Clock
from graph_engine.store.base import GraphStore


class Service:
    def __init__(self, store: GraphStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def now(self) -> datetime:
        return self.clock.now()
