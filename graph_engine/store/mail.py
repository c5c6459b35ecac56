"""The mail routing rule of DESIGN §3.3, shared by both stores.

Each store finds the user whose username and environment domain make up the
address, and the user they report to; this module decides where the mail goes.
"""

from __future__ import annotations

from graph_engine.model import FORWARD_NOTE, FORWARD_NOTE_EN, MailOutcome, MailRoute, User


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
