"""Dead letters sent again: with an SMTP server set, a message the server would not take
stays in the graph's outbox (:mod:`graph_engine.services.mail`); once the server is back,
an operator sends it again (``resendOutboxMail``) and, sent, it leaves the outbox.

Sending again is at least once: a message the server took just before a crash stays in
the outbox and may go twice. A forwarded original the outbox did not keep is not sent.
"""

from __future__ import annotations

from graph_engine.errors import InvalidInput, MailNotSent, problem
from graph_engine.model import OutboxMail, Principal
from graph_engine.services.access import require_operator
from graph_engine.services.base import Service
from graph_engine.services.mail import SEND_FAILURES, Mail, SmtpMailer
from graph_engine.store.mail import MailStore


class OutboxService(Service[MailStore]):
    async def resend(self, caller: Principal, mail_id: str) -> OutboxMail:
        """Send an outbox message through the SMTP server; sent, it leaves the outbox."""
        require_operator(caller)
        mailer = self.notify.mailer
        if not isinstance(mailer, SmtpMailer):
            raise InvalidInput(
                "no SMTP server is configured: the outbox is where mail goes",
                details={"setting": "GRAPH_ENGINE_SMTP_URL"},
            )
        found = await self.store.get_outbox_mail(mail_id=mail_id)
        if found is None:
            raise problem("not_found", label="OutboxMail", id=mail_id)
        try:
            await mailer.deliver(Mail(to=found.to, subject=found.subject, body=found.body))
        except SEND_FAILURES as exc:
            raise MailNotSent(
                f"the SMTP server did not take the message ({type(exc).__name__});"
                " it stays in the outbox",
                details={"mail": mail_id},
                suggestion="Try again once the SMTP server takes mail.",
            ) from None
        await self.store.remove_outbox_mail(mail_id=mail_id)
        return found
