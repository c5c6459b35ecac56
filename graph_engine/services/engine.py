"""The engine: one store, one clock, and the services that act on them."""

from __future__ import annotations

from graph_engine.clock import Clock, SystemClock
from graph_engine.services.explorer import ExplorerService
from graph_engine.services.identity import IdentityService
from graph_engine.services.maintenance import MaintenanceService
from graph_engine.services.offboarding import OffboardingService
from graph_engine.services.ownership import OwnershipService
from graph_engine.services.partnerships import PartnershipService
from graph_engine.services.provisioning import ProvisioningService
from graph_engine.services.relations import RelationService
from graph_engine.store.base import GraphStore


class Engine:
    """Everything a request needs, built once per process."""

    def __init__(self, store: GraphStore, clock: Clock | None = None) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.identity = IdentityService(store, self.clock)
        self.provisioning = ProvisioningService(store, self.clock)
        self.partnerships = PartnershipService(store, self.clock)
        self.offboarding = OffboardingService(store, self.clock)
        self.explorer = ExplorerService(store, self.clock)
        self.maintenance = MaintenanceService(store, self.clock)
        self.relations = RelationService(store, self.clock)
        self.ownership = OwnershipService(store, self.clock)
