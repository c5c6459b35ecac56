"""Invite eligibility, invitations and invite candidates in memory.

An invitation is a request that waits for an answer (``partnerships_requests.py``);
what is its own is who may be invited, and that acceptance grants access.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph_engine.errors import problem
from graph_engine.model import (
    ADVANCED_ROLES,
    Decision,
    DecisionCode,
    Invitation,
    Page,
    PageRequest,
    RequestStatus,
    Role,
    User,
)
from graph_engine.store import decisions
from graph_engine.store.memory.partnerships_requests import INVITATION, RequestOps
from graph_engine.store.memory.provisioning import matches
from graph_engine.store.pagination import paginate

Facts = list[dict[str, Any]]


class InvitationOps(RequestOps):
    def _node_fact(self, node_id: str) -> dict[str, Any]:
        attrs = self.graph.nodes[node_id]
        return {"id": node_id, "label": attrs["label"], "name": attrs.get("name")}

    def _rel_fact(self, start: str, end: str, rel_type: str) -> dict[str, Any] | None:
        data = self.edge(start, end, rel_type)
        if data is None:
            return None
        return {"type": rel_type, "start": start, "end": end, "role": data.get("role")}

    def evaluate(self, inviter: str, invitee: str, organisation: str) -> Decision:  # noqa: C901, PLR0911, PLR0912 - §3.1 reads as one ordered list of checks
        """DESIGN §3.1 invite eligibility, checks in order, with the facts that decided.

        The facts grow with each stage reached: the inviter's standing (stage 1),
        the invitee's (stage 2), then partnership and connection (stage 3).
        """
        self.node(inviter, "User")
        self.node(invitee, "User")
        self.node(organisation, "Organisation")
        org_env = self.env_of_org(organisation)
        inviter_env, inviter_role = self.membership(inviter)
        invitee_env, invitee_role = self.membership(invitee)
        nodes: Facts = [self._node_fact(n) for n in (inviter, inviter_env, organisation, org_env)]
        rels: list[dict[str, Any] | None] = [
            self._rel_fact(inviter, inviter_env, "MEMBER_OF"),
            self._rel_fact(organisation, org_env, "BELONGS_TO"),
            self._rel_fact(inviter, organisation, "HAS_ACCESS"),
        ]

        def decide(code: DecisionCode) -> Decision:
            facts = [r for r in rels if r is not None]
            return decisions.decision(
                code,
                nodes,
                facts,
                inviter_id=inviter,
                invitee_id=invitee,
                organisation_id=organisation,
            )

        if inviter == invitee:
            return decide(DecisionCode.SELF_INVITE)
        attrs = self.graph.nodes[inviter]
        if not attrs.get("active", True):
            return decide(DecisionCode.INVITER_INACTIVE)
        if attrs.get("loginBlocked", False):
            return decide(DecisionCode.INVITER_LOGIN_BLOCKED)
        manages = (inviter_env == org_env and inviter_role is Role.ADMIN) or (
            self.access_role(inviter, organisation) in ADVANCED_ROLES
        )
        if not manages:
            return decide(DecisionCode.INVITER_NOT_AUTHORISED)

        nodes += [self._node_fact(invitee), self._node_fact(invitee_env)]
        rels += [
            self._rel_fact(invitee, invitee_env, "MEMBER_OF"),
            self._rel_fact(invitee, organisation, "HAS_ACCESS"),
        ]
        attrs = self.graph.nodes[invitee]
        if not attrs.get("active", True):
            return decide(DecisionCode.INVITEE_INACTIVE)
        if attrs.get("loginBlocked", False):
            return decide(DecisionCode.INVITEE_LOGIN_BLOCKED)
        if self.access_role(invitee, organisation) is not None:
            return decide(DecisionCode.ALREADY_HAS_ACCESS)
        if invitee_env == org_env:
            return decide(DecisionCode.SAME_ENVIRONMENT)

        partnership = self.partnership_between(invitee_env, org_env)
        if partnership is not None:
            nodes.append(self._node_fact(partnership))
            rels += [self._rel_fact(partnership, e, "BETWEEN") for e in (invitee_env, org_env)]
        link = self.connection_edge(inviter, invitee)
        if link is not None:
            rels.append(self._rel_fact(*link, "CONNECTED_WITH"))
        if partnership is None:
            return decide(DecisionCode.NO_PARTNERSHIP)
        if invitee_role not in ADVANCED_ROLES:
            return decide(DecisionCode.INVITEE_ROLE_TOO_LOW)
        if link is None:
            return decide(DecisionCode.NOT_CONNECTED)
        return decide(DecisionCode.PARTNER_CONNECTED)

    async def can_invite(
        self,
        *,
        inviter_id: str,
        invitee_id: str,
        organisation_id: str,
        viewer_id: str | None = None,
    ) -> Decision:
        with self._lock:
            return self.decision_for(inviter_id, invitee_id, organisation_id, viewer_id)

    def decision_for(
        self, inviter_id: str, invitee_id: str, organisation_id: str, viewer_id: str | None
    ) -> Decision:
        """:meth:`can_invite`'s answer; the caller holds the lock."""
        if viewer_id is not None:
            # The gate's rule (services.visibility), folded in as can_invite.cypher does:
            # outside the viewer's reach is the same NOT_FOUND as an unknown id.
            self.node(inviter_id, "User")
            found = {loc.id: loc for loc in self.locations([invitee_id, organisation_id])}
            for label, node_id in (("User", invitee_id), ("Organisation", organisation_id)):
                loc = found.get(node_id)
                if (
                    loc is None
                    or loc.label != label
                    or not self.reaches(viewer_id, loc.environment_id)
                ):
                    raise problem("not_found", label=label, id=node_id)
        return self.evaluate(inviter_id, invitee_id, organisation_id)

    async def invite(
        self,
        *,
        invitation_id: str,
        inviter_id: str,
        invitee_id: str,
        organisation_id: str,
        role: Role,
        at: datetime,
    ) -> Invitation:
        with self._lock:
            decision = self.evaluate(inviter_id, invitee_id, organisation_id)
            if not decision.allowed:
                raise decisions.not_eligible(decision)
            for pending in self.sources(invitee_id, "TO"):
                if (
                    self.has(pending, "Invitation")
                    and self.graph.nodes[pending]["status"] == RequestStatus.PENDING
                    and organisation_id in self.targets(pending, "FOR")
                ):
                    raise problem(
                        "invitation_pending",
                        user=invitee_id,
                        invitation=pending,
                        organisation=organisation_id,
                    )
            at_once = decision.code is DecisionCode.SAME_ENVIRONMENT
            self.add_node(
                "Invitation",
                invitation_id,
                status=str(RequestStatus.ACCEPTED if at_once else RequestStatus.PENDING),
                role=str(role),
                createdAt=at,
                decidedAt=at if at_once else None,
            )
            self.add_edge(inviter_id, invitation_id, "INVITED")
            self.add_edge(invitation_id, invitee_id, "TO")
            self.add_edge(invitation_id, organisation_id, "FOR")
            if at_once:
                self.add_edge(invitee_id, organisation_id, "HAS_ACCESS", role=str(role))
            return self.invitation_record(invitation_id)

    async def accept_invitation(
        self, *, invitation_id: str, user_id: str, at: datetime
    ) -> Invitation:
        with self._lock:
            status = self._answerable(INVITATION, invitation_id, user_id, RequestStatus.ACCEPTED)
            if status == RequestStatus.PENDING:
                # What acceptance does: the invitee gets access with the invited role.
                self.require_usable(user_id)
                attrs = self.graph.nodes[invitation_id]
                organisation = self.targets(invitation_id, "FOR")[0]
                if self.edge(user_id, organisation, "HAS_ACCESS") is None:
                    self.add_edge(user_id, organisation, "HAS_ACCESS", role=attrs["role"])
                self._decide(invitation_id, RequestStatus.ACCEPTED, at)
            return self.invitation_record(invitation_id)

    async def decline_invitation(
        self, *, invitation_id: str, user_id: str, at: datetime
    ) -> Invitation:
        with self._lock:
            self._decline(INVITATION, invitation_id, user_id, at)
            return self.invitation_record(invitation_id)

    async def get_invitation(self, *, invitation_id: str) -> Invitation | None:
        with self._lock:
            if not self.has(invitation_id, "Invitation"):
                return None
            return self.invitation_record(invitation_id)

    async def list_invitations(
        self,
        *,
        user_id: str,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[Invitation]:
        with self._lock:
            found = [
                self.invitation_record(i)
                for i in self._requests(INVITATION, user_id, incoming=incoming, status=status)
            ]
            return paginate(found, lambda i: i.id, page)

    async def invite_candidates(
        self,
        *,
        inviter_id: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
        viewer_id: str | None = None,
    ) -> Page[User]:
        with self._lock:
            return self.candidates_for(inviter_id, organisation_id, search, page, viewer_id)

    def candidates_for(
        self,
        inviter_id: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
        viewer_id: str | None,
    ) -> Page[User]:
        """:meth:`invite_candidates`'s answer; the caller holds the lock."""
        self.node(inviter_id, "User")
        self.node(organisation_id, "Organisation")
        org_env = self.env_of_org(organisation_id)
        # The gate's rule, folded in as invite_candidates.cypher does: an organisation
        # out of the viewer's reach is unknown, and so are users out of it.
        if viewer_id is not None and not self.reaches(viewer_id, org_env):
            raise problem("not_found", label="Organisation", id=organisation_id)
        inviter_env, inviter_role = self.membership(inviter_id)
        manages = (inviter_env == org_env and inviter_role is Role.ADMIN) or (
            self.access_role(inviter_id, organisation_id) in ADVANCED_ROLES
        )
        if not self.is_usable(inviter_id) or not manages:
            return paginate([], lambda u: u.id, page)
        pool = set(self.members(org_env))
        for env in self.partner_envs(org_env):
            pool.update(
                u
                for u in self.members(env)
                if self.membership(u)[1] in ADVANCED_ROLES and self.connected(inviter_id, u)
            )
        found = [
            self.user_record(u)
            for u in sorted(pool)
            if u != inviter_id
            and self.is_usable(u)
            and self.access_role(u, organisation_id) is None
            and (viewer_id is None or self.reaches(viewer_id, self.membership(u)[0]))
        ]
        if search:
            found = [u for u in found if matches(u, search)]
        return paginate(found, lambda u: u.id, page)
