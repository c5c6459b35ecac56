"""Mail out: one path for sign-up tokens, invitations, requests and proposals.

:class:`SmtpMailer` hands each message to a real SMTP server
(``GRAPH_ENGINE_SMTP_URL``, e.g. ``smtp://mail.example:587`` with STARTTLS when the
server offers it, or ``smtps://user:password@mail.example:465``), through
aiosmtplib. Without one, :class:`OutboxMailer` keeps each message in the graph as
an ``OutboxMail`` node that operators read (``outbox``): the development and demo
path. The outbox holds messages as they would have been sent, tokens included, so
a production installation sets an SMTP server.

Sending never fails the request that caused it: the write it reports on has
happened. :class:`SmtpMailer` retries a passing failure (no connection, a timeout, a
``4xx`` answer) a few times with a growing pause (stamina); a message the server
still would not take, or refused for good (``5xx``), becomes a **dead letter**: it
is kept in the graph's outbox, where operators read it (``outbox``), and the reason
is logged. So with an SMTP server set, the outbox is the dead-letter list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
import stamina

from graph_engine import ids
from graph_engine.clock import Clock
from graph_engine.errors import InvalidInput
from graph_engine.store.mail import MailStore

log = logging.getLogger("graph_engine.mail")

# How long one SMTP conversation may take before it counts as a failed attempt.
SMTP_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Retries:
    """How often and how long :class:`SmtpMailer` tries before a message is a dead letter."""

    attempts: int = 4
    wait_initial: float = 0.5
    wait_max: float = 4.0
    # All attempts together: a request (or an SMTP session of the mail relay) waits this
    # long at most for its message to leave.
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str
    # Where answers go (a forwarded message: its original sender).
    reply_to: str | None = None
    # The message this one forwards, attached whole when it has no plain text to quote.
    original: bytes | None = None


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None:
        """Send one message; log, never raise, when it cannot be sent."""


class OutboxMailer:
    """Keep messages in the graph's outbox (no SMTP server configured, or dead letters).

    The outbox keeps text: a forwarded original is named at the end of the body, not
    kept (the relay's sender still has it)."""

    def __init__(self, store: MailStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def send(self, mail: Mail) -> None:
        body = mail.body
        if mail.original is not None:
            body += f"\n\n[not kept here: the original message, {len(mail.original)} bytes]"
        try:
            await self.store.add_outbox_mail(
                mail_id=ids.new_id("OutboxMail"),
                to=mail.to,
                subject=mail.subject,
                body=body,
                at=self.clock.now(),
            )
        except Exception:
            log.exception("could not keep a mail to %s in the outbox", mail.to)


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    implicit_tls: bool
    username: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpServer:
        """``smtp://[user:password@]host[:port]`` or ``smtps://...`` (implicit TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
            raise InvalidInput(
                "GRAPH_ENGINE_SMTP_URL must look like smtp://host:port or smtps://host:port",
                details={"setting": "GRAPH_ENGINE_SMTP_URL"},
            )
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            implicit_tls=implicit,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


# What a failed SMTP conversation raises.
SEND_FAILURES = (aiosmtplib.SMTPException, OSError)


def _passing(exc: Exception) -> bool:
    """Worth another attempt: no connection or answer, or a temporary (4xx) refusal."""
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return 400 <= exc.code < 500  # noqa: PLR2004 - SMTP's temporary failures
    return isinstance(exc, (aiosmtplib.SMTPException, OSError))


def compose(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message.set_content(mail.body)
    if mail.original is not None:
        # As message/rfc822, which must stay unencoded (RFC 2046): the parsed message.
        message.add_attachment(message_from_bytes(mail.original, policy=policy.default))
    return message


class SmtpMailer:
    """Send through an SMTP server with aiosmtplib, retrying passing failures; what
    cannot be sent goes to ``dead_letters`` (the graph's outbox)."""

    def __init__(
        self,
        url: str,
        sender: str,
        *,
        dead_letters: Mailer | None = None,
        retries: Retries | None = None,
    ) -> None:
        self.server = SmtpServer.parse(url)
        self.sender = sender
        self.dead_letters = dead_letters
        self.retries = retries or Retries()

    async def _send_once(self, message: EmailMessage) -> None:
        server = self.server
        await aiosmtplib.send(
            message,
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            timeout=SMTP_TIMEOUT_S,
        )

    async def deliver(self, mail: Mail) -> None:
        """Send, retrying passing failures; raise the last failure when it cannot."""
        message = compose(mail, self.sender)
        retries = self.retries
        async for attempt in stamina.retry_context(
            on=_passing,
            attempts=retries.attempts,
            timeout=retries.timeout,
            wait_initial=retries.wait_initial,
            wait_max=retries.wait_max,
            wait_jitter=retries.wait_initial,
        ):
            with attempt:
                await self._send_once(message)

    async def send(self, mail: Mail) -> None:
        try:
            await self.deliver(mail)
        except SEND_FAILURES as exc:
            # The address goes to the log, never the message (it may carry a token).
            log.warning(
                "dead letter: a mail to %s could not be sent through %s (%s)",
                mail.to,
                self.server.host,
                exc,
            )
            if self.dead_letters is not None:
                await self.dead_letters.send(mail)
