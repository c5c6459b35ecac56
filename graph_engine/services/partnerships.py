"""Partnerships, authorization requests, connections and invitations (eVerbinding).

Invitations, authorization requests and partnership proposals wait for an answer: the
caller answers and lists each as the user they are, by the same two steps (``_answer``,
``_requests``, in :mod:`graph_engine.services.partnerships_requests`, named like the
store modules of the same shape); the store checks who may answer and does what
acceptance means.
"""

from __future__ import annotations

from typing import Protocol

from graph_engine import ids
from graph_engine.errors import Forbidden, problem
from graph_engine.model import (
    Acceptance,
    AuthorizationRequest,
    Decision,
    InSession,
    Invitation,
    MissingConnection,
    Page,
    PageRequest,
    Partnership,
    PartnershipOrigin,
    PartnershipProposal,
    Principal,
    RequestStatus,
    Role,
    User,
)
from graph_engine.services import attempts, validate, visibility
from graph_engine.services.access import (
    is_admin_of,
    reach,
    require_admin_of,
    require_operator,
    require_user,
)
from graph_engine.services.partnerships_requests import WaitingRequests
from graph_engine.store.identity import IdentityStore
from graph_engine.store.partnerships import PartnershipStore
from graph_engine.store.visibility import VisibilityStore


class PartnershipNeeds(PartnershipStore, VisibilityStore, IdentityStore, Protocol):
    """What PartnershipService asks of the store: partnerships, requests, connections and
    invitations, within the caller's reach (and the counters of wrong guesses at ids
    outside it: :func:`graph_engine.services.attempts.guessing`)."""


