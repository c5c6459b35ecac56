"""Partnerships, relationship managers and connections in Neo4j.

The requests that lead to a partnership are beside this module:
``partnerships_authorization.py`` and ``partnerships_proposals.py``.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, ClassVar

from neo4j import AsyncManagedTransaction

from graph_engine.errors import problem
from graph_engine.model import (
    MissingConnection,
    Page,
    PageRequest,
    Partnership,
    PartnershipOrigin,
    User,
)
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.pagination import PAIR_SEPARATOR, pair_key

# Large enough for every missing connection of one partnership in one repair.
_REPAIR_LIMIT = 1_000_000


class PartnershipOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "create_partnership",
        "get_partnership",
        "list_partnerships",
        "set_relationship_manager",
        "connect",
        "list_connections",
        "missing_connections",
        "repair_connections",
    )

    async def create_partnership(
        self,
        *,
        partnership_id: str,
        user_id: str,
        partner_user_id: str,
        origin: PartnershipOrigin,
        at: datetime,
    ) -> Partnership:
        row = await self._one(
            "create_partnership",
            write=True,
            partnershipId=partnership_id,
            userId=user_id,
            partnerUserId=partner_user_id,
            origin=str(origin),
            at=at,
            sep=PAIR_SEPARATOR,
        )
        return convert.partnership(row)

    async def get_partnership(self, *, partnership_id: str) -> Partnership | None:
        rows = await self._run("get_partnership", partnershipId=partnership_id)
        return convert.partnership(rows[0]) if rows else None

    async def list_partnerships(
        self,
        *,
        environment_id: str,
        page: PageRequest,
        within: Collection[str] | None = None,
    ) -> Page[Partnership]:
        row = await self._one(
            "list_partnerships",
            environmentId=environment_id,
            within=None if within is None else list(within),
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], convert.partnership, lambda p: p.id, page)

    async def set_relationship_manager(
        self, *, user_id: str, enabled: bool, at: datetime
    ) -> tuple[User, tuple[str, ...]]:
        row = await self._one(
            "set_relationship_manager", write=True, userId=user_id, enabled=enabled, at=at
        )
        return convert.user(row["user"]), tuple(sorted(row["connected"]))

    async def connect(self, *, user_id: str, peer_id: str, via: str, at: datetime) -> bool:
        row = await self._one("connect", write=True, userId=user_id, peerId=peer_id, via=via, at=at)
        return bool(row["created"])

    async def list_connections(
        self,
        *,
        user_id: str,
        page: PageRequest,
        within: Collection[str] | None = None,
    ) -> Page[User]:
        row = await self._one(
            "list_connections",
            userId=user_id,
            within=None if within is None else list(within),
            **convert.page_params(page),
        )
        return convert.to_page(row["items"], convert.user, lambda u: u.id, page)

    @staticmethod
    def _missing_params(environment_id: str | None, partnership_id: str | None) -> dict[str, Any]:
        return {
            "environmentId": environment_id,
            "partnershipId": partnership_id,
            "sep": PAIR_SEPARATOR,
        }

    async def missing_connections(
        self, *, environment_id: str | None, page: PageRequest
    ) -> Page[MissingConnection]:
        if environment_id is not None and not await self._run(
            "get_environment", environmentId=environment_id
        ):
            raise problem("not_found", label="Environment", id=environment_id)
        rows = await self._run(
            "missing_connections",
            **self._missing_params(environment_id, None),
            **convert.page_params(page),
        )
        return convert.to_page(
            rows, records.missing_connection, lambda m: pair_key(m.user_id, m.peer_id), page
        )

    async def repair_connections(
        self, *, partnership_id: str, at: datetime
    ) -> list[MissingConnection]:
        async def work(tx: AsyncManagedTransaction) -> list[MissingConnection]:
            found = await self._tx_rows(tx, "get_partnership", partnershipId=partnership_id)
            if not found:
                raise problem("not_found", label="Partnership", id=partnership_id)
            rows = await self._tx_rows(
                tx,
                "missing_connections",
                **self._missing_params(None, partnership_id),
                after=None,
                before=None,
                backward=False,
                limit=_REPAIR_LIMIT,
            )
            pairs = [{"user": r["user"], "peer": r["peer"]} for r in rows]
            if pairs:
                await self._tx_rows(tx, "repair_connections", pairs=pairs, at=at)
            return [records.missing_connection(r) for r in rows]

        return await self._transaction(work)
