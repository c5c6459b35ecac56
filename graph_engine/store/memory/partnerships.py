"""Partnerships, authorization requests and connections in memory."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import (
    Acceptance,
    AuthorizationRequest,
    ConnectionRule,
    MissingConnection,
    Page,
    PageRequest,
    Partnership,
    PartnershipOrigin,
    RequestStatus,
    User,
)
from graph_engine.store import quota
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

    # -- authorization requests ----------------------------------------------------
    async def send_authorization_request(
        self,
        *,
        request_id: str,
        sender_id: str,
        recipient_id: str,
        organisation_id: str,
        software: str,
        at: datetime,
    ) -> AuthorizationRequest:
        with self._lock:
            # See send_authorization_request.cypher: the recipient's side is one answer.
            self.node(sender_id, "User")
            sender_env, _ = self.membership(sender_id)
            self.require_advanced(sender_id)
            self.require_usable(sender_id)
            unknown = problem(
                "unknown_recipient", recipient=recipient_id, organisation=organisation_id
            )
            if not (self.has(recipient_id, "User") and self.has(organisation_id, "Organisation")):
                raise unknown
            recipient_env, _ = self.membership(recipient_id)
            if self.env_of_org(organisation_id) != recipient_env:
                raise unknown
            if sender_env == recipient_env:
                raise problem("same_environment", user=sender_id, peer=recipient_id)
            if not self.is_usable(recipient_id):
                raise unknown
            self._check_send_quota(sender_id, recipient_id, organisation_id, at)
            self.add_node(
                "AuthorizationRequest",
                request_id,
                status=str(RequestStatus.PENDING),
                software=software,
                createdAt=at,
                decidedAt=None,
            )
            self.add_edge(sender_id, request_id, "SENT")
            self.add_edge(request_id, recipient_id, "TO")
            self.add_edge(request_id, organisation_id, "FOR")
            return self.request_record(request_id)

    def _check_send_quota(
        self, sender_id: str, recipient_id: str, organisation_id: str, at: datetime
    ) -> None:
        """The two limits of :mod:`graph_engine.store.quota` (under the store's lock)."""
        sent = self.targets(sender_id, "SENT")
        for request_id in sent:
            attrs = self.graph.nodes[request_id]
            if (
                attrs["status"] == RequestStatus.PENDING
                and self.targets(request_id, "TO")[0] == recipient_id
                and self.targets(request_id, "FOR")[0] == organisation_id
            ):
                raise problem("request_pending", request=request_id)
        wait = quota.retry_after((self.graph.nodes[r]["createdAt"] for r in sent), at)
        if wait is not None:
            raise problem("send_quota", limit=quota.SEND_LIMIT, retryAfter=wait)

    def _answerable_request(self, request_id: str, user_id: str, answer: RequestStatus) -> str:
        """Check that ``user_id`` may give ``answer``; return the current status."""
        attrs = self.node(request_id, "AuthorizationRequest")
        recipient = self.targets(request_id, "TO")[0]
        if user_id not in (recipient, *self.sources(request_id, "SENT")):
            raise problem("not_found", label="AuthorizationRequest", id=request_id)
        if recipient != user_id:
            raise problem(
                "not_recipient", recipient=recipient, label="AuthorizationRequest", id=request_id
            )
        status = str(attrs["status"])
        if status not in {RequestStatus.PENDING, answer}:
            raise problem(
                "already_decided", label="AuthorizationRequest", id=request_id, status=status
            )
        return status

    async def accept_authorization_request(
        self, *, request_id: str, user_id: str, partnership_id: str, at: datetime
    ) -> Acceptance:
        with self._lock:
            self._answerable_request(request_id, user_id, RequestStatus.ACCEPTED)
            self.require_usable(user_id)
            # Acceptance may create a partnership: ADVANCED_USER or ADMIN only.
            self.require_advanced(user_id)
            attrs = self.graph.nodes[request_id]
            sender = self.sources(request_id, "SENT")[0]
            organisation = self.targets(request_id, "FOR")[0]
            sender_env, _ = self.membership(sender)
            own_env, _ = self.membership(user_id)
            # All effects run every time: acceptance repairs what an earlier,
            # partial acceptance (or legacy data) left out.
            org = self.graph.nodes[organisation]
            software = list(org.get("activatedSoftware") or [])
            if attrs["software"] not in software:
                org["activatedSoftware"] = [*software, attrs["software"]]
            partnership = self.partnership_between(sender_env, own_env)
            created = partnership is None
            if partnership is None:
                partnership = partnership_id
                self._new_partnership(
                    partnership, sender_env, own_env, PartnershipOrigin.AUTHORIZATION, at
                )
                self.add_edge(sender, partnership, "REPRESENTS")
                self.add_edge(user_id, partnership, "REPRESENTS")
                self._index_partnership(partnership)
            newly: list[str] = []
            if self._connect(user_id, sender, "AUTHORIZATION", at):
                newly.append(sender)
            newly.extend(
                manager
                for manager in self._relationship_managers(sender_env)
                if self._connect(user_id, manager, "AUTHORIZATION", at)
            )
            if attrs["status"] != RequestStatus.ACCEPTED:
                attrs["status"] = str(RequestStatus.ACCEPTED)
                attrs["decidedAt"] = at
            return Acceptance(
                request=self.request_record(request_id),
                partnership=self.partnership_record(partnership),
                partnership_created=created,
                connected_user_ids=tuple(sorted(newly)),
            )

    async def decline_authorization_request(
        self, *, request_id: str, user_id: str, at: datetime
    ) -> AuthorizationRequest:
        with self._lock:
            status = self._answerable_request(request_id, user_id, RequestStatus.DECLINED)
            if status == RequestStatus.PENDING:
                attrs = self.graph.nodes[request_id]
                attrs["status"] = str(RequestStatus.DECLINED)
                attrs["decidedAt"] = at
            return self.request_record(request_id)

    async def get_authorization_request(self, *, request_id: str) -> AuthorizationRequest | None:
        with self._lock:
            if not self.has(request_id, "AuthorizationRequest"):
                return None
            return self.request_record(request_id)

    async def list_authorization_requests(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[AuthorizationRequest]:
        with self._lock:
            self.node(user_id, "User")
            ids = self.sources(user_id, "TO") if incoming else self.targets(user_id, "SENT")
            found = [
                self.request_record(r)
                for r in sorted(ids)
                if self.has(r, "AuthorizationRequest")
                and (status is None or self.graph.nodes[r]["status"] == status)
            ]
            return paginate(found, lambda r: r.id, page)

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
