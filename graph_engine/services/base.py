"""What every service holds: its store, the clock and the notifier (mail).

A service names the store protocols it uses (``Service[...]`` with a protocol
composed of capability protocols, :mod:`graph_engine.store.base`), so the type
checker proves it asks the store for nothing else; the engine hands every
service the one :class:`graph_engine.store.base.GraphStore`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from graph_engine.clock import Clock
from graph_engine.services.notify import Notifier

StoreT = TypeVar("StoreT")


class Service(Generic[StoreT]):
    def __init__(self, store: StoreT, clock: Clock, notify: Notifier) -> None:
        self.store = store
        self.clock = clock
        self.notify = notify

    def now(self) -> datetime:
        return self.clock.now()
