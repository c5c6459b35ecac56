"""Backup, restore and import: the whole graph to a file and back, on either store.

A **backup** is complete: every node and relationship with every property,
secrets' hashes included (password, session and key hashes), so a restore gives
back a working system. The file is therefore marked sensitive and written with
mode 0600. Format (version 1), one JSON object per line::

    {"format": "graph_engine.backup", "version": 1, "sensitive": true,
     "store": "neo4j", "createdAt": "2026-11-28T09:00:00+00:00"}
    {"node": {"label": "User", "id": "usr_1", "props": {...}}}
    ...
    {"relationship": {"type": "MEMBER_OF", "start": "usr_1", "end": "env_1", "props": {}}}
    ...
    {"end": {"nodes": 1234, "relationships": 5678}}

Values are as in snapshot files (``{"$datetime": ...}`` for datetimes); a property
whose value is null is left out, as Neo4j stores it, so both stores write the same
file for the same graph. Nodes come
first, then relationships, so the file streams: neither side holds the whole
graph. The closing ``end`` line makes a truncated file detectable: restore
checks the whole file before it writes anything.

A backup of a running Neo4j is read page by page, not at one instant. A
relationship whose node appeared after the node pages were read is left out
(and counted), so the file always restores; writes made during the backup may
or may not be in it. For a point-in-time copy stop writes first (maintenance) or
use Neo4j's own ``neo4j-admin database dump`` on a stopped database.

**Restore** writes into an empty store (or after ``--reset`` clears it) in
batches; on Neo4j each batch is one transaction, so a restore that fails midway
is reported and is repeated with ``--reset``.

**Import** loads a snapshot-format JSON document (store/snapshot.py) in one
transaction into a store that may hold data already: no id may clash and every
relationship must name nodes of the file or of the store. It is how data from an
older product is brought in, legacy gaps included (see
``examples/legacy-missing-connection.json``).

**Bulk load.** When the target is the empty database of a Neo4j started on this
machine by ``graph-engine neo4j start`` (the development tools) and the file holds at least
:data:`OFFLINE_MIN_RECORDS` records, restore and import write it with
``neo4j-admin database import full`` instead (store/neo4j/bulk_offline.py): the
server restarts once, and the load is all or nothing. The graph is the same as
the online load's; whatever that path cannot write exactly goes online.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store import snapshot
from graph_engine.store.base import GraphStore
from graph_engine.store.licences import number_key
from graph_engine.store.pagination import pair_key

if TYPE_CHECKING:
    from graph_engine.store.neo4j.bulk_local_server import LocalServer

FORMAT = "graph_engine.backup"
VERSION = 1
BATCH = 5_000
# From this many records on, a load into an empty local Neo4j goes through
# neo4j-admin: below it, the restart costs more than the import saves.
OFFLINE_MIN_RECORDS = 300_000
RESTORING = "restoring"
IMPORTING = "importing"

# Called with (nodes done, relationships done) as a backup goes on.
Progress = Callable[[int, int], None]
# Called with (stage, done, total) as a restore or an import goes on.
Stages = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Summary:
    nodes: int
    relationships: int
    # Relationships left out of a backup: an end was created while the backup ran.
    skipped: int = 0
    # Loaded by neo4j-admin (the local server restarted), not online.
    offline: bool = False


def _props(props: dict[str, Any]) -> dict[str, Any]:
    return snapshot.encode_props({k: v for k, v in props.items() if v is not None})


def _line(kind: str, body: dict[str, Any]) -> str:
    return json.dumps({kind: body}, separators=(",", ":"), ensure_ascii=False) + "\n"


async def backup(store: GraphStore, out: Path, progress: Progress | None = None) -> Summary:
    """Write every node and relationship of ``store`` to ``out`` (atomically, mode 0600)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
    seen: set[str] = set()
    nodes = relationships = skipped = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            header = {
                "format": FORMAT,
                "version": VERSION,
                "sensitive": True,
                "store": store.name,
                "createdAt": datetime.now(UTC).isoformat(),
            }
            fh.write(json.dumps(header) + "\n")
            async for page in store.export_pages():
                for node in page.nodes:
                    seen.add(node.id)
                    props = _props(node.props)
                    fh.write(_line("node", {"label": node.label, "id": node.id, "props": props}))
                nodes += len(page.nodes)
                for rel in page.relationships:
                    if rel.start not in seen or rel.end not in seen:
                        skipped += 1
                        continue
                    body = {
                        "type": rel.type,
                        "start": rel.start,
                        "end": rel.end,
                        "props": _props(rel.props),
                    }
                    fh.write(_line("relationship", body))
                    relationships += 1
                if progress is not None:
                    progress(nodes, relationships)
            fh.write(_line("end", {"nodes": nodes, "relationships": relationships}))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)  # noqa: PTH105 - os, not pathlib, inside a coroutine
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # noqa: PTH108 - os, not pathlib, inside a coroutine
        raise
    return Summary(nodes, relationships, skipped)


