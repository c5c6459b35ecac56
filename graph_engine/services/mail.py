"""Mail out: one path for sign-up tokens, invitations, requests and proposals.

:class:`SmtpMailer` hands each message to a real SMTP server
(``GRAPH_ENGINE_SMTP_URL``, e.g. ``smtp://mail.example:587`` with STARTTLS when the
server offers it, or ``smtps://user:password@mail.example:465``), through
aiosmtplib. Without one, :class:`OutboxMailer` keeps each message in the graph as
an ``OutboxMail`` node that operators read (``outbox``): the development and demo
path. The outbox holds messages as they would have been sent, tokens included, so
a production installation sets an SMTP server.

Sending never fails the request that caused it: the write it reports on has
happened, and a lost message is logged (and can be asked for again: a new sign-up
mails a new token).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from graph_engine import ids
from graph_engine.clock import Clock
from graph_engine.errors import InvalidInput
from graph_engine.store.base import GraphStore

log = logging.getLogger("graph_engine.mail")

# How long an SMTP conversation may take before the message is given up (logged).
SMTP_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None:
        """Send one message; log, never raise, when it cannot be sent."""


class OutboxMailer:
    """Keep messages in the graph's outbox (no SMTP server configured)."""

    def __init__(self, store: GraphStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def send(self, mail: Mail) -> None:
        try:
            await self.store.add_outbox_mail(
                mail_id=ids.new_id("OutboxMail"),
                to=mail.to,
                subject=mail.subject,
                body=mail.body,
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


class SmtpMailer:
    """Send through an SMTP server with aiosmtplib."""

    def __init__(self, url: str, sender: str) -> None:
        self.server = SmtpServer.parse(url)
        self.sender = sender

    async def send(self, mail: Mail) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message.set_content(mail.body)
        server = self.server
        try:
            await aiosmtplib.send(
                message,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                timeout=SMTP_TIMEOUT_S,
            )
        except (aiosmtplib.SMTPException, OSError):
            # The address goes to the log, never the message (it may carry a token).
            log.exception("could not send a mail to %s through %s", mail.to, server.host)
