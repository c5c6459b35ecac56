"""The messages the engine mails, composed in one place and sent through one mailer.

Each message goes to the person it concerns and tells them only what the sender
chose to show them (who is asking, about which organisation of their own), with
the id to answer by. Nothing here raises: a message that cannot be composed or
sent is logged (:mod:`graph_engine.services.mail`).
"""

from __future__ import annotations

import logging
from datetime import datetime

from graph_engine.model import AuthorizationRequest, Invitation, PartnershipProposal, User
from graph_engine.services.mail import Mail, Mailer
from graph_engine.store.base import GraphStore

log = logging.getLogger("graph_engine.mail")


class Notifier:
    def __init__(self, store: GraphStore, mailer: Mailer) -> None:
        self.store = store
        self.mailer = mailer

    async def _users(self, *user_ids: str) -> dict[str, User]:
        return {u.id: u for u in await self.store.get_users(ids=list(user_ids))}

    async def _environment_name(self, environment_id: str) -> str:
        found = await self.store.get_environments(ids=[environment_id])
        return found[0].name if found else environment_id

    async def partnership_proposed(self, proposal: PartnershipProposal) -> None:
        users = await self._users(proposal.proposer_id, proposal.recipient_id)
        proposer, recipient = users.get(proposal.proposer_id), users.get(proposal.recipient_id)
        if proposer is None or recipient is None:
            return
        env = await self._environment_name(proposer.environment_id)
        await self.mailer.send(
            Mail(
                to=recipient.email,
                subject=f"{proposer.name} ({env}) proposes a partnership",
                body=(
                    f"{proposer.name} <{proposer.email}> of {env} proposes a partnership between"
                    f" their environment and yours, with you as its contact.\n\n"
                    f"Proposal: {proposal.id}\n"
                    "Accept it with acceptPartnershipProposal or decline it with"
                    " declinePartnershipProposal; nothing is shared until it is accepted.\n"
                ),
            )
        )

    async def authorization_requested(self, request: AuthorizationRequest) -> None:
        users = await self._users(request.sender_id, request.recipient_id)
        sender, recipient = users.get(request.sender_id), users.get(request.recipient_id)
        found = await self.store.get_organisations(ids=[request.organisation_id])
        if sender is None or recipient is None or not found:
            return
        env = await self._environment_name(sender.environment_id)
        await self.mailer.send(
            Mail(
                to=recipient.email,
                subject=f"{sender.name} ({env}) asks to activate {found[0].name}",
                body=(
                    f"{sender.name} <{sender.email}> of {env} asks you to activate the"
                    f" organisation {found[0].name} with a software link.\n\n"
                    # The sender's own words: marked as such, on a line of their own.
                    "The software, as the sender wrote it (not checked by us):"
                    f' "{request.software}"\n\n'
                    f"Authorization request: {request.id}\n"
                    "Accept it with acceptAuthorizationRequest or decline it with"
                    " declineAuthorizationRequest.\n"
                ),
            )
        )

    async def invited(self, invitation: Invitation) -> None:
        users = await self._users(invitation.inviter_id, invitation.invitee_id)
        inviter, invitee = users.get(invitation.inviter_id), users.get(invitation.invitee_id)
        found = await self.store.get_organisations(ids=[invitation.organisation_id])
        if inviter is None or invitee is None or not found:
            return
        await self.mailer.send(
            Mail(
                to=invitee.email,
                subject=f"{inviter.name} invites you to {found[0].name}",
                body=(
                    f"{inviter.name} <{inviter.email}> invites you to the organisation"
                    f" {found[0].name} as {invitation.role}.\n\n"
                    f"Invitation: {invitation.id}\n"
                    "Accept it with acceptInvitation or decline it with declineInvitation.\n"
                ),
            )
        )

    async def sign_up_token(self, email: str, token: str, expires_at: datetime) -> None:
        await self.mailer.send(
            Mail(
                to=email,
                subject="Confirm your address",
                body=(
                    "Someone (we hope you) signed up with this address.\n\n"
                    f"Confirmation code: {token}\n\n"
                    "Confirm with verifySignUp(token, password), giving the password you chose,"
                    f" before {expires_at.isoformat()}. If it was not you, ignore this message:"
                    " without the code and that password nothing happens.\n"
                ),
            )
        )

    async def password_reset(self, email: str, token: str, expires_at: datetime) -> None:
        await self.mailer.send(
            Mail(
                to=email,
                subject="Reset your password",
                body=(
                    "Someone (we hope you) asked to reset the password of this account.\n\n"
                    f"Reset code: {token}\n\n"
                    "Set a new password with resetPassword(token, password) before"
                    f" {expires_at.isoformat()}; every open session of the account then ends."
                    " If it was not you, ignore this message: your password stays as it is.\n"
                ),
            )
        )

    async def sign_up_exists(self, email: str) -> None:
        await self.mailer.send(
            Mail(
                to=email,
                subject="You already have an account",
                body=(
                    "Someone tried to sign up with this address, which already has an account."
                    " If it was you, log in instead. If it was not you, nothing changed.\n"
                ),
            )
        )
