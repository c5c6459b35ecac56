"""Saved filters and alert runs in Neo4j (HelloFlex: alerts are sent during down time)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from graph_engine.model import Alert, Page, PageRequest, SavedFilter
from graph_engine.store import records
from graph_engine.store.neo4j import convert
from graph_engine.store.neo4j.base import Neo4jBase


class AlertOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "save_filter",
        "list_filters",
        "delete_filter",
        "run_alerts",
    )

    async def save_filter(
        self,
        *,
        filter_id: str,
        user_id: str,
        name: str,
        kind: str | None,
        name_contains: str | None,
        at: datetime,
    ) -> SavedFilter:
        row = await self._one(
            "save_filter",
            write=True,
            filterId=filter_id,
            userId=user_id,
            name=name,
            kind=kind,
            nameContains=name_contains,
            at=at,
        )
        return _filter(row["filter"])

    async def list_filters(self, *, user_id: str, page: PageRequest) -> Page[SavedFilter]:
        row = await self._one("list_filters", userId=user_id, **convert.page_params(page))
        return convert.to_page(row["items"], _filter, lambda f: f.id, page)

    async def delete_filter(self, *, filter_id: str, user_id: str) -> SavedFilter:
        row = await self._one("delete_filter", write=True, filterId=filter_id, userId=user_id)
        return _filter(row["filter"])

    async def run_alerts(self, *, environment_id: str | None, at: datetime) -> list[Alert]:
        rows = await self._write("run_alerts", environmentId=environment_id, at=at)
        return [
            Alert(
                _filter(r["filter"]),
                convert.user(r["owner"]),
                tuple(records.dossier(m, m["environment"], m["responsible"]) for m in r["matches"]),
            )
            for r in rows
        ]


def _filter(m: convert.Row) -> SavedFilter:
    return records.saved_filter(m, m["owner"], m["environment"])
