"""The engine: one store, one clock, one mailer, and the services that act on them."""

from __future__ import annotations

from graph_engine.clock import Clock, SystemClock
from graph_engine.services.alerts import AlertService
from graph_engine.services.audit import AuditService
from graph_engine.services.explorer import ExplorerService
from graph_engine.services.identity import IdentityService
from graph_engine.services.identity_policy import LoginThrottle, SessionPolicy
from graph_engine.services.keys import KeyService
from graph_engine.services.mail import Mailer, OutboxMailer
from graph_engine.services.mail_outbox import OutboxService
from graph_engine.services.maintenance import MaintenanceService
from graph_engine.services.notify import Notifier
from graph_engine.services.offboarding import OffboardingService
from graph_engine.services.ownership import OwnershipService
from graph_engine.services.partnerships import PartnershipService
from graph_engine.services.provisioning import ProvisioningService
from graph_engine.services.relations import RelationService
from graph_engine.services.signups import SignUpService
from graph_engine.services.testclock import TestClockService
from graph_engine.store.base import GraphStore


class Engine:
    """Everything a request needs, built once per process.

    Mail goes through ``mailer``: an SMTP server when one is configured, else the
    graph's outbox (:mod:`graph_engine.services.mail`).
    """

    def __init__(
        self,
        store: GraphStore,
        clock: Clock | None = None,
        mailer: Mailer | None = None,
        *,
        sessions: SessionPolicy | None = None,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self.store = store
        self.clock = clock or SystemClock()
        self.mailer = mailer or OutboxMailer(store, self.clock)
        notify = Notifier(store, self.mailer)
        self.identity = IdentityService(store, self.clock, notify)
        self.identity.sessions = sessions or SessionPolicy()
        self.identity.throttle = throttle or LoginThrottle()
        self.signups = SignUpService(store, self.clock, notify)
        self.keys = KeyService(store, self.clock, notify)
        self.audit = AuditService(store, self.clock, notify)
        self.provisioning = ProvisioningService(store, self.clock, notify)
        self.partnerships = PartnershipService(store, self.clock, notify)
        self.offboarding = OffboardingService(store, self.clock, notify)
        self.explorer = ExplorerService(store, self.clock, notify)
        self.maintenance = MaintenanceService(store, self.clock, notify)
        self.relations = RelationService(store, self.clock, notify)
        self.ownership = OwnershipService(store, self.clock, notify)
        self.test_clock = TestClockService(store, self.clock, notify)
        self.alerts = AlertService(store, self.clock, notify)
        self.outbox = OutboxService(store, self.clock, notify)