def _records(fh: IO[str], path: Path) -> Iterator[NodeRecord | RelRecord | Summary]:
    """The file's records, then its closing counts; refuses anything malformed."""
    first = fh.readline()
    try:
        header = json.loads(first)
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a graph_engine backup")
    if header.get("version") != VERSION:
        raise InvalidInput(
            f"{path} is a version {header.get('version')} backup; this engine reads version 1"
        )
    for number, text in enumerate(fh, start=2):
        try:
            record = _record(json.loads(text))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            record = None
        if record is None:
            raise InvalidInput(f"{path} line {number} is not a backup record")
        yield record
        if isinstance(record, Summary):
            return
    raise InvalidInput(f"{path} ends before its closing line: the backup is incomplete")


def _record(line: dict[str, Any]) -> NodeRecord | RelRecord | Summary | None:
    if "node" in line:
        n = line["node"]
        return NodeRecord(str(n["label"]), str(n["id"]), snapshot.decode_props(n["props"]))
    if "relationship" in line:
        r = line["relationship"]
        props = snapshot.decode_props(r["props"])
        return RelRecord(str(r["type"]), str(r["start"]), str(r["end"]), props)
    if "end" in line:
        return Summary(int(line["end"]["nodes"]), int(line["end"]["relationships"]))
    return None


def check(path: Path) -> Summary:
    """Read the whole file without writing anything; its counts, or why it is unusable."""
    nodes = relationships = 0
    with _open(path) as fh:
        for record in _records(fh, path):
            if isinstance(record, NodeRecord):
                nodes += 1
            elif isinstance(record, RelRecord):
                relationships += 1
            elif (record.nodes, record.relationships) != (nodes, relationships):
                raise InvalidInput(
                    f"{path} says {record.nodes} nodes and {record.relationships} relationships"
                    f" but holds {nodes} and {relationships}"
                )
    return Summary(nodes, relationships)


async def restore(
    store: GraphStore,
    path: Path,
    progress: Stages | None = None,
    checked: Summary | None = None,
    *,
    server: LocalServer | None = None,
    offline_from: int = OFFLINE_MIN_RECORDS,
) -> Summary:
    """Load a backup into ``store``, which must be empty (checked first, then written).

    ``checked`` is what :func:`check` said of the file, when the caller asked already.
    ``server`` is the local Neo4j that ``store`` talks to, if it is one: then a file of
    ``offline_from`` records or more is bulk-loaded (see the module's docstring).
    """
    expected = checked or check(path)
    held, _ = await store.graph_size()
    if held:
        raise InvalidInput(
            f"the store holds {held:,} nodes already: restore into an empty store"
            " (or clear it with --reset)"
        )
    total = expected.nodes + expected.relationships
    if server is not None and total >= offline_from:
        with _open(path) as fh:
            records = (r for r in _records(fh, path) if not isinstance(r, Summary))
            if await _load_offline(store, server, records, total, progress):
                return Summary(expected.nodes, expected.relationships, offline=True)
    await _restore_online(store, path, total, progress)
    return expected


