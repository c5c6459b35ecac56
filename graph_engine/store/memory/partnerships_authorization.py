"""Authorization requests in memory (DESIGN §3.1): A asks B to activate B's organisation.

An authorization request is a request that waits for an answer
(``partnerships_requests.py``); what is its own is what acceptance does: the
organisation is activated for the software, the two environments are partnered (if
they were not), and B is connected with A and every relationship manager of A's
environment, every time, so acceptance repairs what an earlier one left out.
"""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import (
    Acceptance,
    AuthorizationRequest,
    Page,
    PageRequest,
    PartnershipOrigin,
    RequestStatus,
)
from graph_engine.store import quota
from graph_engine.store.memory.partnerships import PartnershipOps
from graph_engine.store.memory.partnerships_requests import AUTHORIZATION_REQUEST, RequestOps
from graph_engine.store.pagination import paginate


class AuthorizationOps(PartnershipOps, RequestOps):
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

    async def accept_authorization_request(
        self, *, request_id: str, user_id: str, partnership_id: str, at: datetime
    ) -> Acceptance:
        with self._lock:
            self._answerable(AUTHORIZATION_REQUEST, request_id, user_id, RequestStatus.ACCEPTED)
            self.require_usable(user_id)
            # Acceptance may create a partnership: ADVANCED_USER or ADMIN only.
            self.require_advanced(user_id)
            attrs = self.graph.nodes[request_id]
            sender = self.sender_of(AUTHORIZATION_REQUEST, request_id)
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
                self._decide(request_id, RequestStatus.ACCEPTED, at)
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
            self._decline(AUTHORIZATION_REQUEST, request_id, user_id, at)
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
            found = [
                self.request_record(r)
                for r in self._requests(
                    AUTHORIZATION_REQUEST, user_id, incoming=incoming, status=status
                )
            ]
            return paginate(found, lambda r: r.id, page)
