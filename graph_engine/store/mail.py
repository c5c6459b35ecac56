"""The mail capability's store protocol, and the routing rule of DESIGN §3.3.

Each store finds the user whose username and environment domain make up the
address, and the user they report to; :func:`route` decides where the mail goes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from graph_engine.model import (
    FORWARD_NOTE,
    FORWARD_NOTE_EN,
    MailOutcome,
    MailRoute,
    OutboxMail,
    Page,
    PageRequest,
    User,
)


class MailStore(Protocol):
    """The outbox (mail without an SMTP server) and where mail to an address goes."""

    async def add_outbox_mail(
        self, *, mail_id: str, to: str, subject: str, body: str, at: datetime
    ) -> None:
        """Keep a message in the outbox (the mail path without an SMTP server)."""

    async def list_outbox(self, *, to: str | None, page: PageRequest) -> Page[OutboxMail]:
        """The outbox by id; with ``to``, the messages to that address (any case)."""

    async def get_outbox_mail(self, *, mail_id: str) -> OutboxMail | None:
        """One message of the outbox, or None."""

    async def remove_outbox_mail(self, *, mail_id: str) -> bool:
        """Take a message out of the outbox (it was sent at last); False if it was not in."""

    async def route_mail(self, *, username: str, email_domain: str) -> MailRoute:
        """Where mail to ``username@email_domain`` goes."""


def route(
    address: str, user: User | None, manager: User | None, environment_id: str | None = None
) -> MailRoute:
    """Active user: to themself. Inactive user whose mail settings are on and who
    reports to an active, unblocked user: forwarded there with the note. Anything
    else (no such mailbox, e.g. after a rename; mail settings removed; nobody to
    report to): no recipient, and the mail is not delivered.

    Examples
    --------
    >>> route("piet@example.test", None, None).outcome
    <MailOutcome.NO_RECIPIENT: 'NO_RECIPIENT'>
    """
    if user is None:
        return MailRoute(address, MailOutcome.NO_RECIPIENT, environment_id=environment_id)
    if user.active:
        return MailRoute(
            address, MailOutcome.DELIVERED, deliver_to=user, environment_id=environment_id
        )
    if user.mail_enabled and manager is not None and manager.active and not manager.login_blocked:
        return MailRoute(
            address,
            MailOutcome.FORWARDED,
            deliver_to=manager,
            forwarded_from=user,
            note=FORWARD_NOTE,
            note_en=FORWARD_NOTE_EN,
            environment_id=environment_id,
        )
    return MailRoute(address, MailOutcome.NO_RECIPIENT, environment_id=environment_id)
