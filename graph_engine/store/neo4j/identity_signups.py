"""Sign-ups waiting for proof of their address, in Neo4j (DESIGN §3.1)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Page, PageRequest, SignUp, SignUpStart, User
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import page_of


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


class SignUpOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "start_sign_up",
        "get_sign_up",
        "complete_sign_up",
        "list_sign_ups",
        "decline_sign_up",
    )

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
        row = (
            await self._write(
                "start_sign_up",
                signUpId=sign_up_id,
                email=email.lower(),
                emailDomain=domain_of(email),
                name=name,
                passwordHash=password_hash,
                tokenHash=token_hash,
                at=at,
                expiresAt=expires_at,
            )
        )[0]
        return SignUpStart(existing_account=row["existing"], environment_id=row["environment"])

    async def get_sign_up(
        self, *, token_hash: str | None = None, sign_up_id: str | None = None
    ) -> SignUp | None:
        rows = await self._run("get_sign_up", tokenHash=token_hash, signUpId=sign_up_id)
        return records.sign_up(rows[0]["signUp"]) if rows else None

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
        row = await self._one(
            "complete_sign_up",
            write=True,
            signUpId=sign_up_id,
            emailDomain=domain_of(email),
            userId=user_id,
            environmentId=environment_id,
            environmentName=environment_name,
            username=username,
            decidedBy=decided_by,
            environmentOf=environment_of,
            at=at,
        )
        return convert.user(row["user"])

    async def list_sign_ups(self, *, environment_id: str, page: PageRequest) -> Page[SignUp]:
        rows = await self._run(
            "list_sign_ups", environmentId=environment_id, **convert.page_params(page)
        )
        return page_of([records.sign_up(r["signUp"]) for r in rows], lambda s: s.id, page)

    async def decline_sign_up(self, *, sign_up_id: str, environment_id: str, at: datetime) -> bool:
        rows = await self._write(
            "decline_sign_up", signUpId=sign_up_id, environmentId=environment_id, at=at
        )
        return bool(rows and rows[0]["declined"])