async def _restore_online(
    store: GraphStore, path: Path, total: int, progress: Stages | None
) -> None:
    """Write the file's records in batches, each one transaction on Neo4j."""
    nodes: list[NodeRecord] = []
    rels: list[RelRecord] = []
    done = 0

    async def flush() -> None:
        nonlocal done
        if nodes or rels:
            await store.import_graph(GraphData(tuple(nodes), tuple(rels)))
            done += len(nodes) + len(rels)
            nodes.clear()
            rels.clear()
            if progress is not None:
                progress(RESTORING, done, total)

    with _open(path) as fh:
        for record in _records(fh, path):
            if isinstance(record, NodeRecord):
                nodes.append(record)
            elif isinstance(record, RelRecord):
                if nodes:  # every node is written before the first relationship
                    await flush()
                rels.append(record)
            if len(nodes) + len(rels) >= BATCH:
                await flush()
        await flush()


async def import_file(
    store: GraphStore,
    path: Path,
    progress: Stages | None = None,
    *,
    server: LocalServer | None = None,
    offline_from: int = OFFLINE_MIN_RECORDS,
) -> Summary:
    """Load a snapshot-format JSON document in one transaction (all or nothing).

    Into the empty database of a local Neo4j (``server``), a document of
    ``offline_from`` records or more is bulk-loaded, all or nothing too.
    """
    data = with_derived_keys(snapshot.load(path))
    total = len(data.nodes) + len(data.relationships)
    summary = Summary(len(data.nodes), len(data.relationships))
    if server is not None and total >= offline_from and await store.graph_size() == (0, 0):
        records: Iterable[NodeRecord | RelRecord] = (*data.nodes, *data.relationships)
        if await _load_offline(store, server, records, total, progress):
            return Summary(summary.nodes, summary.relationships, offline=True)
    if progress is not None:
        progress(IMPORTING, 0, total)
    await store.import_graph(data)
    if progress is not None:
        progress(IMPORTING, total, total)
    return summary


async def _load_offline(
    store: GraphStore,
    server: LocalServer,
    records: Iterable[NodeRecord | RelRecord],
    total: int,
    progress: Stages | None,
) -> bool:
    """Bulk-load into Neo4j; False when the store is not Neo4j or a value needs the
    online path."""
    from graph_engine.store.neo4j import Neo4jStore  # noqa: PLC0415 - only for Neo4j

    if not isinstance(store, Neo4jStore):
        return False
    return await store.load_offline(server, records, total=total, progress=progress)


def with_derived_keys(data: GraphData) -> GraphData:
    """Fill in the keys the engine derives, where a file leaves them out and holds what
    they derive from: a partnership's ``pairKey`` (its two environments, through
    ``BETWEEN``) and a licence's ``numberKey`` (environment/number, through ``VALID_IN``
    and the work company's ``BELONGS_TO``). The keys are what keep one partnership
    per pair and one licence number per environment."""
    between: dict[str, list[str]] = {}
    valid_in: dict[str, str] = {}
    belongs_to: dict[str, str] = {}
    for rel in data.relationships:
        if rel.type == "BETWEEN":
            between.setdefault(rel.start, []).append(rel.end)
        elif rel.type == "VALID_IN":
            valid_in[rel.start] = rel.end
        elif rel.type == "BELONGS_TO":
            belongs_to[rel.start] = rel.end
    nodes = []
    for node in data.nodes:
        props = node.props
        ends = between.get(node.id, [])
        if node.label == "Partnership" and "pairKey" not in props and len(ends) == 2:  # noqa: PLR2004 - a pair
            props = {**props, "pairKey": pair_key(*sorted(ends))}
        environment = belongs_to.get(valid_in.get(node.id, ""))
        if (
            node.label == "Licence"
            and "numberKey" not in props
            and environment
            and "number" in props
        ):
            props = {**props, "numberKey": number_key(environment, props["number"])}
        nodes.append(NodeRecord(node.label, node.id, props))
    return GraphData(tuple(nodes), data.relationships)


def _open(path: Path) -> IO[str]:
    try:
        return path.open(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
