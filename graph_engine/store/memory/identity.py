"""Sessions, API keys and credentials in memory."""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import Billing, Credentials, Principal, PrincipalKind, Role, User
from graph_engine.store.memory.graph import MemoryGraph


class IdentityOps(MemoryGraph):
    async def get_credentials(self, *, email: str) -> Credentials | None:
        with self._lock:
            user_id = self._by_email.get(email.lower())
            if user_id is None:
                return None
            attrs = self.graph.nodes[user_id]
            envs = list(self.out_edges(user_id, "MEMBER_OF"))
            env, role = envs[0] if envs else (None, {"role": None})
            return Credentials(
                user_id=user_id,
                password_hash=attrs.get("passwordHash"),
                active=bool(attrs.get("active", True)),
                login_blocked=bool(attrs.get("loginBlocked", False)),
                role=None if role["role"] is None else Role(role["role"]),
                maintenance=self.open_window_record(env),
                per_licence=env is not None
                and self.graph.nodes[env].get("billing", Billing.PER_LICENCE)
                == Billing.PER_LICENCE,
                licensed=any(
                    self.graph.nodes[s]["label"] == "Licence"
                    for s in self.sources(user_id, "ASSIGNED_TO")
                ),
            )

    async def create_session(
        self, *, session_id: str, user_id: str, token_hash: str, at: datetime
    ) -> None:
        with self._lock:
            self.node(user_id, "User")
            self.add_node("Session", session_id, tokenHash=token_hash, createdAt=at)
            self.add_edge(session_id, user_id, "OF")

    async def resolve_session(self, *, token_hash: str) -> Principal | None:
        with self._lock:
            return self.session_principal(token_hash)

    def session_principal(self, token_hash: str) -> Principal | None:
        """:meth:`resolve_session`'s answer; the caller holds the lock."""
        session_id = self._by_token.get(token_hash)
        if session_id is None:
            return None
        session = self.graph.nodes[session_id]
        user_id = self.targets(session_id, "OF")[0]
        user = self.user_record(user_id)
        reason = session.get("reason") if session.get("invalidatedAt") else None
        window = self.open_window_record(user.environment_id)
        return Principal(
            kind=PrincipalKind.USER,
            id=user_id,
            environment_id=user.environment_id,
            user=user,
            session_id=session_id,
            invalidated_reason=reason,
            maintenance=window,
            warned=window is not None and self.graph.has_edge(user_id, window.id, key="WARNED_OF"),
            started_at=session["createdAt"],
            seen_at=session.get("lastSeenAt") or session["createdAt"],
        )

    async def end_session(self, *, token_hash: str, at: datetime, reason: str) -> bool:
        with self._lock:
            session_id = self._by_token.get(token_hash)
            if session_id is None:
                return False
            session = self.graph.nodes[session_id]
            if session.get("invalidatedAt") is not None:
                return False
            session["invalidatedAt"] = at
            session["reason"] = reason
            return True

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
        with self._lock:
            if environment_id is not None:
                self.node(environment_id, "Environment")
            self.add_node(
                "ApiKey",
                key_id,
                kind=str(kind),
                name=name,
                keyHash=key_hash,
                createdAt=at,
                expiresAt=expires_at,
            )
            if environment_id is not None:
                self.add_edge(key_id, environment_id, "FOR")

    async def resolve_api_key(self, *, key_hash: str) -> Principal | None:
        with self._lock:
            key_id = self._by_key.get(key_hash)
            if key_id is None:
                return None
            attrs = self.graph.nodes[key_id]
            envs = self.targets(key_id, "FOR")
            environment_id = envs[0] if envs else None
            return Principal(
                kind=PrincipalKind(attrs["kind"]),
                id=key_id,
                environment_id=environment_id,
                maintenance=self.open_window_record(environment_id),
                invalidated_reason="the key was revoked" if attrs.get("revokedAt") else None,
                seen_at=attrs.get("lastUsedAt"),
                expires_at=attrs.get("expiresAt"),
            )

    async def set_activation_token(self, *, user_id: str, token_hash: str, at: datetime) -> None:
        with self._lock:
            attrs = self.node(user_id, "User")
            if attrs.get("passwordHash") is not None:
                raise problem("already_activated", user=user_id)
            if attrs.get("passwordRemovedAt") is not None:
                raise problem("password_removed", user=user_id)
            attrs["activationTokenHash"] = token_hash
            attrs["activationIssuedAt"] = at

    def _activation_holder(self, token_hash: str, valid_from: datetime) -> str | None:
        for node_id, attrs in self.graph.nodes.items():
            if attrs["label"] == "User" and attrs.get("activationTokenHash") == token_hash:
                usable = attrs["activationIssuedAt"] >= valid_from
                return node_id if usable and attrs.get("passwordHash") is None else None
        return None

    async def activation_holder(self, *, token_hash: str, valid_from: datetime) -> User | None:
        with self._lock:
            user_id = self._activation_holder(token_hash, valid_from)
            return None if user_id is None else self.user_record(user_id)

    async def activate_account(
        self, *, token_hash: str, password_hash: str, valid_from: datetime, at: datetime
    ) -> User | None:
        with self._lock:
            user_id = self._activation_holder(token_hash, valid_from)
            if user_id is None:
                return None
            attrs = self.graph.nodes[user_id]
            attrs["passwordHash"] = password_hash
            attrs["activatedAt"] = at
            del attrs["activationTokenHash"], attrs["activationIssuedAt"]
            return self.user_record(user_id)
