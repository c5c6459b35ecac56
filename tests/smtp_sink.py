"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for mail tests."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Mailbox:
    """Every message the server accepted, in order."""

    messages: list[Message] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: Any,  # noqa: ARG002 - part of aiosmtpd's signature
        session: Any,  # noqa: ARG002 - part of aiosmtpd's signature
        envelope: Any,
    ) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def token(self, address: str, prefix: str = "gsu_") -> str:
        """The last token with ``prefix`` mailed to ``address``."""
        for message in reversed(self.to(address)):
            found = re.search(rf"{prefix}[A-Za-z0-9_-]+", body(message))
            if found:
                return found.group(0)
        msg = f"no {prefix} token was mailed to {address}"
        raise AssertionError(msg)


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(mailbox: Mailbox) -> Controller:
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    return controller
