"""Lifecycle, raw import/export and snapshot files of the memory store."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from graph_engine import audit
from graph_engine.errors import GraphEngineError, InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store import snapshot
from graph_engine.store.memory import journal
from graph_engine.store.memory.graph import MemoryGraph
from graph_engine.store.schema import check_graph_data

# Records imported at once when a snapshot file is loaded.
_BATCH = 10_000


class BulkOps(MemoryGraph):
    # The snapshot file a durable store journals against (None: nothing is kept).
    _durable: Path | None = None

    async def migrate(self) -> None:
        """Bring a graph written by an older version up to date (idempotent).

        The one change so far: relation links move onto the relation's active
        subscription (``RelationOps.migrate_relation_links``). A durable store journals
        the step when it changed something, so a replay of the journal changes it too.
        """
        with self._lock:
            if self.migrate_relation_links():
                self._journaled("migrate")

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        """A durable store folds its journal into the snapshot and lets go of the file."""
        with self._lock:
            if self._journal is not None and self._durable is not None:
                if self._journal.count:
                    self._fold(self._durable)
                self._journal.close()
                self._journal = None

    async def clear(self) -> None:
        with self._lock:
            self.graph.clear()
            self._reset_indexes()
            self._journaled("clear")

    async def import_graph(self, data: GraphData) -> None:
        with self._lock:
            self._import(data)

    def _import(self, data: GraphData) -> None:
        check_graph_data(data)
        new_ids = [n.id for n in data.nodes]
        clash = next((i for i in new_ids if i in self.graph), None)
        if clash is None and len(set(new_ids)) != len(new_ids):
            clash = next(i for i in new_ids if new_ids.count(i) > 1)
        if clash is not None:
            raise InvalidInput(f"node {clash} already exists", details={"id": clash})
        known = set(new_ids)
        for rel in data.relationships:
            for end in (rel.start, rel.end):
                if end not in known and end not in self.graph:
                    raise InvalidInput(
                        f"relationship {rel.type} names unknown node {end}", details={"id": end}
                    )
        for node in data.nodes:
            self.graph.add_node(node.id, **{**node.props, "label": node.label, "id": node.id})
        for rel in data.relationships:
            self.add_edge(rel.start, rel.end, rel.type, **rel.props)
        self._index_imported(data)

    def _index_imported(self, data: GraphData) -> None:
        """Index what an import added: only that is new (a restore imports batch after
        batch, so indexing the whole graph each time would grow with every batch)."""
        for node in data.nodes:
            self._index_node(node.id)
        partnerships = {r.start for r in data.relationships if r.type == "BETWEEN"}
        partnerships.update(n.id for n in data.nodes if n.label == "Partnership")
        for partnership_id in sorted(partnerships):
            if self.has(partnership_id, "Partnership"):
                self._index_partnership(partnership_id)

    async def graph_size(self) -> tuple[int, int]:
        with self._lock:
            return self.graph.number_of_nodes(), self.graph.number_of_edges()

    async def export_pages(self, page_size: int = 10_000) -> AsyncIterator[GraphData]:
        """The graph as one consistent copy (taken under the lock), cut into pages."""
        with self._lock:
            data = self._export()
        for i in range(0, len(data.nodes), page_size):
            yield GraphData(nodes=data.nodes[i : i + page_size], relationships=())
        for i in range(0, len(data.relationships), page_size):
            yield GraphData(nodes=(), relationships=data.relationships[i : i + page_size])

    async def export_graph(self) -> GraphData:
        with self._lock:
            return self._export()

    def _export(self) -> GraphData:
        nodes, rels = self._records()
        return GraphData(nodes=tuple(nodes), relationships=tuple(rels))

    def _records(self) -> tuple[Iterator[NodeRecord], Iterator[RelRecord]]:
        """The nodes by id and the relationships by (start, end, type), made one at a
        time as they are read (a snapshot is written without a copy of the graph)."""
        ids = sorted(self.graph.nodes)

        def nodes() -> Iterator[NodeRecord]:
            for node_id in ids:
                attrs = self.graph.nodes[node_id]
                props = {k: v for k, v in attrs.items() if k != "label"}
                yield NodeRecord(attrs["label"], node_id, props)

        def rels() -> Iterator[RelRecord]:
            for start in ids:
                for _, end, data in sorted(
                    self.graph.out_edges(start), key=lambda e: (e[1], e[2]["type"])
                ):
                    props = {k: v for k, v in data.items() if k != "type"}
                    yield RelRecord(data["type"], start, end, props)

        return nodes(), rels()

    def save_snapshot(self, path: Path) -> None:
        """Write the whole graph to a snapshot file (its own: folds the journal too)."""
        with self._lock:
            if self._journal is not None and path == self._durable:
                self._fold(path)
            else:
                snapshot.write(path, *self._records())

    def load_snapshot(self, path: Path) -> None:
        """Replace the graph with a snapshot file and the journal beside it, if any.

        Reading only: the files are left as they are (analysis of a running server's
        snapshot).
        """
        self._load(path)

    def _load(self, path: Path) -> str | None:
        """Load the snapshot and replay its journal; the journal's id (None: none)."""
        journal_id, writes = journal.read(journal.journal_path(path))
        with self._lock, _collector_paused():
            self.graph.clear()
            self._reset_indexes()
            try:
                folded = self._import_snapshot(path) if path.exists() else None
            except BaseException:
                self.graph.clear()
                self._reset_indexes()
                raise
            if journal_id is not None and journal_id != folded:
                self._replay(writes)
        return journal_id

    def _import_snapshot(self, path: Path) -> str | None:
        """Import a snapshot file in batches, as it is read (it is never held whole);
        the id of the journal folded into it."""
        reader = snapshot.Reader(path)
        nodes: list[NodeRecord] = []
        rels: list[RelRecord] = []
        for record in reader:
            if isinstance(record, NodeRecord):
                nodes.append(record)
            else:
                rels.append(record)
            # Relationships wait for every node (a file may list them first).
            if len(nodes) >= _BATCH or (len(rels) >= _BATCH and reader.nodes_done):
                self._import(GraphData(tuple(nodes), tuple(rels) if reader.nodes_done else ()))
                nodes.clear()
                if reader.nodes_done:
                    rels.clear()
        self._import(GraphData(tuple(nodes), tuple(rels)))
        return reader.journal

    def open_durable(self, path: Path, *, sync: bool = True) -> None:
        """Load ``path`` (and replay its journal), then journal every write from now on.

        The snapshot is written at once (the journal folded in), so it exists from the
        first start; a second process on the same file is refused.
        """
        opened = journal.Journal(journal.journal_path(path), sync=sync)
        try:
            replayed = self._load(path)
            with self._lock:
                self._journal, self._durable = opened, path
                self._fold(path, replayed)
        except BaseException:
            self._journal = self._durable = None
            opened.close()
            raise

    def _fold(self, path: Path, journal_id: str | None = None) -> None:
        """Save the graph marked as holding the journal (the open one unless named),
        then start a new journal: a crash in between never replays a write twice."""
        assert self._journal is not None  # noqa: S101 - callers check
        snapshot.write(path, *self._records(), journal=journal_id or self._journal.id or None)
        self._journal.start()

    def _replay(self, writes: Sequence[journal.Write]) -> None:
        """Run journaled writes again, each with the audit event it carried."""
        for number, write in enumerate(writes, start=1):
            event = None if write.event is None else write.event.pending()
            kwargs = {"event": event} if write.operation == "record_audit_event" else write.kwargs
            with audit.carrying(event):
                coroutine = getattr(self, write.operation)(*write.args, **kwargs)
                try:
                    coroutine.send(None)
                except StopIteration:
                    continue
                except GraphEngineError as exc:
                    msg = f"journal write {number} ({write.operation}) does not replay: {exc}"
                    raise InvalidInput(msg) from exc
                coroutine.close()
                msg = f"journal write {number} ({write.operation}) suspended"
                raise RuntimeError(msg)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector off while a graph loads, as it was again afterwards.

    A load makes millions of objects that all live on, and no cycles to free: each
    automatic collection walked the graph built so far for nothing (12 full ones, some
    15% of a 100k-user snapshot's load).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
