"""The GraphStore protocol: every operation the engine performs on the graph.

It is the composition of one protocol per capability, each in the module named
like the capability (:mod:`graph_engine.store.identity`, ``.provisioning``,
``.partnerships``, ``.ownership``, ``.offboarding``, ``.relations``,
``.maintenance``, ``.explorer``, ``.bulk``, ``.alerts``, ``.audit``, ``.mail``),
plus the visibility rule (:mod:`graph_engine.store.visibility`) and the store's
lifecycle (:class:`StoreLifecycle`, here). A service declares only the protocols
it uses; the stores implement them all.

Two implementations keep the same contract, and one conformance suite
(``tests/conformance``) holds them to it:

* :class:`graph_engine.store.neo4j.Neo4jStore` runs one Cypher statement per
  operation (``queries/<operation>.cypher``) in one transaction;
* :class:`graph_engine.store.memory.MemoryStore` runs the same operation over an
  in-process graph under a lock.

Rules that decide (eligibility, "at most one" invariants) live here, inside the
operation, so they hold under concurrent writers. Who the caller is and whether
they may ask is the services' business, not the store's.

Conventions: ids are strings chosen by the caller (services draw them from
:mod:`graph_engine.ids`), times are timezone-aware datetimes passed in (stores
never read a clock), refusals are raised as :class:`graph_engine.errors.GraphEngineError`
built by :func:`graph_engine.errors.problem`, lists are sorted by id (or a pair
of ids) and cut into pages by a :class:`graph_engine.model.PageRequest` — ``first``
rows after a cursor or ``last`` rows before one — with the keyset cursors of
:mod:`graph_engine.store.pagination`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from graph_engine.store.alerts import AlertStore
from graph_engine.store.audit import AuditStore
from graph_engine.store.bulk import BulkStore
from graph_engine.store.explorer import ExplorerStore
from graph_engine.store.identity import IdentityStore
from graph_engine.store.mail import MailStore
from graph_engine.store.maintenance import MaintenanceStore
from graph_engine.store.offboarding import OffboardingStore
from graph_engine.store.ownership import OwnershipStore
from graph_engine.store.partnerships import PartnershipStore
from graph_engine.store.provisioning import ProvisioningReader, ProvisioningStore
from graph_engine.store.relations import RelationStore
from graph_engine.store.visibility import VisibilityStore

# The operations that write. Each writes the running mutation's audit event in its own
# transaction (graph_engine.audit); tests/test_project.py checks the list against the
# Neo4j store's write statements.
WRITE_OPERATIONS = frozenset(
    {
        "accept_authorization_request",
        "accept_invitation",
        "acknowledge_maintenance_warning",
        "activate_account",
        "add_outbox_mail",
        "answer_partnership_proposal",
        "assign_licence",
        "clear_login_failures",
        "close_task",
        "complete_sign_up",
        "connect",
        "create_api_key",
        "create_dossier",
        "create_environment",
        "create_organisation",
        "create_partnership",
        "create_relation",
        "create_session",
        "create_subscription",
        "create_task",
        "create_user",
        "decline_authorization_request",
        "decline_invitation",
        "decline_sign_up",
        "delete_filter",
        "deliver_process_messages",
        "end_maintenance",
        "end_session",
        "end_sessions",
        "end_subscription",
        "grant_access",
        "import_graph",
        "invite",
        "link_relation",
        "propose_partnership",
        "reassign_dossiers",
        "record_login_failure",
        "rehang_tasks",
        "release_licence",
        "relink_relation",
        "remove_outbox_mail",
        "rename_user",
        "repair_connections",
        "request_licence_cancellation",
        "reset_password",
        "restore_own_rights",
        "revoke_access",
        "revoke_api_key",
        "rotate_api_key",
        "run_alerts",
        "run_nightly_processing",
        "save_filter",
        "schedule_maintenance",
        "send_authorization_request",
        "set_activation_token",
        "set_mail_enabled",
        "set_password",
        "set_relationship_manager",
        "set_reports_to",
        "set_reset_token",
        "set_user_role",
        "set_user_status",
        "start_sign_up",
        "submit_application",
        "touch_api_key",
        "touch_session",
        "transfer_ownership",
        "unlink_relation",
    }
)


def operations() -> frozenset[str]:
    """Every operation of the store protocol (what the metrics count and time)."""
    return frozenset(
        name
        for name in dir(GraphStore)
        if not name.startswith("_") and callable(getattr(GraphStore, name))
    )


class StoreLifecycle(Protocol):
    """Open, check, empty and close a store; the gauges of its activity."""

    name: str

    async def migrate(self) -> None:
        """Create constraints and indexes (idempotent)."""

    async def close(self) -> None: ...

    async def ping(self) -> bool:
        """True when the store answers a trivial query."""

    async def clear(self) -> None:
        """Delete every node and relationship (tests, demo reloads)."""

    async def activity(self, *, idle_since: datetime, born_since: datetime) -> tuple[int, int]:
        """(sessions in use, open maintenance windows): what the metrics' gauges show."""


@runtime_checkable
class GraphStore(
    StoreLifecycle,
    VisibilityStore,
    IdentityStore,
    ProvisioningStore,
    PartnershipStore,
    OwnershipStore,
    OffboardingStore,
    RelationStore,
    MaintenanceStore,
    ExplorerStore,
    BulkStore,
    AlertStore,
    AuditStore,
    MailStore,
    Protocol,
):
    """Async protocol shared by the Neo4j and memory stores: every capability's."""


__all__ = [
    "WRITE_OPERATIONS",
    "AlertStore",
    "AuditStore",
    "BulkStore",
    "ExplorerStore",
    "GraphStore",
    "IdentityStore",
    "MailStore",
    "MaintenanceStore",
    "OffboardingStore",
    "OwnershipStore",
    "PartnershipStore",
    "ProvisioningReader",
    "ProvisioningStore",
    "RelationStore",
    "StoreLifecycle",
    "VisibilityStore",
    "operations",
]
