"""Lifecycle, migration and raw import/export of the Neo4j store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar

from neo4j import AsyncManagedTransaction

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.neo4j.base import Neo4jBase
from graph_engine.store.schema import check_graph_data

EXPORT_PAGE = 10_000
IMPORT_BATCH = 10_000


class BulkOps(Neo4jBase):
    QUERIES: ClassVar[tuple[str, ...]] = (
        "migrate",
        "ping",
        "clear",
        "import_graph_nodes",
        "import_graph_relationships",
        "import_graph_missing",
        "export_graph_nodes",
        "export_graph_relationships",
        "graph_size",
    )

    async def migrate(self) -> None:
        async with self._errors():
            for statement in self.queries.statements("migrate"):
                await self.driver.execute_query(statement, database_=self.database)
            await self.driver.execute_query("CALL db.awaitIndexes(300)", database_=self.database)

    async def ping(self) -> bool:
        try:
            rows = await self._run("ping")
        except Exception:  # noqa: BLE001 - health means "answers", whatever the failure
            return False
        return rows == [{"ok": 1}]

    async def clear(self) -> None:
        # CALL … IN TRANSACTIONS needs an auto-commit transaction, so not execute_query.
        async with self._errors(), self.driver.session(database=self.database) as session:
            for statement in self.queries.statements("clear"):
                result = await session.run(statement)
                await result.consume()

    async def import_graph(self, data: GraphData) -> None:
        """Write raw records in one transaction (all or nothing)."""
        check_graph_data(data)
        node_rows = [{"label": n.label, "id": n.id, "props": n.props} for n in data.nodes]
        rel_rows = [
            {"type": r.type, "start": r.start, "end": r.end, "props": r.props}
            for r in data.relationships
        ]
        new_ids = {n.id for n in data.nodes}
        if len(new_ids) != len(data.nodes):
            raise InvalidInput("duplicate node ids in import")
        referenced = sorted({e for r in data.relationships for e in (r.start, r.end)} - new_ids)

        async def work(tx: AsyncManagedTransaction) -> None:
            if referenced:
                rows = await self._tx_rows(tx, "import_graph_missing", ids=referenced)
                if rows and rows[0]["missing"]:
                    missing = rows[0]["missing"][0]
                    raise InvalidInput(
                        f"relationship names unknown node {missing}", details={"id": missing}
                    )
            for batch in _batches(node_rows):
                await self._tx_rows(tx, "import_graph_nodes", rows=batch)
            for batch in _batches(rel_rows):
                await self._tx_rows(tx, "import_graph_relationships", rows=batch)

        await self._transaction(work)

    async def import_graph_batched(self, data: GraphData, batch: int = IMPORT_BATCH) -> None:
        """Bulk-load a big graph in many transactions (benchmarks, analysis loads).

        Unlike :meth:`import_graph` this is not atomic; use it on an empty store.
        """
        check_graph_data(data)
        for chunk in _batches(
            [{"label": n.label, "id": n.id, "props": n.props} for n in data.nodes], batch
        ):
            await self._write("import_graph_nodes", rows=chunk)
        rels = [
            {"type": r.type, "start": r.start, "end": r.end, "props": r.props}
            for r in data.relationships
        ]
        for chunk in _batches(rels, batch):
            await self._write("import_graph_relationships", rows=chunk)

    async def graph_size(self) -> tuple[int, int]:
        row = (await self._run("graph_size"))[0]
        return int(row["nodes"]), int(row["relationships"])

    async def export_pages(self, page_size: int = EXPORT_PAGE) -> AsyncIterator[GraphData]:
        """Nodes in id order, then the outgoing relationships of ``page_size`` start
        nodes at a time; each page is its own short read."""
        after: str | None = None
        while True:
            rows = await self._run("export_graph_nodes", after=after, limit=page_size)
            yield GraphData(
                nodes=tuple(NodeRecord(r["label"], r["id"], dict(r["props"])) for r in rows),
                relationships=(),
            )
            if len(rows) < page_size:
                break
            after = rows[-1]["id"]
        after = None
        while True:
            rows = await self._run("export_graph_relationships", after=after, limit=page_size)
            yield GraphData(
                nodes=(),
                relationships=tuple(
                    RelRecord(r["type"], r["start"], r["end"], dict(r["props"]))
                    for r in rows
                    if r["type"] is not None
                ),
            )
            starts = {r["start"] for r in rows}
            if len(starts) < page_size:
                break
            after = max(starts)

    async def export_graph(self) -> GraphData:
        nodes: list[NodeRecord] = []
        rels: list[RelRecord] = []
        async for chunk in self.export_pages():
            nodes.extend(chunk.nodes)
            rels.extend(chunk.relationships)
        rels.sort(key=lambda r: (r.start, r.end, r.type))
        return GraphData(nodes=tuple(nodes), relationships=tuple(rels))


def _batches(rows: list[dict[str, Any]], size: int = IMPORT_BATCH) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]
