"""Sessions, API keys and credentials in Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar, TypeVar

from graph_engine.errors import GraphEngineError
from graph_engine.model import Credentials, InSession, Principal, PrincipalKind, Role, User
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase, Row, checked

T = TypeVar("T")


class IdentityOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "get_credentials",
        "create_session",
        "resolve_session",
        "end_session",
        "create_api_key",
        "resolve_api_key",
        "set_activation_token",
        "activation_holder",
        "activate_account",
    )

    async def get_credentials(self, *, email: str) -> Credentials | None:
        rows = await self._run("get_credentials", email=email.lower())
        if not rows:
            return None
        row = rows[0]
        return Credentials(
            user_id=row["id"],
            password_hash=row["passwordHash"],
            active=row["active"],
            login_blocked=row["loginBlocked"],
            role=None if row["role"] is None else Role(row["role"]),
            maintenance=records.maybe_maintenance_window(row["maintenance"]),
            per_licence=row["perLicence"],
            licensed=row["licensed"],
        )

    async def create_session(
        self, *, session_id: str, user_id: str, token_hash: str, at: datetime
    ) -> None:
        await self._one(
            "create_session",
            write=True,
            sessionId=session_id,
            userId=user_id,
            tokenHash=token_hash,
            at=at,
        )

    async def resolve_session(self, *, token_hash: str) -> Principal | None:
        rows = await self._shared_read("resolve_session", tokenHash=token_hash)
        return session_principal(rows[0]) if rows else None

    async def end_session(self, *, token_hash: str, at: datetime, reason: str) -> bool:
        rows = await self._write("end_session", tokenHash=token_hash, at=at, reason=reason)
        return bool(rows[0]["ended"])

    async def create_api_key(
        self,
        *,
        key_id: str,
        kind: PrincipalKind,
        name: str,
        key_hash: str,
        environment_id: str | None,
        at: datetime,
        expires_at: datetime | None = None,
    ) -> None:
        await self._one(
            "create_api_key",
            write=True,
            keyId=key_id,
            kind=str(kind),
            name=name,
            keyHash=key_hash,
            environmentId=environment_id,
            at=at,
            expiresAt=expires_at,
        )

    async def resolve_api_key(self, *, key_hash: str) -> Principal | None:
        rows = await self._shared_read("resolve_api_key", keyHash=key_hash)
        if not rows:
            return None
        row = checked(rows[0])
        return Principal(
            kind=PrincipalKind(row["kind"]),
            id=row["id"],
            environment_id=row["environment"],
            maintenance=records.maybe_maintenance_window(row["maintenance"]),
            invalidated_reason="the key was revoked" if row["revokedAt"] is not None else None,
            seen_at=records.maybe_datetime(row["lastUsedAt"]),
            expires_at=records.maybe_datetime(row["expiresAt"]),
        )

    async def set_activation_token(self, *, user_id: str, token_hash: str, at: datetime) -> None:
        await self._one(
            "set_activation_token", write=True, userId=user_id, tokenHash=token_hash, at=at
        )

    async def activation_holder(self, *, token_hash: str, valid_from: datetime) -> User | None:
        rows = await self._run("activation_holder", tokenHash=token_hash, validFrom=valid_from)
        return convert.user(rows[0]["user"]) if rows else None

    async def activate_account(
        self, *, token_hash: str, password_hash: str, valid_from: datetime, at: datetime
    ) -> User | None:
        rows = await self._write(
            "activate_account",
            tokenHash=token_hash,
            passwordHash=password_hash,
            validFrom=valid_from,
            at=at,
        )
        return convert.user(rows[0]["user"]) if rows else None


def answered_in_session(
    rows: list[Row], answer: Callable[[Principal, Row], T]
) -> InSession[T] | None:
    """A read run in session (``Neo4jBase._read_in_session``): the session's principal
    with ``answer`` of the row, or the refusal the row reports; None for an unknown token."""
    if not rows:
        return None
    principal = session_principal(rows[0])
    try:
        row = checked(rows[0])
    except GraphEngineError as refusal:
        return InSession(principal, refusal=refusal)
    return InSession(principal, answer(principal, row))


def session_principal(row: Row) -> Principal:
    """The holder of a session, from ``resolve_session``'s columns."""
    user = convert.user(row["user"])
    return Principal(
        kind=PrincipalKind.USER,
        id=user.id,
        environment_id=user.environment_id,
        user=user,
        session_id=row["session"],
        invalidated_reason=row["reason"] if row["invalidated"] else None,
        maintenance=records.maybe_maintenance_window(row["maintenance"]),
        warned=bool(row["maintenance"] and row["maintenance"]["warned"]),
        started_at=records.as_datetime(row["startedAt"]),
        seen_at=records.as_datetime(row["seenAt"]),
    )
