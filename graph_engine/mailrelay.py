"""Mail in: an SMTP relay for the environments' e-mail domains (``graph-engine mail-relay``).

It answers for every environment's ``emailDomain`` and applies the routing rule of
DESIGN §3.3 (:func:`graph_engine.store.mail.route`), reading the users from the store
at the moment the mail arrives:

* an address at a domain that is no environment's: refused, ``550 5.7.1``;
* an address nobody answers to (no such user, renamed ``piet`` → ``piet_verwijderd``,
  an inactive user whose mail settings were removed or who reports to nobody):
  refused, ``550 5.1.1``;
* an active user's mail: delivered to their mailbox, a Maildir at
  ``MAILDIR/<user id>/`` (the user's id, so a rename keeps the mailbox; any IMAP
  server that reads Maildirs can serve it);
* an inactive user's mail: forwarded to the user they report to, with the Dutch note
  and the English one beside it above the original text, through the engine's one
  outgoing path (:mod:`graph_engine.services.mail`: the smarthost with retries, dead
  letters in the outbox).

Nothing is handled twice: each (message, recipient) is claimed once in
``MAILDIR/.relay/handled/`` before it is delivered or forwarded, keyed by the
message's ``Message-ID`` (or, without one, by its bytes), so a sending server that
retries after a lost answer does not make a second copy. Claims are kept 30 days.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import mailbox
import os
import signal
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP

from graph_engine.model import MailOutcome, MailRoute
from graph_engine.services.mail import Mail, Mailer
from graph_engine.settings import Settings
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore
from graph_engine.store.memory.journal import journal_path

log = logging.getLogger("graph_engine.mailrelay")

# The largest message accepted (SIZE), as common mail providers allow.
DATA_SIZE_LIMIT = 25 * 1024 * 1024
# How long a (message, recipient) stays claimed: well past the 4 to 5 days a sending
# server keeps trying (RFC 5321, 4.5.4.1).
KEEP_CLAIMS_S = 30 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Refusal:
    """An SMTP answer to an address the relay does not take."""

    reply: str


def _split(address: str) -> tuple[str, str] | None:
    # Addresses are matched without regard to case, as routeMail does.
    username, at, domain = address.strip().lower().rpartition("@")
    if not at or not username or not domain:
        return None
    return username, domain


def forwarded(route: MailRoute, message: EmailMessage, raw: bytes) -> Mail:
    """The message to the user an inactive user reports to, the notes on top."""
    assert route.deliver_to is not None  # noqa: S101 - only for a FORWARDED route
    assert route.forwarded_from is not None  # noqa: S101
    origin = route.forwarded_from
    who = f"{route.address} ({origin.name})"
    lines = [
        f"{route.note} {who}.",
        f"{route.note_en} {who}.",
        "",
        "---------- Doorgestuurd bericht / Forwarded message ----------",
    ]
    lines += [
        f"{name}: {message[name]}" for name in ("From", "Date", "Subject", "To") if message[name]
    ]
    part = message.get_body(preferencelist=("plain",))
    try:
        text = part.get_content() if isinstance(part, EmailMessage) else None
    except (LookupError, UnicodeError, ValueError):  # an unknown or lying charset
        text = None
    lines += ["", text if text is not None else "(the original message is attached)"]
    if text is not None and message.is_multipart():
        lines += ["", "(the original message, attachments included, is attached)"]
    subject = message["Subject"] or ""
    return Mail(
        to=route.deliver_to.email,
        subject=f"Fwd: {subject}".strip(),
        body="\n".join(lines),
        reply_to=str(message["From"]) if message["From"] else None,
        # Attachments (the candidate's CV) travel too: the whole original, attached.
        original=raw if text is None or message.is_multipart() else None,
    )


class SnapshotFollower:
    """Keeps a memory store equal to a running server's snapshot file and its journal,
    reading them again whenever either has changed (the server journals every write)."""

    def __init__(self, store: MemoryStore, snapshot: Path) -> None:
        self.store = store
        self.files = (snapshot, journal_path(snapshot))
        self.seen = self._stamp()

    def _stamp(self) -> tuple[tuple[int, int] | None, ...]:
        stamps: list[tuple[int, int] | None] = []
        for path in self.files:
            try:
                found = path.stat()
            except FileNotFoundError:
                stamps.append(None)
            else:
                stamps.append((found.st_mtime_ns, found.st_size))
        return tuple(stamps)

    def __call__(self) -> None:
        stamp = self._stamp()
        if stamp != self.seen:
            self.store.load_snapshot(self.files[0])
            self.seen = stamp


class RelayHandler:
    """aiosmtpd's handler: who may receive (RCPT), and what happens to a message (DATA)."""

    def __init__(
        self,
        store: GraphStore,
        mailer: Mailer,
        maildir: Path,
        *,
        refresh: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.mailer = mailer
        self.maildir = maildir
        self.refresh = refresh
        self.handled = maildir / ".relay" / "handled"
        self.handled.mkdir(parents=True, exist_ok=True)
        self._forget_old_claims()

    def _forget_old_claims(self) -> None:
        """Claims older than any sending server keeps retrying go (at start)."""
        horizon = time.time() - KEEP_CLAIMS_S
        for claim in self.handled.iterdir():
            with contextlib.suppress(FileNotFoundError):
                if claim.stat().st_mtime < horizon:
                    claim.unlink()

    async def route(self, address: str) -> MailRoute | Refusal:
        parts = _split(address)
        if parts is None:
            return Refusal(f"553 5.1.3 <{address}>: not an address user@domain")
        username, domain = parts
        if self.refresh is not None:
            self.refresh()
        found = await self.store.route_mail(username=username, email_domain=domain)
        if found.environment_id is None:
            return Refusal(f"550 5.7.1 <{address}>: {domain} is not a domain of this relay")
        if found.outcome is MailOutcome.NO_RECIPIENT:
            return Refusal(f"550 5.1.1 <{address}>: no such mailbox here")
        return found

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: Any,  # noqa: ARG002 - part of aiosmtpd's signature
        session: Any,  # noqa: ARG002
        envelope: Any,
        address: str,
        rcpt_options: list[str],  # noqa: ARG002
    ) -> str:
        try:
            found = await self.route(address)
        except Exception:
            log.exception("could not route mail to %s", address)
            return "451 4.3.0 cannot look the address up now, try again later"
        if isinstance(found, Refusal):
            log.info("refused %s: %s", address, found.reply)
            return found.reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _claim(self, key: str, recipient: str) -> Path | None:
        """The claim of (message, recipient), or None when it was handled before."""
        digest = hashlib.sha256(f"{key}\n{recipient.lower()}".encode()).hexdigest()
        claim = self.handled / digest
        try:
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return None
        return claim

    def _deliver(self, route: MailRoute, raw: bytes) -> None:
        assert route.deliver_to is not None  # noqa: S101 - a DELIVERED route names the user
        box = mailbox.Maildir(self.maildir / route.deliver_to.id, create=True)
        box.add(f"Delivered-To: {route.address}\r\n".encode() + raw)

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: Any,  # noqa: ARG002 - part of aiosmtpd's signature
        session: Any,  # noqa: ARG002
        envelope: Any,
    ) -> str:
        raw: bytes = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default makes one
        # The header as written (the parsed one may shorten a malformed id).
        written = BytesHeaderParser().parsebytes(raw)["Message-ID"]
        key = str(written or "").strip() or hashlib.sha256(raw).hexdigest()
        for recipient in envelope.rcpt_tos:
            try:
                found = await self.route(recipient)
            except Exception:
                log.exception("could not route mail to %s", recipient)
                return "451 4.3.0 cannot look the address up now, try again later"
            if isinstance(found, Refusal):
                # Changed since RCPT (renamed or deactivated in between): the rule now.
                log.warning("mail to %s dropped: %s", recipient, found.reply)
                continue
            claim = self._claim(key, recipient)
            if claim is None:
                log.info("mail %s to %s was handled before: not again", key, recipient)
                continue
            try:
                mail = forwarded(found, message, raw) if found.forwarded_from else None
            except Exception:
                log.exception("could not read a message to %s", recipient)
                claim.unlink(missing_ok=True)
                return "554 5.6.0 cannot read this message"
            try:
                if mail is not None:
                    await self.mailer.send(mail)
                else:
                    await asyncio.to_thread(self._deliver, found, raw)
            except Exception:
                log.exception("could not hand on mail to %s", recipient)
                claim.unlink(missing_ok=True)
                return "451 4.3.0 cannot deliver now, try again later"
            assert found.deliver_to is not None  # noqa: S101 - delivered or forwarded
            log.info(
                "%s %s for %s to user %s",
                found.outcome.value.lower(),
                key,
                found.address,
                found.deliver_to.id,
            )
        return "250 2.0.0 OK"


