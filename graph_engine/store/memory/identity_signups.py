"""Sign-ups waiting for proof of their address, in memory (see start_sign_up.cypher)."""

from __future__ import annotations

from datetime import datetime

from graph_engine.errors import problem
from graph_engine.model import Billing, Page, PageRequest, Role, SignUp, SignUpStart, User
from graph_engine.store import records
from graph_engine.store.memory.provisioning import ProvisioningOps
from graph_engine.store.pagination import paginate

SECRETS = ("passwordHash", "tokenHash")


class SignUpOps(ProvisioningOps):
    def _sign_up_record(self, sign_up_id: str) -> SignUp:
        attrs = self.graph.nodes[sign_up_id]
        to = next(iter(self.targets(sign_up_id, "TO")), None)
        return records.sign_up({**attrs, "environment": to})

    def _end_sign_up(self, sign_up_id: str, status: str, at: datetime) -> None:
        attrs = self.graph.nodes[sign_up_id]
        attrs.update(status=status, decidedAt=at)
        self._by_sign_up_token.pop(attrs.get("tokenHash") or "", None)
        for secret in SECRETS:
            attrs.pop(secret, None)
        self._sign_ups.pop(sign_up_id, None)

    async def start_sign_up(
        self,
        *,
        sign_up_id: str,
        email: str,
        name: str,
        password_hash: str,
        token_hash: str,
        at: datetime,
        expires_at: datetime,
    ) -> SignUpStart:
        with self._lock:
            domain = email.rsplit("@", 1)[-1].lower()
            environment = self._by_domain.get(domain)
            if email.lower() in self._by_email:
                return SignUpStart(existing_account=True, environment_id=environment)
            self.add_node(
                "SignUp",
                sign_up_id,
                email=email.lower(),
                name=name,
                passwordHash=password_hash,
                tokenHash=token_hash,
                status="PENDING",
                createdAt=at,
                expiresAt=expires_at,
            )
            if environment is not None:
                self.add_edge(sign_up_id, environment, "TO")
            return SignUpStart(existing_account=False, environment_id=environment)

    async def get_sign_up(
        self, *, token_hash: str | None = None, sign_up_id: str | None = None
    ) -> SignUp | None:
        with self._lock:
            found = self._by_sign_up_token.get(token_hash) if token_hash else sign_up_id
            if found is None or found not in self._sign_ups:
                return None
            return self._sign_up_record(found)

    async def complete_sign_up(
        self,
        *,
        sign_up_id: str,
        email: str,
        user_id: str,
        environment_id: str,
        environment_name: str,
        username: str,
        decided_by: str | None,
        environment_of: str | None,
        at: datetime,
    ) -> User:
        with self._lock:
            missing = problem("not_found", label="SignUp", id=sign_up_id)
            if sign_up_id not in self._sign_ups:
                raise missing
            if environment_of is not None and environment_of not in self.targets(sign_up_id, "TO"):
                raise missing
            attrs = self.graph.nodes[sign_up_id]
            self._check_email_free(attrs["email"])
            domain = email.rsplit("@", 1)[-1].lower()
            existing = self._by_domain.get(domain)
            if existing is not None:
                self.check_seat(existing)
                taken = any(
                    self.graph.nodes[m]["username"] == username for m in self.members(existing)
                )
                if taken:
                    raise problem("duplicate_username", username=username, environment=existing)
            else:
                self.add_node(
                    "Environment",
                    environment_id,
                    name=environment_name,
                    emailDomain=domain,
                    billing=str(Billing.PER_PROCESSED_HOUR),
                    seatLimit=None,
                    createdAt=at,
                )
            user = self._add_user(
                user_id=user_id,
                environment_id=existing or environment_id,
                email=attrs["email"],
                username=username,
                name=attrs["name"],
                role=Role.USER,
                password_hash=attrs.get("passwordHash"),
                at=at,
            )
            self._end_sign_up(sign_up_id, "COMPLETED", at)
            attrs.update(decidedBy=decided_by, user=user_id)
            for other in list(self._sign_ups):
                if self.graph.nodes[other]["email"] == attrs["email"]:
                    self._end_sign_up(other, "SUPERSEDED", at)
            return user

    async def list_sign_ups(self, *, environment_id: str, page: PageRequest) -> Page[SignUp]:
        with self._lock:
            found = [
                self._sign_up_record(s)
                for s in sorted(self.sources(environment_id, "TO"))
                if s in self._sign_ups
            ]
            return paginate(found, lambda s: s.id, page)

    async def decline_sign_up(self, *, sign_up_id: str, environment_id: str, at: datetime) -> bool:
        with self._lock:
            if sign_up_id not in self._sign_ups:
                return False
            if environment_id not in self.targets(sign_up_id, "TO"):
                return False
            self._end_sign_up(sign_up_id, "DECLINED", at)
            return True
