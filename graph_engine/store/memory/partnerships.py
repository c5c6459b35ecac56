"""Partnerships, relationship managers and connections in memory.

The requests that lead to a partnership are beside this module:
``partnerships_authorization.py`` and ``partnerships_proposals.py``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import (
    ConnectionRule,
    MissingConnection,
    Page,
    PageRequest,
    Partnership,
    PartnershipOrigin,
    RequestStatus,
    User,
)
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.pagination import paginate, pair_key


class PartnershipOps(MemoryGraph):
    # -- partnerships --------------------------------------------------------------
    async def create_partnership(
        self,
        *,
        partnership_id: str,
        user_id: str,
        partner_user_id: str,
        origin: PartnershipOrigin,
        at: datetime,
    ) -> Partnership:
        with self._lock:
            self.node(user_id, "User")
            self.node(partner_user_id, "User")
            env, _ = self.membership(user_id)
            partner_env, _ = self.membership(partner_user_id)
            if env == partner_env:
                raise problem("same_environment", user=user_id, peer=partner_user_id)
            self.require_advanced(user_id)
            self.require_usable(user_id)
            self.require_usable(partner_user_id)
            existing = self.partnership_between(env, partner_env)
            if existing is not None:
                raise problem(
                    "partnership_exists",
                    environments=" and ".join(sorted((env, partner_env))),
                    partnership=existing,
                )
            self._new_partnership(partnership_id, env, partner_env, origin, at)
            self.add_edge(user_id, partnership_id, "REPRESENTS")
            self.add_edge(partner_user_id, partnership_id, "REPRESENTS")
            self._index_partnership(partnership_id)
            self._connect(user_id, partner_user_id, "PARTNERSHIP", at)
            return self.partnership_record(partnership_id)

    def _new_partnership(
        self, partnership_id: str, env: str, other: str, origin: PartnershipOrigin, at: datetime
    ) -> None:
        self.add_node(
            "Partnership",
            partnership_id,
            origin=str(origin),
            createdAt=at,
            pairKey=pair_key(*sorted((env, other))),
        )
        self.add_edge(partnership_id, env, "BETWEEN")
        self.add_edge(partnership_id, other, "BETWEEN")

    async def get_partnership(self, *, partnership_id: str) -> Partnership | None:
        with self._lock:
            if not self.has(partnership_id, "Partnership"):
                return None
            return self.partnership_record(partnership_id)

    async def list_partnerships(
        self,
        *,
        environment_id: str,
        page: PageRequest,
        within: Collection[str] | None = None,
    ) -> Page[Partnership]:
        with self._lock:
            self.node(environment_id, "Environment")
            found = [
                self.partnership_record(p) for p in sorted(self.sources(environment_id, "BETWEEN"))
            ]
            if within is not None:
                found = [p for p in found if all(e in within for e in p.environment_ids)]
            return paginate(found, lambda p: p.id, page)

    # -- relationship managers and connections -------------------------------------
    def _relationship_managers(self, environment_id: str) -> list[str]:
        return sorted(
            u
            for u in self.members(environment_id)
            if self.graph.nodes[u].get("relationshipManager")
        )

    def _acceptors_of(self, environment_id: str) -> list[str]:
        """Users who accepted an authorization request sent from ``environment_id``."""
        out = set()
        for sender in self.members(environment_id):
            for request in self.targets(sender, "SENT"):
                if self.graph.nodes[request]["status"] == RequestStatus.ACCEPTED:
                    out.update(self.targets(request, "TO"))
        return sorted(out)

    async def set_relationship_manager(
        self, *, user_id: str, enabled: bool, at: datetime
    ) -> tuple[User, tuple[str, ...]]:
        with self._lock:
            attrs = self.node(user_id, "User")
            if enabled:
                self.require_advanced(user_id)
            attrs["relationshipManager"] = enabled
            newly: list[str] = []
            if enabled:
                env, _ = self.membership(user_id)
                newly.extend(
                    acceptor
                    for acceptor in self._acceptors_of(env)
                    if acceptor != user_id
                    and self._connect(acceptor, user_id, "RELATIONSHIP_MANAGER", at)
                )
            return self.user_record(user_id), tuple(sorted(newly))

    def _connect(self, a: str, b: str, via: str, at: datetime) -> bool:
        """Store the a–b connection once (lower id first); False if it exists."""
        if a == b or self.connected(a, b):
            return False
        start, end = sorted((a, b))
        self.add_edge(start, end, "CONNECTED_WITH", since=at, via=via)
        return True

    async def connect(self, *, user_id: str, peer_id: str, via: str, at: datetime) -> bool:
        with self._lock:
            self.node(user_id, "User")
            self.node(peer_id, "User")
            env, _ = self.membership(user_id)
            peer_env, _ = self.membership(peer_id)
            if env == peer_env:
                raise problem("same_environment", user=user_id, peer=peer_id)
            if self.partnership_between(env, peer_env) is None:
                raise problem("no_partnership", user=user_id, peer=peer_id)
            return self._connect(user_id, peer_id, via, at)

    async def list_connections(
        self,
        *,
        user_id: str,
        page: PageRequest,
        within: Collection[str] | None = None,
    ) -> Page[User]:
        with self._lock:
            self.node(user_id, "User")
            peers = set(self.targets(user_id, "CONNECTED_WITH"))
            peers.update(self.sources(user_id, "CONNECTED_WITH"))
            found = [self.user_record(p) for p in sorted(peers)]
            if within is not None:
                found = [u for u in found if u.environment_id in within]
            return paginate(found, lambda u: u.id, page)

    def _should_be_connected(self) -> list[MissingConnection]:
        """Every pair the connection rules require and the graph lacks, one row per pair."""
        seen: set[frozenset[str]] = set()
        out: list[MissingConnection] = []

        def want(user: str, peer: str, rule: ConnectionRule) -> None:
            pair = frozenset((user, peer))
            if user == peer or pair in seen:
                return
            seen.add(pair)
            if not self.connected(user, peer):
                partnership = self.partnership_between(
                    self.membership(user)[0], self.membership(peer)[0]
                )
                out.append(MissingConnection(user, peer, rule, partnership))

        requests = sorted(
            r
            for r, a in self.graph.nodes.items()
            if a["label"] == "AuthorizationRequest" and a["status"] == RequestStatus.ACCEPTED
        )
        for rule in (ConnectionRule.REQUEST_SENDER, ConnectionRule.RELATIONSHIP_MANAGER):
            for request in requests:
                sender = self.sources(request, "SENT")[0]
                acceptor = self.targets(request, "TO")[0]
                peers = (
                    [sender]
                    if rule is ConnectionRule.REQUEST_SENDER
                    else self._relationship_managers(self.membership(sender)[0])
                )
                for peer in peers:
                    want(acceptor, peer, rule)
        for partnership in sorted(self._by_pair.values()):
            low, high = sorted(self.targets(partnership, "BETWEEN"))
            reps = self.sources(partnership, "REPRESENTS")
            x = [u for u in reps if self.membership(u)[0] == low]
            y = [u for u in reps if self.membership(u)[0] == high]
            if x and y:
                want(x[0], y[0], ConnectionRule.REPRESENTATIVES)
        return out

    async def missing_connections(
        self, *, environment_id: str | None, page: PageRequest
    ) -> Page[MissingConnection]:
        with self._lock:
            if environment_id is not None:
                self.node(environment_id, "Environment")
            rows = [
                m
                for m in self._should_be_connected()
                if environment_id is None
                or environment_id in {self.membership(m.user_id)[0], self.membership(m.peer_id)[0]}
            ]
            rows.sort(key=lambda m: pair_key(m.user_id, m.peer_id))
            return paginate(rows, lambda m: pair_key(m.user_id, m.peer_id), page)

    async def repair_connections(
        self, *, partnership_id: str, at: datetime
    ) -> list[MissingConnection]:
        with self._lock:
            self.node(partnership_id, "Partnership")
            repaired = [
                m for m in self._should_be_connected() if m.partnership_id == partnership_id
            ]
            for m in repaired:
                self._connect(m.user_id, m.peer_id, "REPAIR", at)
            return sorted(repaired, key=lambda m: pair_key(m.user_id, m.peer_id))
