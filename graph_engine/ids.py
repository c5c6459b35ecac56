"""Randomness comes from here: entity ids and secret tokens.

Ids are short, prefixed by kind (``usr_…``, ``org_…``) so that a log line or a
GraphQL response says what it points at. Tokens are 256 bits from
:mod:`secrets`; only their SHA-256 digest is ever stored.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIXES = {
    "Environment": "env",
    "User": "usr",
    "Organisation": "org",
    "Partnership": "prt",
    "AuthorizationRequest": "aur",
    "Invitation": "inv",
    "Session": "ses",
    "ApiKey": "key",
    "AuditEvent": "aud",
    "MaintenanceWindow": "mnt",
    "Application": "app",
    "Relation": "rel",
    "Subscription": "sub",
    "Task": "tsk",
    "Licence": "lic",
    "ProcessMessage": "msg",
    "PartnershipProposal": "ppr",
    "OutboxMail": "mail",
    "SignUp": "sgn",
    "SavedFilter": "flt",
}

SESSION_TOKEN_PREFIX = "ges_"  # noqa: S105 - a public prefix, not a secret
API_KEY_PREFIX = "gek_"
ACTIVATION_TOKEN_PREFIX = "gea_"  # noqa: S105 - a public prefix, not a secret
SIGN_UP_TOKEN_PREFIX = "gsu_"  # noqa: S105 - a public prefix, not a secret
RESET_TOKEN_PREFIX = "grs_"  # noqa: S105 - a public prefix, not a secret
# A process message id is its nightly run's id, the work company's and the employee's,
# joined by this (so that a run writes one message per pair, on both stores).
MESSAGE_ID_SEPARATOR = ":"


def new_id(label: str) -> str:
    """Return a fresh id for a node of ``label``, e.g. ``usr_3f9c0a1b2c4d5e6f``."""
    return f"{PREFIXES.get(label, label[:3].lower())}_{secrets.token_hex(8)}"


def new_session_token() -> str:
    """Return a fresh bearer token for a login session."""
    return SESSION_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_api_key() -> str:
    """Return a fresh bearer token for a machine principal."""
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def new_activation_token() -> str:
    """Return a fresh one-time token that lets a new user set their first password."""
    return ACTIVATION_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_sign_up_token() -> str:
    """Return a fresh one-time token that proves an address at sign-up."""
    return SIGN_UP_TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_reset_token() -> str:
    """Return a fresh one-time token that lets a user set a new password."""
    return RESET_TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Digest under which a token is stored and looked up.

    Tokens carry 256 bits of entropy, so a fast hash is the right tool here (a
    slow KDF protects low-entropy passwords, not random keys).
    """
    return hashlib.sha256(token.encode()).hexdigest()
