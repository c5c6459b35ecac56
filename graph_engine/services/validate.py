"""Input checks shared by the services; each failure is INVALID_INPUT naming the field."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from graph_engine.errors import InvalidInput
from graph_engine.model import ACCESS_ROLES, Role

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_DOMAIN = re.compile(r"^[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$")
_USERNAME = re.compile(r"^[A-Za-z0-9._\-]+$")
MAX_TEXT = 200


def email(value: str) -> str:
    value = clean(value, "email").strip().lower()
    if len(value) > MAX_TEXT:  # refused without echoing it
        raise InvalidInput(
            f"an email address is at most {MAX_TEXT} characters", details={"field": "email"}
        )
    if not _EMAIL.match(value):
        raise InvalidInput(f"{value!r} is not an email address", details={"field": "email"})
    return value


def email_domain(value: str) -> str:
    value = value.strip().lower()
    if len(value) > MAX_TEXT:  # refused without echoing it
        raise InvalidInput(
            f"an email domain is at most {MAX_TEXT} characters", details={"field": "emailDomain"}
        )
    if not _DOMAIN.match(value):
        raise InvalidInput(f"{value!r} is not an email domain", details={"field": "emailDomain"})
    return value


# Invisible format characters (Unicode category Cf) change how the text around them
# reads without being seen: bidi overrides and marks ("Trojan Source": a name shown
# reversed in a list or a mail), zero-width spaces, tag characters that hide text. Only
# the zero-width (non-)joiners stay: scripts and emoji need them. Line and paragraph
# separators (Zl, Zp) would break a quoted line of a mail apart.
_JOINERS = frozenset("\u200c\u200d")


def _hidden(c: str) -> bool:
    category = unicodedata.category(c)
    return category in ("Cc", "Zl", "Zp") or (category == "Cf" and c not in _JOINERS)


# No text the API takes is longer (names 200, a password 1,024); a longer value is refused
# before its characters are looked at one by one (a megabyte took 150-350 ms).
MAX_CLEAN = 4_096


def clean(value: str, field: str) -> str:
    """Refuse control characters (NUL among them), invisible format characters, line and
    paragraph separators, and lone surrogates: never stored. Over :data:`MAX_CLEAN`
    characters, refused as too long first, without being echoed."""
    if len(value) > MAX_CLEAN:
        raise InvalidInput(
            f"{field} is over {MAX_CLEAN} characters", details={"field": field, "max": MAX_CLEAN}
        )
    if any(_hidden(c) for c in value):
        raise InvalidInput(f"{field} holds a control character", details={"field": field})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{field} holds an unpaired surrogate (not valid Unicode)", details={"field": field}
        ) from None
    return value


def text(value: str, field: str) -> str:
    value = clean(value, field).strip()
    if not value or len(value) > MAX_TEXT:
        raise InvalidInput(f"{field} must be 1 to {MAX_TEXT} characters", details={"field": field})
    return value


def chosen(values: Sequence[str], field: str, noun: str, maximum: int, hint: str = "") -> list[str]:
    """Ids a caller chose for one call, duplicates dropped: 1 to ``maximum`` of them, as
    given (duplicates count: a list of 70,000 copies of one id is not one id)."""
    found = list(dict.fromkeys(values))
    if not 1 <= len(found) <= maximum or len(values) > maximum:
        raise InvalidInput(
            f"{field}, when given, lists 1 to {maximum} {noun}{hint}",
            details={"field": field, "max": maximum},
        )
    return found


def username(value: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_TEXT or not _USERNAME.match(value):
        raise InvalidInput(
            "username may hold letters, digits, '.', '_' and '-'", details={"field": "username"}
        )
    return value


def seat_limit(value: int | None) -> int | None:
    if value is not None and value < 1:
        raise InvalidInput("seatLimit must be at least 1", details={"field": "seatLimit"})
    return value


def access_role(value: Role) -> Role:
    if value not in ACCESS_ROLES:
        raise InvalidInput(
            f"access to an organisation is ADMIN, ADVANCED_USER or USER, not {value}",
            details={"field": "role"},
        )
    return value


def search(value: str | None) -> str | None:
    if value is None:
        return None
    value = clean(value, "search").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"search is at most {MAX_TEXT} characters", details={"field": "search"})
    return value or None
