"""Partnerships, authorization requests, connections and invitations (eVerbinding)."""

from __future__ import annotations

from graph_engine import ids
from graph_engine.errors import Forbidden, problem
from graph_engine.model import (
    Acceptance,
    AuthorizationRequest,
    Decision,
    Invitation,
    MissingConnection,
    Page,
    Partnership,
    PartnershipOrigin,
    Principal,
    RequestStatus,
    Role,
    User,
)
from graph_engine.services import validate
from graph_engine.services.access import (
    is_admin_of,
    reach,
    require_admin_of,
    require_operator,
    require_user,
)
from graph_engine.services.base import Service


class PartnershipService(Service):
    # -- partnerships and authorization requests ------------------------------------
    async def create_partnership(
        self, caller: Principal, partner_user_id: str, user_id: str | None = None
    ) -> Partnership:
        """Partner the environment of ``user_id`` (default: the caller) with the partner's.

        An operator names both users; a user acts for themself, or as ADMIN for a
        user of their own environment.
        """
        if user_id is None:
            user_id = require_user(caller).id
        found = await reach(self.store, caller, [("User", user_id)])
        if not (caller.id == user_id or is_admin_of(caller, found[user_id].environment_id)):
            raise Forbidden("you may create a partnership for yourself or, as ADMIN, your users")
        return await self.store.create_partnership(
            partnership_id=ids.new_id("Partnership"),
            user_id=user_id,
            partner_user_id=partner_user_id,
            origin=PartnershipOrigin.MANUAL,
            at=self.now(),
        )

    async def partnership(self, caller: Principal, partnership_id: str) -> Partnership:
        found = await self.store.get_partnership(partnership_id=partnership_id)
        if found is None:
            raise problem("not_found", label="Partnership", id=partnership_id)
        await self._reach_any(caller, found.environment_ids)
        return found

    async def _reach_any(self, caller: Principal, environment_ids: tuple[str, ...]) -> None:
        """A partnership is visible to whoever reaches one of its environments."""
        last: Exception | None = None
        for env in environment_ids:
            try:
                await reach(self.store, caller, [("Environment", env)])
            except Forbidden as exc:
                last = exc
            else:
                return
        assert last is not None  # noqa: S101 - a partnership has two environments
        raise last

    async def partnerships(
        self, caller: Principal, environment_id: str, first: int, after: str | None
    ) -> Page[Partnership]:
        await reach(self.store, caller, [("Environment", environment_id)])
        return await self.store.list_partnerships(
            environment_id=environment_id, first=first, after=after
        )

    async def send_authorization_request(
        self, caller: Principal, recipient_id: str, organisation_id: str, software: str
    ) -> AuthorizationRequest:
        sender = require_user(caller)
        return await self.store.send_authorization_request(
            request_id=ids.new_id("AuthorizationRequest"),
            sender_id=sender.id,
            recipient_id=recipient_id,
            organisation_id=organisation_id,
            software=validate.text(software, "software"),
            at=self.now(),
        )

    async def accept_authorization_request(self, caller: Principal, request_id: str) -> Acceptance:
        user = require_user(caller)
        return await self.store.accept_authorization_request(
            request_id=request_id,
            user_id=user.id,
            partnership_id=ids.new_id("Partnership"),
            at=self.now(),
        )

    async def decline_authorization_request(
        self, caller: Principal, request_id: str
    ) -> AuthorizationRequest:
        user = require_user(caller)
        return await self.store.decline_authorization_request(
            request_id=request_id, user_id=user.id, at=self.now()
        )

    async def authorization_requests(
        self,
        caller: Principal,
        incoming: bool,
        status: RequestStatus | None,
        first: int,
        after: str | None,
    ) -> Page[AuthorizationRequest]:
        user = require_user(caller)
        return await self.store.list_authorization_requests(
            user_id=user.id, incoming=incoming, status=status, first=first, after=after
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
        self, caller: Principal, user_id: str | None, first: int, after: str | None
    ) -> Page[User]:
        if user_id is None:
            user_id = require_user(caller).id
        await reach(self.store, caller, [("User", user_id)])
        return await self.store.list_connections(user_id=user_id, first=first, after=after)

    async def missing_connections(
        self, caller: Principal, environment_id: str | None, first: int, after: str | None
    ) -> Page[MissingConnection]:
        if environment_id is None:
            require_operator(caller)
        else:
            await reach(self.store, caller, [("Environment", environment_id)])
            require_admin_of(caller, environment_id)
        return await self.store.missing_connections(
            environment_id=environment_id, first=first, after=after
        )

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

    async def invite(
        self, caller: Principal, invitee_id: str, organisation_id: str, role: Role
    ) -> Invitation:
        inviter = require_user(caller)
        await reach(self.store, caller, [("User", invitee_id), ("Organisation", organisation_id)])
        return await self.store.invite(
            invitation_id=ids.new_id("Invitation"),
            inviter_id=inviter.id,
            invitee_id=invitee_id,
            organisation_id=organisation_id,
            role=validate.access_role(role),
            at=self.now(),
        )

    async def accept_invitation(self, caller: Principal, invitation_id: str) -> Invitation:
        user = require_user(caller)
        return await self.store.accept_invitation(
            invitation_id=invitation_id, user_id=user.id, at=self.now()
        )

    async def decline_invitation(self, caller: Principal, invitation_id: str) -> Invitation:
        user = require_user(caller)
        return await self.store.decline_invitation(
            invitation_id=invitation_id, user_id=user.id, at=self.now()
        )

    async def invitations(
        self,
        caller: Principal,
        incoming: bool,
        status: RequestStatus | None,
        first: int,
        after: str | None,
    ) -> Page[Invitation]:
        user = require_user(caller)
        return await self.store.list_invitations(
            user_id=user.id, incoming=incoming, status=status, first=first, after=after
        )

    async def invite_candidates(
        self,
        caller: Principal,
        organisation_id: str,
        search: str | None,
        first: int,
        after: str | None,
    ) -> Page[User]:
        inviter = require_user(caller)
        await reach(self.store, caller, [("Organisation", organisation_id)])
        return await self.store.invite_candidates(
            inviter_id=inviter.id,
            organisation_id=organisation_id,
            search=validate.search(search),
            first=first,
            after=after,
        )
