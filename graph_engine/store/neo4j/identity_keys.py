"""API keys that end: listed, revoked, rotated; their last use, in Neo4j."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import ApiKey, Page, PageRequest, PrincipalKind
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import page_of


class KeyOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "touch_api_key",
        "list_api_keys",
        "get_api_key",
        "revoke_api_key",
        "rotate_api_key",
    )

    async def touch_api_key(self, *, key_id: str, at: datetime) -> None:
        await self._write("touch_api_key", keyId=key_id, at=at)

    async def list_api_keys(
        self,
        *,
        environment_id: str | None,
        kind: PrincipalKind | None,
        page: PageRequest,
    ) -> Page[ApiKey]:
        rows = await self._run(
            "list_api_keys",
            environmentId=environment_id,
            kind=None if kind is None else str(kind),
            **convert.page_params(page),
        )
        return page_of([records.api_key(r["key"]) for r in rows], lambda k: k.id, page)

    async def get_api_key(self, *, key_id: str) -> ApiKey | None:
        rows = await self._run("get_api_key", keyId=key_id)
        return records.api_key(rows[0]["key"]) if rows else None

    async def revoke_api_key(self, *, key_id: str, at: datetime) -> ApiKey | None:
        rows = await self._write("revoke_api_key", keyId=key_id, at=at)
        return records.api_key(rows[0]["key"]) if rows else None

    async def rotate_api_key(
        self, *, key_id: str, new_key_id: str, new_key_hash: str, at: datetime
    ) -> ApiKey:
        row = await self._one(
            "rotate_api_key",
            write=True,
            keyId=key_id,
            newKeyId=new_key_id,
            newKeyHash=new_key_hash,
            at=at,
        )
        return records.api_key(row["key"])
