"""The mail relay over real SMTP sessions on loopback, on both stores.

``smtplib`` plays the sending mail server; the relay (aiosmtpd) answers for the
environments' domains; a second aiosmtpd server (``mailbox``) is the smarthost that
forwarded mail leaves through.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import smtplib
import socket
import ssl
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from mailbox import Maildir, MaildirMessage
from pathlib import Path
from typing import Any

import pytest
import smtp_sink
import trustme
from builders import T0, env, user
from click.testing import CliRunner
from serving import console_script
from smtp_sink import Mailbox

from graph_engine import cli, mailrelay
from graph_engine.clock import ManualClock
from graph_engine.model import FORWARD_NOTE, FORWARD_NOTE_EN, PageRequest, Role
from graph_engine.services.mail import Mail, OutboxMailer, Retries, SmtpMailer
from graph_engine.settings import Settings
from graph_engine.store.base import GraphStore
from graph_engine.store.memory import MemoryStore

FAST = Retries(attempts=3, wait_initial=0.01, wait_max=0.02, timeout=5.0)


@dataclass
class Relay:
    port: int
    maildir: Path
    # Trusts the relay's certificate: every session then starts TLS first.
    tls: ssl.SSLContext | None = None

    def send(self, message: EmailMessage, *, to: list[str] | None = None) -> dict[str, object]:
        """Send as a mail server would; the addresses refused, with their answers."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            if self.tls is not None:
                client.starttls(context=self.tls)
            refused = client.send_message(message, to_addrs=to)
        return dict(refused)

    def send_raw(self, raw: bytes, to: str) -> None:
        """Send bytes as written, however malformed."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            client.sendmail("x@kandidaat.example", [to], raw)

    def box(self, user_id: str) -> list[MaildirMessage]:
        folder = self.maildir / user_id
        if not folder.exists():
            return []
        return list(Maildir(folder, create=False).values())


def message(to: str, subject: str = "Sollicitatie", message_id: str | None = None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "sanne@kandidaat.example"
    mail["To"] = to
    mail["Subject"] = subject
    mail["Message-ID"] = message_id or f"<{subject}.{to.replace('@', '.')}@kandidaat.example>"
    mail.set_content("Beste Piet,\n\nHierbij mijn cv.\n")
    return mail


async def office(store: GraphStore) -> None:
    """Werving & Co: boss (ADMIN), anna (active), piet (inactive, reports to boss)."""
    await env(store, "e1")
    await user(store, "boss", "e1", Role.ADMIN, name="Wendy Baas")
    await user(store, "anna", "e1")
    await user(store, "piet", "e1", name="Pieter de Wit")
    await store.set_reports_to(user_id="piet", manager_id="boss")
    await store.set_user_status(
        user_id="piet", active=False, login_blocked=True, reason="left", at=T0
    )


async def _running(store: GraphStore, smarthost: str, tmp_path: Path) -> AsyncIterator[Relay]:
    await office(store)
    mailer = SmtpMailer(
        smarthost,
        "relay@e1.example",
        dead_letters=OutboxMailer(store, ManualClock()),
        retries=FAST,
    )
    handler = mailrelay.RelayHandler(store, mailer, tmp_path / "mail")
    port = smtp_sink.free_port()
    server = await mailrelay.start(handler, "127.0.0.1", port)
    try:
        yield Relay(port, tmp_path / "mail")
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def relay(store: GraphStore, mailbox: Mailbox, tmp_path: Path) -> AsyncIterator[Relay]:
    async for running in _running(store, mailbox.url, tmp_path):
        yield running


@pytest.fixture
async def relay_without_smarthost(store: GraphStore, tmp_path: Path) -> AsyncIterator[Relay]:
    # Nothing listens on this port: every attempt to forward fails to connect.
    async for running in _running(store, f"smtp://127.0.0.1:{smtp_sink.free_port()}", tmp_path):
        yield running


async def test_an_active_users_mail_lands_in_their_mailbox(relay: Relay, mailbox: Mailbox) -> None:
    refused = await asyncio.to_thread(relay.send, message("Anna@E1.example"))
    assert refused == {}
    [kept] = relay.box("anna")
    assert kept["Subject"] == "Sollicitatie"
    assert kept["Delivered-To"] == "anna@e1.example"
    assert relay.box("boss") == []
    assert mailbox.messages == []


async def test_an_inactive_users_mail_is_forwarded_once_with_the_note(
    relay: Relay, mailbox: Mailbox
) -> None:
    sent = message("piet@e1.example")
    assert await asyncio.to_thread(relay.send, sent) == {}
    [forward] = mailbox.to("boss@e1.example")
    text = smtp_sink.body(forward).replace("\r\n", "\n")
    assert text.startswith(
        f"{FORWARD_NOTE} piet@e1.example (Pieter de Wit).\n"
        f"{FORWARD_NOTE_EN} piet@e1.example (Pieter de Wit)."
    )
    assert "Hierbij mijn cv." in text
    assert forward["Subject"] == "Fwd: Sollicitatie"
    assert forward["Reply-To"] == "sanne@kandidaat.example"
    assert relay.box("piet") == []
    # The sending server tries again (it never saw our answer): no second copy.
    assert await asyncio.to_thread(relay.send, sent) == {}
    assert len(mailbox.to("boss@e1.example")) == 1
    # Another message to the same address is forwarded too.
    await asyncio.to_thread(relay.send, message("piet@e1.example", subject="Vraag"))
    assert len(mailbox.to("boss@e1.example")) == 2
    # Two malformed ids that a parser would shorten alike are still two messages.
    for written in (b"<a@b@one>", b"<a@b@two>"):
        raw = b"Message-ID: " + written + b"\r\nSubject: id\r\n\r\nhoi\r\n"
        await asyncio.to_thread(relay.send_raw, raw, "piet@e1.example")
    assert len(mailbox.to("boss@e1.example")) == 4


async def test_mail_for_a_renamed_user_or_another_domain_is_refused_with_550(
    relay: Relay, store: GraphStore, mailbox: Mailbox
) -> None:
    await store.rename_user(user_id="piet", username="piet_verwijderd")
    for address, status in [
        ("piet@e1.example", b"5.1.1"),
        ("nobody@e1.example", b"5.1.1"),
        ("piet@gmail.example", b"5.7.1"),
    ]:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            await asyncio.to_thread(relay.send, message(address))
        [(code, reply)] = refused.value.recipients.values()
        assert code == 550
        assert status in reply
    # The new address reaches the same person: forwarded, as they are inactive.
    await asyncio.to_thread(relay.send, message("piet_verwijderd@e1.example"))
    assert len(mailbox.to("boss@e1.example")) == 1


async def test_one_refused_recipient_does_not_stop_the_others(relay: Relay) -> None:
    refused = await asyncio.to_thread(
        relay.send, message("anna@e1.example"), to=["anna@e1.example", "ghost@e1.example"]
    )
    assert list(refused) == ["ghost@e1.example"]
    assert len(relay.box("anna")) == 1


async def test_forwarding_the_smarthost_never_takes_becomes_a_dead_letter(
    relay_without_smarthost: Relay, store: GraphStore
) -> None:
    assert await asyncio.to_thread(relay_without_smarthost.send, message("piet@e1.example")) == {}
    kept = await store.list_outbox(to="boss@e1.example", page=PageRequest(first=10))
    [dead] = kept.items
    assert dead.subject == "Fwd: Sollicitatie"
    assert dead.body.startswith(FORWARD_NOTE)
    # Sent again by the sending server: still one dead letter, not two.
    await asyncio.to_thread(relay_without_smarthost.send, message("piet@e1.example"))
    kept = await store.list_outbox(to="boss@e1.example", page=PageRequest(first=10))
    assert len(kept.items) == 1
    # The outbox keeps text: an attached original is named, not kept.
    sent = message("piet@e1.example", subject="CV")
    sent.add_attachment(b"%PDF-1.7 cv", maintype="application", subtype="pdf", filename="cv.pdf")
    await asyncio.to_thread(relay_without_smarthost.send, sent)
    kept = await store.list_outbox(to="boss@e1.example", page=PageRequest(first=10))
    [cv] = [m for m in kept.items if m.subject == "Fwd: CV"]
    assert "Hierbij mijn cv." in cv.body
    assert re.search(r"\[not kept here: the original message, \d+ bytes\]$", cv.body)


@dataclass
class Flaky(Mailbox):
    """A smarthost that answers with ``refusals`` (in turn) before it takes a message."""

    refusals: list[str] = field(default_factory=list)
    attempts: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.attempts += 1
        if self.refusals:
            return self.refusals.pop(0)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def flaky() -> Iterator[Flaky]:
    box = Flaky()
    controller = smtp_sink.start(box)
    try:
        yield box
    finally:
        controller.stop()


async def test_a_passing_refusal_is_retried_until_the_smarthost_takes_the_mail(
    store: GraphStore, flaky: Flaky
) -> None:
    flaky.refusals = ["451 4.3.0 busy", "421 4.3.2 closing"]
    mailer = SmtpMailer(
        flaky.url,
        "engine@e1.example",
        dead_letters=OutboxMailer(store, ManualClock()),
        retries=FAST,
    )
    await mailer.send(Mail(to="anna@e1.example", subject="Code", body="gsu_abc"))
    assert flaky.attempts == 3
    assert len(flaky.to("anna@e1.example")) == 1
    assert (await store.list_outbox(to=None, page=PageRequest(first=10))).items == []


async def test_a_permanent_refusal_is_a_dead_letter_at_once(
    store: GraphStore, flaky: Flaky
) -> None:
    flaky.refusals = ["550 5.1.1 no such user"]
    mailer = SmtpMailer(
        flaky.url,
        "engine@e1.example",
        dead_letters=OutboxMailer(store, ManualClock()),
        retries=FAST,
    )
    await mailer.send(Mail(to="anna@e1.example", subject="Code", body="gsu_abc"))
    assert flaky.attempts == 1
    assert flaky.messages == []
    [dead] = (await store.list_outbox(to="anna@e1.example", page=PageRequest(first=10))).items
    assert (dead.subject, dead.body) == ("Code", "gsu_abc")


async def reactivate(snapshot: Path, user_id: str) -> None:
    """What a ``serve --snapshot`` does when an ADMIN reactivates the user."""
    server = MemoryStore.durable(snapshot, sync=False)
    try:
        await server.set_user_status(
            user_id=user_id, active=True, login_blocked=False, reason="", at=T0
        )
    finally:
        await server.close()


def test_the_mail_relay_command_routes_mail_from_a_snapshot(
    tmp_path: Path, mailbox: Mailbox
) -> None:
    snapshot = tmp_path / "graph.json"
    store = MemoryStore()
    asyncio.run(office(store))
    store.save_snapshot(snapshot)
    port, log = smtp_sink.free_port(), tmp_path / "relay.log"
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1")
    cert, key = tmp_path / "relay.pem", tmp_path / "relay.key"
    issued.private_key_pem.write_to_path(str(key))
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own console script
            [
                console_script(),
                "mail-relay",
                "--snapshot",
                str(snapshot),
                "--port",
                str(port),
                "--maildir",
                str(tmp_path / "mail"),
                "--smarthost",
                mailbox.url,
                "--tls-cert",
                str(cert),
                "--tls-key",
                str(key),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 30
        while "mail relay on" not in log.read_text():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert "(STARTTLS offered)" in log.read_text()
        client = ssl.create_default_context()
        ca.configure_trust(client)
        relay = Relay(port, tmp_path / "mail", tls=client)
        assert relay.send(message("anna@e1.example")) == {}
        assert relay.send(message("piet@e1.example")) == {}
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            relay.send(message("anna@elsewhere.example"))
        # The server (here: this test) reactivates Piet; the relay reads its journal.
        asyncio.run(reactivate(snapshot, "piet"))
        assert relay.send(message("piet@e1.example", subject="Terug")) == {}
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0, log.read_text()
    assert len(relay.box("anna")) == 1
    assert len(mailbox.to("boss@e1.example")) == 1
    [back] = relay.box("piet")
    assert back["Subject"] == "Terug"
    said = log.read_text()
    assert (
        "forwarded <Sollicitatie.piet.e1.example@kandidaat.example> for piet@e1.example to user boss"
        in said
    )
    assert "refused anna@elsewhere.example: 550 5.7.1" in said


def test_the_mail_relay_command_says_what_is_missing_in_one_line(
    tmp_path: Path, mailbox: Mailbox
) -> None:
    snapshot = tmp_path / "graph.json"
    MemoryStore().save_snapshot(snapshot)
    given = ["mail-relay", "--snapshot", str(snapshot), "--maildir", str(tmp_path / "mail")]
    runner = CliRunner()
    unsent = runner.invoke(cli.main, given, env={"GRAPH_ENGINE_SMTP_URL": ""})
    assert unsent.exit_code == 2
    assert "give --smarthost URL" in unsent.output
    halves = runner.invoke(
        cli.main, [*given, "--smarthost", mailbox.url, "--tls-cert", str(snapshot)]
    )
    assert halves.exit_code == 2
    assert "give --tls-cert and --tls-key together" in halves.output
    wrong = runner.invoke(
        cli.main,
        [
            *given,
            "--smarthost",
            mailbox.url,
            "--tls-cert",
            str(snapshot),
            "--tls-key",
            str(snapshot),
        ],
    )
    assert wrong.exit_code == 1
    assert f"Error: cannot use {snapshot} with {snapshot}" in wrong.output
    assert "Traceback" not in wrong.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = runner.invoke(cli.main, [*given, "--port", port, "--smarthost", mailbox.url])
    assert busy.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}: Address already in use" in busy.output
    assert "Traceback" not in busy.output


def parts(forward: Message) -> tuple[str, EmailMessage]:
    """A forwarded message's text and the original attached to it."""
    parsed = message_from_bytes(forward.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text, attached = parsed.iter_parts()
    assert attached.get_content_type() == "message/rfc822"
    original = attached.get_content()
    assert isinstance(original, EmailMessage)
    return str(text.get_content()), original


async def test_a_forwarded_message_carries_its_attachment(relay: Relay, mailbox: Mailbox) -> None:
    sent = message("piet@e1.example", subject="CV")
    sent.add_attachment(b"%PDF-1.7 cv", maintype="application", subtype="pdf", filename="cv.pdf")
    assert await asyncio.to_thread(relay.send, sent) == {}
    [forward] = mailbox.to("boss@e1.example")
    text, original = parts(forward)
    assert text.startswith(FORWARD_NOTE)
    assert "Hierbij mijn cv." in text
    assert [p.get_filename() for p in original.iter_attachments()] == ["cv.pdf"]


async def test_a_message_in_an_unknown_charset_is_forwarded_whole(
    relay: Relay, mailbox: Mailbox
) -> None:
    raw = (
        b"From: x@kandidaat.example\r\nSubject: a\r\nMessage-ID: <bogus@kandidaat.example>\r\n"
        b"Content-Type: text/plain; charset=bogus\r\n\r\nhi \xff\r\n"
    )

    await asyncio.to_thread(relay.send_raw, raw, "piet@e1.example")
    [forward] = mailbox.to("boss@e1.example")
    text, original = parts(forward)
    assert "(the original message is attached)" in text
    assert original["Message-ID"] == "<bogus@kandidaat.example>"


def test_claims_older_than_any_retry_are_forgotten_at_start(tmp_path: Path) -> None:
    handled = tmp_path / "mail" / ".relay" / "handled"
    handled.mkdir(parents=True)
    old, recent = handled / "old", handled / "recent"
    old.touch()
    recent.touch()
    month_ago = time.time() - mailrelay.KEEP_CLAIMS_S - 60
    os.utime(old, (month_ago, month_ago))
    store = MemoryStore()
    mailrelay.RelayHandler(store, OutboxMailer(store, ManualClock()), tmp_path / "mail")
    assert sorted(p.name for p in handled.iterdir()) == ["recent"]


async def test_a_server_with_an_smtp_url_keeps_its_dead_letters_in_the_outbox() -> None:
    # Nothing listens on this port, and the settings ask for one attempt only to stay fast.
    settings = Settings(smtp_url=f"smtp://127.0.0.1:{smtp_sink.free_port()}")
    engine = settings.engine(MemoryStore())
    assert isinstance(engine.mailer, SmtpMailer)
    engine.mailer.retries = Retries(attempts=1, timeout=5.0)
    await engine.mailer.send(Mail(to="anna@e1.example", subject="Code", body="gsu_abc"))
    [dead] = (await engine.store.list_outbox(to=None, page=PageRequest(first=10))).items
    assert (dead.to, dead.subject) == ("anna@e1.example", "Code")
