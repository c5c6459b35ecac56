"""What every service holds: the store, the clock and the notifier (mail)."""

from __future__ import annotations

from datetime import datetime

from graph_engine.clock import Clock
from graph_engine.services.mail import OutboxMailer
from graph_engine.services.notify import Notifier
from graph_engine.store.base import GraphStore


class Service:
    def __init__(self, store: GraphStore, clock: Clock, notify: Notifier | None = None) -> None:
        self.store = store
        self.clock = clock
        self.notify = notify or Notifier(store, OutboxMailer(store, clock))

    def now(self) -> datetime:
        return self.clock.now()