class PartnershipService(WaitingRequests[PartnershipNeeds]):
    # -- partnerships and authorization requests ------------------------------------
    async def create_partnership(
        self, caller: Principal, partner_user_id: str, user_id: str
    ) -> Partnership:
        """Partner two users' environments at once: operators only.

        Everyone else proposes (:meth:`propose_partnership`) and the other side
        consents: a tie between tenants never comes into being by one side alone.
        """
        if not caller.is_operator:
            raise Forbidden(
                "a partnership needs the other side's consent: propose it instead",
                suggestion="Use proposePartnership(partnerUserId); the partner accepts it.",
            )
        await reach(self.store, caller, [("User", user_id), ("User", partner_user_id)])
        found = await self.store.create_partnership(
            partnership_id=ids.new_id("Partnership"),
            user_id=user_id,
            partner_user_id=partner_user_id,
            origin=PartnershipOrigin.MANUAL,
            at=self.now(),
        )
        caller.scope.forget()
        return found

    async def propose_partnership(
        self,
        caller: Principal,
        partner_user_id: str,
        user_id: str | None = None,
        *,
        client: str | None = None,
    ) -> PartnershipProposal:
        """Propose partnering the environment of ``user_id`` (default: the caller) with the
        partner user's; the partner (or an ADMIN there) accepts or declines.

        A user proposes for themself, or as ADMIN for a user of their environment.
        The partner is named by id, and the answer repeats only that id: what the
        partner is called, or whether they may accept, shows once they do.
        """
        if user_id is None:
            user_id = require_user(caller).id
        found = await reach(self.store, caller, [("User", user_id)])
        if not (caller.id == user_id or is_admin_of(caller, found[user_id].environment_id)):
            raise Forbidden("you may propose a partnership for yourself or, as ADMIN, your users")
        now = self.now()
        async with attempts.guessing(self.store, self._guesses(caller, client), now):
            proposal = await self.store.propose_partnership(
                proposal_id=ids.new_id("PartnershipProposal"),
                proposer_id=user_id,
                recipient_id=partner_user_id,
                at=now,
            )
        await self.notify.partnership_proposed(proposal)
        return proposal

    async def answer_partnership_proposal(
        self, caller: Principal, proposal_id: str, *, accept: bool
    ) -> PartnershipProposal:
        """Accept or decline a proposal, as the chosen user or an ADMIN of their environment."""
        return await self._answer(
            caller,
            lambda user_id, at: self.store.answer_partnership_proposal(
                proposal_id=proposal_id,
                user_id=user_id,
                accept=accept,
                partnership_id=ids.new_id("Partnership"),
                at=at,
            ),
            widens_reach=True,
        )

    async def partnership_proposals(
        self,
        caller: Principal,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[PartnershipProposal]:
        return await self._requests(
            caller,
            lambda user_id: self.store.list_partnership_proposals(
                user_id=user_id, incoming=incoming, status=status, page=page
            ),
        )

    async def partnership(self, caller: Principal, partnership_id: str) -> Partnership:
        """A partnership whose two sides the caller both reaches (else NOT_FOUND)."""
        await reach(self.store, caller, [("Partnership", partnership_id)])
        found = await self.store.get_partnership(partnership_id=partnership_id)
        if found is None:
            raise problem("not_found", label="Partnership", id=partnership_id)
        return found

    async def partnerships(
        self, caller: Principal, environment_id: str, page: PageRequest
    ) -> Page[Partnership]:
        """An environment's partnerships with environments the caller reaches as well."""
        await reach(self.store, caller, [("Environment", environment_id)])
        scope = await visibility.reach_of(self.store, caller)
        return await self.store.list_partnerships(
            environment_id=environment_id, page=page, within=scope.environments
        )

    async def send_authorization_request(
        self,
        caller: Principal,
        recipient_id: str,
        organisation_id: str,
        software: str,
        *,
        client: str | None = None,
    ) -> AuthorizationRequest:
        """Ask a user of another environment to activate one of its organisations.

        The recipient's side is outside the sender's reach until they accept: every
        way the pair (recipient, organisation) can be wrong is one NOT_FOUND that
        repeats the two ids, and the request shows nothing else of them.
        """
        sender = require_user(caller)
        text = validate.text(software, "software")
        now = self.now()
        async with attempts.guessing(self.store, self._guesses(caller, client), now):
            request = await self.store.send_authorization_request(
                request_id=ids.new_id("AuthorizationRequest"),
                sender_id=sender.id,
                recipient_id=recipient_id,
                organisation_id=organisation_id,
                software=text,
                at=now,
            )
        await self.notify.authorization_requested(request)
        return request

    @staticmethod
    def _guesses(caller: Principal, client: str | None) -> dict[str, int]:
        """The counters a wrong id outside the caller's reach spends on: the caller's, their
        environment's and their network address's (a tenant made by signing up anew does
        not start afresh from the same place; :func:`graph_engine.services.attempts.guessing`)."""
        return attempts.counters(
            "guess", user=caller.id, environment=caller.environment_id, client=client
        )

    async def accept_authorization_request(self, caller: Principal, request_id: str) -> Acceptance:
        return await self._answer(
            caller,
            lambda user_id, at: self.store.accept_authorization_request(
                request_id=request_id,
                user_id=user_id,
                partnership_id=ids.new_id("Partnership"),
                at=at,
            ),
            widens_reach=True,
        )

    async def decline_authorization_request(
        self, caller: Principal, request_id: str
    ) -> AuthorizationRequest:
        return await self._answer(
            caller,
            lambda user_id, at: self.store.decline_authorization_request(
                request_id=request_id, user_id=user_id, at=at
            ),
            widens_reach=False,
        )

    async def authorization_requests(
        self,
        caller: Principal,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[AuthorizationRequest]:
        return await self._requests(
            caller,
            lambda user_id: self.store.list_authorization_requests(
                user_id=user_id, incoming=incoming, status=status, page=page
            ),
        )

    # -- relationship managers and connections ------------------------------------
    async def set_relationship_manager(
        self, caller: Principal, user_id: str, enabled: bool
    ) -> tuple[User, tuple[str, ...]]:
        found = await reach(self.store, caller, [("User", user_id)])
        require_admin_of(caller, found[user_id].environment_id)
        return await self.store.set_relationship_manager(
            user_id=user_id, enabled=enabled, at=self.now()
        )

    async def connect(self, caller: Principal, user_id: str, peer_id: str) -> bool:
        """Connect two users (one may be the caller; an ADMIN of either side or an operator)."""
        found = await reach(self.store, caller, [("User", user_id), ("User", peer_id)])
        allowed = caller.id in {user_id, peer_id} or any(
            is_admin_of(caller, found[u].environment_id) for u in (user_id, peer_id)
        )
        if not allowed:
            raise Forbidden("you may connect yourself, or as ADMIN users of your environment")
        return await self.store.connect(
            user_id=user_id, peer_id=peer_id, via="MANUAL", at=self.now()
        )

    async def connections(
        self, caller: Principal, user_id: str | None, page: PageRequest
    ) -> Page[User]:
        if user_id is None:
            user_id = require_user(caller).id
        await reach(self.store, caller, [("User", user_id)])
        scope = await visibility.reach_of(self.store, caller)
        return await self.store.list_connections(
            user_id=user_id, page=page, within=scope.environments
        )

    async def missing_connections(
        self, caller: Principal, environment_id: str | None, page: PageRequest
    ) -> Page[MissingConnection]:
        if environment_id is None:
            require_operator(caller)
        else:
            await reach(self.store, caller, [("Environment", environment_id)])
            require_admin_of(caller, environment_id)
        return await self.store.missing_connections(environment_id=environment_id, page=page)

    async def repair_connections(
        self, caller: Principal, partnership_id: str
    ) -> list[MissingConnection]:
        partnership = await self.partnership(caller, partnership_id)
        if not any(is_admin_of(caller, e) for e in partnership.environment_ids):
            raise Forbidden(
                "only an ADMIN of one of the two environments or an operator may repair"
            )
        return await self.store.repair_connections(partnership_id=partnership_id, at=self.now())

    # -- invitations --------------------------------------------------------------
    async def can_invite(
        self,
        caller: Principal,
        invitee_id: str,
        organisation_id: str,
        inviter_id: str | None = None,
    ) -> Decision:
        """May ``inviter`` (default: the caller) invite the invitee to the organisation?

        Asking for another inviter is for ADMINs of that inviter's environment and
        operators.
        """
        if inviter_id is None or inviter_id == caller.id:
            # The common case: one store round trip checks reach and decides.
            return await self.store.can_invite(
                inviter_id=require_user(caller).id,
                invitee_id=invitee_id,
                organisation_id=organisation_id,
                viewer_id=caller.id,
            )
        wanted = [("User", invitee_id), ("Organisation", organisation_id), ("User", inviter_id)]
        found = await reach(self.store, caller, wanted)
        if not is_admin_of(caller, found[inviter_id].environment_id):
            raise Forbidden("only ADMINs and operators may ask on behalf of another inviter")
        return await self.store.can_invite(
            inviter_id=inviter_id, invitee_id=invitee_id, organisation_id=organisation_id
        )

    async def can_invite_in_session(
        self, token_hash: str, invitee_id: str, organisation_id: str
    ) -> InSession[Decision] | None:
        """:meth:`can_invite` for the holder of a session, asked with its token's hash: the
        session and the decision in one store round trip (see
        ``IdentityService.authenticate_with``, which admits the session first)."""
        return await self.store.can_invite_in_session(
            token_hash=token_hash, invitee_id=invitee_id, organisation_id=organisation_id
        )

    async def invite(
        self, caller: Principal, invitee_id: str, organisation_id: str, role: Role
    ) -> Invitation:
        inviter = require_user(caller)
        await reach(self.store, caller, [("User", invitee_id), ("Organisation", organisation_id)])
        invitation = await self.store.invite(
            invitation_id=ids.new_id("Invitation"),
            inviter_id=inviter.id,
            invitee_id=invitee_id,
            organisation_id=organisation_id,
            role=validate.access_role(role),
            at=self.now(),
        )
        if invitation.status is RequestStatus.PENDING:
            await self.notify.invited(invitation)
        return invitation

    async def accept_invitation(self, caller: Principal, invitation_id: str) -> Invitation:
        return await self._answer(
            caller,
            lambda user_id, at: self.store.accept_invitation(
                invitation_id=invitation_id, user_id=user_id, at=at
            ),
            widens_reach=True,
        )

    async def decline_invitation(self, caller: Principal, invitation_id: str) -> Invitation:
        return await self._answer(
            caller,
            lambda user_id, at: self.store.decline_invitation(
                invitation_id=invitation_id, user_id=user_id, at=at
            ),
            widens_reach=False,
        )

    async def invitations(
        self,
        caller: Principal,
        incoming: bool,
        status: RequestStatus | None,
        page: PageRequest,
    ) -> Page[Invitation]:
        return await self._requests(
            caller,
            lambda user_id: self.store.list_invitations(
                user_id=user_id, incoming=incoming, status=status, page=page
            ),
        )

    async def invite_candidates(
        self,
        caller: Principal,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
    ) -> Page[User]:
        inviter = require_user(caller)
        return await self.store.invite_candidates(
            inviter_id=inviter.id,
            organisation_id=organisation_id,
            search=validate.search(search),
            page=page,
            viewer_id=caller.id,
        )

    async def invite_candidates_in_session(
        self,
        token_hash: str,
        organisation_id: str,
        search: str | None,
        page: PageRequest,
    ) -> InSession[Page[User]] | None:
        """:meth:`invite_candidates` for the holder of a session, in one round trip (see
        :meth:`can_invite_in_session`)."""
        return await self.store.invite_candidates_in_session(
            token_hash=token_hash,
            organisation_id=organisation_id,
            search=validate.search(search),
            page=page,
        )
