"""The Neo4j store: one Cypher statement per operation, run by the official async driver.

The statements are in ``queries/<capability>/``, beside the module that runs them.

The store is split by capability, as in every layer (``store/neo4j/`` the same
way): ``<capability>.py`` for each of identity, provisioning, partnerships,
ownership, offboarding, relations, maintenance, explorer, bulk, alerts, audit and
mail, and the parts of a large capability beside it as ``<capability>_<part>.py``
(``identity_sessions.py``, ``partnerships_invitations.py``, …). The rest serves
every capability: ``base.py`` (the driver, transactions and error translation)
and ``convert.py`` (rows to records). The store class composes them all.

Examples
--------
>>> store = Neo4jStore("bolt://127.0.0.1:7687")  # doctest: +SKIP
>>> await store.migrate()  # doctest: +SKIP
"""

from __future__ import annotations

from graph_engine.store.base import operations
from graph_engine.store.neo4j.alerts import AlertOps
from graph_engine.store.neo4j.audit import AuditOps
from graph_engine.store.neo4j.bulk_offline import OfflineOps
from graph_engine.store.neo4j.explorer import ExplorerOps
from graph_engine.store.neo4j.identity import IdentityOps
from graph_engine.store.neo4j.identity_keys import KeyOps
from graph_engine.store.neo4j.identity_sessions import SessionOps
from graph_engine.store.neo4j.identity_signups import SignUpOps
from graph_engine.store.neo4j.identity_throttle import ThrottleOps
from graph_engine.store.neo4j.identity_visibility import VisibilityOps
from graph_engine.store.neo4j.mail import MailOps
from graph_engine.store.neo4j.maintenance import MaintenanceOps
from graph_engine.store.neo4j.offboarding import OffboardingOps
from graph_engine.store.neo4j.ownership import OwnershipOps
from graph_engine.store.neo4j.partnerships import PartnershipOps
from graph_engine.store.neo4j.partnerships_authorization import AuthorizationOps
from graph_engine.store.neo4j.partnerships_invitations import InvitationOps
from graph_engine.store.neo4j.partnerships_proposals import ProposalOps
from graph_engine.store.neo4j.provisioning import ProvisioningOps
from graph_engine.store.neo4j.relations import RelationOps
from graph_engine.store.registry import register
from graph_engine.telemetry import instrument


class Neo4jStore(
    OfflineOps,  # bulk: and the BulkOps it extends
    ExplorerOps,
    # identity, with its parts (identity_*.py)
    IdentityOps,
    SignUpOps,
    SessionOps,
    KeyOps,
    ThrottleOps,
    VisibilityOps,
    ProvisioningOps,
    # partnerships, with its parts (partnerships_*.py)
    ProposalOps,
    AuthorizationOps,
    PartnershipOps,
    InvitationOps,
    OwnershipOps,
    OffboardingOps,
    RelationOps,
    MaintenanceOps,
    AlertOps,
    AuditOps,
    MailOps,
):
    """Neo4j implementation of :class:`graph_engine.store.base.GraphStore`."""

    name = "neo4j"


# Every operation is counted and timed (and traced, when traces are on).
instrument(Neo4jStore, operations(), "neo4j")
register(Neo4jStore)


__all__ = ["Neo4jStore"]