async def start(
    handler: RelayHandler, host: str, port: int, *, tls: ssl.SSLContext | None = None
) -> asyncio.base_events.Server:
    """Listen for SMTP on ``host:port`` in the running event loop; with ``tls``, offer
    STARTTLS (not required: a mail server that cannot encrypt still delivers)."""
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(
            handler,
            data_size_limit=DATA_SIZE_LIMIT,
            ident="graph-engine mail-relay",
            tls_context=tls,
        ),
        host=host,
        port=port,
    )


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side of STARTTLS from a PEM certificate chain and its key."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def serve(
    settings: Settings,
    maildir: Path,
    *,
    ready: Callable[[], None],
    tls: ssl.SSLContext | None = None,
) -> None:
    """Run the relay until SIGINT or SIGTERM, on the store ``settings`` name.

    On Neo4j the relay reads the users the server writes. A memory store is the
    snapshot file of a ``serve --snapshot`` beside it, read again whenever the server
    has written (to try the relay out; production runs on Neo4j). Forwarded mail
    leaves through ``settings.smtp_url`` (the smarthost), or, without one, is kept in
    the store's outbox.
    """
    store = settings.open_store(read_only=True)
    try:
        engine = settings.engine(store)
        follow = (
            SnapshotFollower(store, settings.snapshot)
            if isinstance(store, MemoryStore) and settings.snapshot is not None
            else None
        )
        handler = RelayHandler(store, engine.mailer, maildir, refresh=follow)
        server = await start(handler, settings.host, settings.port, tls=tls)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, server.close)
        ready()
        async with server:
            with contextlib.suppress(asyncio.CancelledError):
                await server.serve_forever()
    finally:
        await store.close()
