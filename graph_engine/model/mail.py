"""Where mail to an address goes (DESIGN §3.3) and the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from graph_engine.model.provisioning import User


class MailOutcome(StrEnum):
    DELIVERED = "DELIVERED"
    FORWARDED = "FORWARDED"
    NO_RECIPIENT = "NO_RECIPIENT"


FORWARD_NOTE = "Dit bericht is doorgestuurd vanuit de inactieve gebruiker"
FORWARD_NOTE_EN = "This message was forwarded from the inactive user"


@dataclass(frozen=True, slots=True)
class MailRoute:
    """Where mail to ``username@emailDomain`` goes (DESIGN §3.3)."""

    address: str
    outcome: MailOutcome
    deliver_to: User | None = None
    forwarded_from: User | None = None
    note: str | None = None
    note_en: str | None = None
    # The environment whose e-mail domain the address is at; None: no such domain.
    environment_id: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxMail:
    """A message kept in the graph's outbox (no SMTP server configured)."""

    id: str
    to: str
    subject: str
    body: str
    created_at: datetime
