"""The embedded store: the whole graph in process memory (store/memory/multigraph.py).

The default for development, the demo, tests and analysis. Thread-safe (one
lock per store), optionally backed by a snapshot file.

The store is split by capability, as in every layer (``store/neo4j/`` the same
way): ``<capability>.py`` for each of identity, provisioning, partnerships,
ownership, offboarding, relations, maintenance, explorer, bulk, alerts, audit and
mail, and the parts of a large capability beside it as ``<capability>_<part>.py``
(``identity_sessions.py``, ``partnerships_invitations.py``, …). The rest serves
every capability: ``graph.py`` (the graph, its indexes and shared reads),
``multigraph.py`` (the structure) and ``journal.py`` (durability). The store
class composes them all.

Examples
--------
>>> import asyncio
>>> from datetime import UTC, datetime
>>> from graph_engine.model import Billing
>>> store = MemoryStore()
>>> env = asyncio.run(store.create_environment(environment_id="env_1", name="Acme",
...     email_domain="acme.example", billing=Billing.PER_LICENCE, seat_limit=None,
...     at=datetime(2026, 1, 1, tzinfo=UTC)))
>>> env.email_domain
'acme.example'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from graph_engine.errors import GraphEngineError
from graph_engine.model import Decision, InSession, Page, PageRequest, User
from graph_engine.store.base import WRITE_OPERATIONS, operations
from graph_engine.store.memory.alerts import AlertOps
from graph_engine.store.memory.audit import AuditOps, writes
from graph_engine.store.memory.bulk import BulkOps
from graph_engine.store.memory.explorer import ExplorerOps
from graph_engine.store.memory.identity import IdentityOps
from graph_engine.store.memory.identity_keys import KeyOps
from graph_engine.store.memory.identity_sessions import SessionOps
from graph_engine.store.memory.identity_signups import SignUpOps
from graph_engine.store.memory.identity_throttle import ThrottleOps
from graph_engine.store.memory.identity_visibility import VisibilityOps
from graph_engine.store.memory.mail import MailOps
from graph_engine.store.memory.maintenance import MaintenanceOps
from graph_engine.store.memory.offboarding import OffboardingOps
from graph_engine.store.memory.ownership import OwnershipOps
from graph_engine.store.memory.partnerships import PartnershipOps
from graph_engine.store.memory.partnerships_authorization import AuthorizationOps
from graph_engine.store.memory.partnerships_invitations import InvitationOps
from graph_engine.store.memory.partnerships_proposals import ProposalOps
from graph_engine.store.memory.provisioning import ProvisioningOps
from graph_engine.store.memory.relations import RelationOps
from graph_engine.store.registry import register
from graph_engine.telemetry import instrument

T = TypeVar("T")


class MemoryStore(
    BulkOps,
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
    """In-memory implementation of :class:`graph_engine.store.base.GraphStore`."""

    name = "memory"

    @classmethod
    def from_snapshot(cls, path: Path) -> MemoryStore:
        """The graph of a snapshot file and its journal, to read (the files stay as is)."""
        store = cls()
        store.load_snapshot(path)
        return store

    @classmethod
    def durable(cls, path: Path, *, sync: bool = True) -> MemoryStore:
        """A store kept in the snapshot file ``path``: every write is journaled before
        it returns, and survives a crash (store/memory/journal.py)."""
        store = cls()
        store.open_durable(path, sync=sync)
        return store

    # -- reads in session: the session and the read under one hold of the lock, as one
    # statement reads them on Neo4j (and counted as one operation, as there) ------------
    async def can_invite_in_session(
        self, *, token_hash: str, invitee_id: str, organisation_id: str
    ) -> InSession[Decision] | None:
        return self._in_session(
            token_hash,
            lambda user_id: self.decision_for(user_id, invitee_id, organisation_id, user_id),
        )

    async def invite_candidates_in_session(
        self,
        *,
        token_hash: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
    ) -> InSession[Page[User]] | None:
        return self._in_session(
            token_hash,
            lambda user_id: self.candidates_for(
                user_id, organisation_id, search, page, viewer_id=user_id
            ),
        )

    def _in_session(self, token_hash: str, read: Callable[[str], T]) -> InSession[T] | None:
        """``read`` as the session's user, with the session's principal; the refusal kept
        for after the session is admitted; None for an unknown token."""
        with self._lock:
            principal = self.session_principal(token_hash)
            if principal is None:
                return None
            try:
                return InSession(principal, read(principal.id))
            except GraphEngineError as refusal:
                return InSession(principal, refusal=refusal)


# Every write operation carries the running mutation's audit event, under the same lock.
for _name in sorted(WRITE_OPERATIONS):
    setattr(MemoryStore, _name, writes(getattr(MemoryStore, _name)))
# Every operation is counted and timed (and traced, when traces are on).
instrument(MemoryStore, operations(), "memory")
register(MemoryStore)


__all__ = ["MemoryStore"]
