"""Raw records as the CSV files of ``neo4j-admin database import full``, value for value.

The importer types a column once, in the file's header, so the records are
grouped by label (or relationship type) and by the names and types of their
properties: one file per group, and no record has a column it lacks (an absent
property stays absent; a null one is absent in Neo4j anyway). Every field is
quoted, so an empty string stays an empty string. Nodes are numbered 0 to n - 1
in the files and the numbers become their ids in the store, so the importer maps
no ids (a fifth faster than matching relationships to nodes by string); the
engine's ``id`` is an ordinary string column.

Only values with one exact CSV spelling are written: strings (without NUL),
booleans, 64-bit integers, finite floats, datetimes with a fixed UTC offset of
whole minutes, and non-empty lists of one of the first four. An empty list
cannot be written (the importer leaves the property out): a node that holds one
gets the label :data:`EMPTY_LISTS` and that property the names of its empty
lists, by which :mod:`.offline` sets them afterwards and takes both off again.
Anything else raises :class:`NotRepresentable` before the database is touched,
and the caller loads online instead.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.schema import REQUIRED, check_graph_data

# Between list elements; a string element holding it has no CSV spelling here.
ARRAY_DELIMITER = "\x1e"
# The label and the property (the names of the lists) marking nodes whose empty
# lists are set after the import; queries/bulk/load_offline_empty_lists.cypher spells both.
EMPTY_LISTS = "GraphEngineEmptyLists"
EMPTY_LISTS_KEY = "graphEngineEmptyLists"
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_LONG = 2**63
_MINUTE = timedelta(minutes=1)
_SCALARS: dict[type, str] = {str: "string", bool: "boolean", int: "long", float: "double"}
_TIMES_KEPT = 100_000
_CHUNK = 1 << 24

Convert = Callable[[Any], Any]


class NotRepresentable(Exception):
    """A record holds a value the importer would not give back exactly."""


class _Group:
    """One CSV file: the records of one label (or type) and one property shape."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self.write: Callable[[list[Any]], object] = csv.writer(
            self.handle, quoting=csv.QUOTE_ALL, lineterminator="\n"
        ).writerow
        self.write(header)
        # Position of each written property among a record's values, and how it is
        # spelled (None: as Python's csv writes it); plain when all are written as is.
        self.columns: list[tuple[int, Convert | None]] = []
        self.plain = False
        self.rows = 0
        # The names of the empty lists its nodes hold (see the module), as written.
        self.empty: list[str] = []


class CsvFiles:
    """The CSV files of one import, in ``folder``, written record by record.

    Checks what the online import checks (labels, types, the properties a node
    is found by, duplicate ids, relationships to unknown nodes) and raises
    :class:`~graph_engine.errors.InvalidInput` the same way.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.nodes = 0
        self.relationships = 0
        # Strings with a line break need the importer's slower multi-line parsing.
        self.multiline = False
        # How many nodes hold empty lists (marked with EMPTY_LISTS).
        self.empty_lists = 0
        self._numbers: dict[str, int] = {}
        self._node_groups: dict[tuple[Any, ...], _Group] = {}
        self._rel_groups: dict[tuple[Any, ...], _Group] = {}
        self._times: dict[tuple[datetime, object], str] = {}

    # The two methods below run once per record: lookups are kept local on purpose.

    def add_node(self, node: NodeRecord) -> None:
        props = node.props
        values = list(props.values())
        types = tuple(map(type, values))
        shape = (node.label, *props, *types) if list not in types else _shape(node, values)
        group = self._node_groups.get(shape)
        if group is None:
            check_graph_data(GraphData(nodes=(node,)))
            group = self._node_groups[shape] = self._group("nodes", props)
        if not node.id or type(node.id) is not str:
            check_graph_data(GraphData(nodes=(node,)))  # raises, saying which
        numbers = self._numbers
        number = len(numbers)
        numbers[node.id] = number
        if len(numbers) == number:
            raise InvalidInput("duplicate node ids in import")
        for name in REQUIRED.get(node.label, ()):
            if not props[name]:
                check_graph_data(GraphData(nodes=(node,)))  # raises, saying which
        if group.plain:
            group.write([number, node.id, *values])
        else:
            converted = [values[at] if c is None else c(values[at]) for at, c in group.columns]
            group.write([number, node.id, *converted, *group.empty])
            self.empty_lists += bool(group.empty)
        group.rows += 1
        self.nodes += 1

    def add_relationship(self, rel: RelRecord) -> None:
        props = rel.props
        values = list(props.values())
        types = tuple(map(type, values))
        shape = (rel.type, *props, *types) if list not in types else _shape(rel, values)
        group = self._rel_groups.get(shape)
        if group is None:
            check_graph_data(GraphData(relationships=(rel,)))
            group = self._rel_groups[shape] = self._group("relationships", props)
            if group.empty:
                raise NotRepresentable("an empty list on a relationship")
        numbers = self._numbers
        start, end = numbers.get(rel.start), numbers.get(rel.end)
        if start is None or end is None:
            missing = rel.start if start is None else rel.end
            raise InvalidInput(
                f"relationship names unknown node {missing}", details={"id": missing}
            )
        if group.plain:
            group.write([start, end, *values])
        else:
            converted = [values[at] if c is None else c(values[at]) for at, c in group.columns]
            group.write([start, end, *converted])
        group.rows += 1
        self.relationships += 1

    def close(self) -> None:
        """Close the files, then look through them once for line breaks inside fields
        and NUL characters (cheaper than looking at every string on the way)."""
        groups = [*self._node_groups.values(), *self._rel_groups.values()]
        for group in groups:
            group.handle.close()
        for group in groups:
            breaks = 0
            with group.path.open("rb") as raw:
                while chunk := raw.read(_CHUNK):
                    if b"\0" in chunk:
                        raise NotRepresentable("a string holding a NUL character")
                    breaks += chunk.count(b"\n") + chunk.count(b"\r")
            if breaks != group.rows + 1:
                self.multiline = True

    def arguments(self) -> list[str]:
        """The importer's options naming the files (labels and types from the allow-list)."""
        args = [
            # The numbers are the nodes' ids in the store (0 to n - 1): no id mapping.
            "--id-type=actual",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            # Else it lands in the working directory.
            f"--report-file={self.folder / 'import.report'}",
        ]
        if self.multiline:
            args.append("--multiline-fields=true")
        for shape, group in self._node_groups.items():
            labels = ":".join(
                ("Entity", shape[0], EMPTY_LISTS) if group.empty else ("Entity", shape[0])
            )
            args.append(f"--nodes={labels}={group.path}")
        args += [f"--relationships={g[0]}={f.path}" for g, f in self._rel_groups.items()]
        return args

    def _group(self, kind: str, props: dict[str, Any]) -> _Group:
        """A new file for records shaped like ``props``: its header and converters."""
        header = [":ID", "id:string"] if kind == "nodes" else [":START_ID", ":END_ID"]
        keys: list[int] = []
        converters: list[Convert | None] = []
        empty: list[str] = []
        for at, (key, value) in enumerate(props.items()):
            if value is None or (kind == "nodes" and key == "id"):
                continue  # absent in Neo4j too; a node's id is its own column
            if not _KEY.match(key) or key == EMPTY_LISTS_KEY:
                raise NotRepresentable(f"property name {key!r}")
            if type(value) is list and not value:
                empty.append(key)
                continue
            column, convert = self._column(value)
            keys.append(at)
            converters.append(convert)
            header.append(f"{key}:{column}")
        if empty:
            header.append(f"{EMPTY_LISTS_KEY}:string[]")
        number = len(self._node_groups) + len(self._rel_groups)
        group = _Group(self.folder / f"{kind}-{number}.csv", header)
        group.columns = list(zip(keys, converters, strict=True))
        group.empty = [ARRAY_DELIMITER.join(empty)] if empty else []
        group.plain = keys == list(range(len(props))) and not any(converters) and not empty
        return group

    def _column(self, value: Any) -> tuple[str, Convert | None]:
        """The column type of a value, and how it is spelled (None: as csv writes it)."""
        kind = type(value)
        if kind is str:
            return "string", None
        if kind is bool:
            return "boolean", _boolean
        if kind is int:
            return "long", _long
        if kind is float:
            return "double", _double
        if kind is datetime:
            return "datetime", self._datetime
        if kind is list and type(value[0]) in _SCALARS:
            return f"{_SCALARS[type(value[0])]}[]", _LISTS[type(value[0])]
        raise NotRepresentable(f"a value of type {kind.__name__}")

    def _datetime(self, value: datetime) -> str:
        # Keyed with the zone too: 12:00+01:00 and 11:00Z are equal datetimes.
        key = (value, value.tzinfo)
        text = self._times.get(key)
        if text is None:
            offset = value.utcoffset()
            # A named zone (or none) is stored differently online, and an offset with
            # seconds is not read back the same.
            if type(value.tzinfo) is not timezone or offset is None or offset % _MINUTE:
                raise NotRepresentable("a datetime without a fixed offset of whole minutes")
            text = value.isoformat()
            if len(self._times) < _TIMES_KEPT:
                self._times[key] = text
        return text


# The importer reads only "true" as true ("True" is false).
_boolean: Callable[[bool], str] = {True: "true", False: "false"}.__getitem__


def _long(value: int) -> str:
    if not -_LONG <= value < _LONG:
        raise NotRepresentable("an integer beyond 64 bits")
    return str(value)


def _double(value: float) -> str:
    if not math.isfinite(value):
        raise NotRepresentable("a float that is not finite")
    return repr(value)


def _strings(value: list[Any]) -> str:
    if any(type(v) is not str or not v or ARRAY_DELIMITER in v for v in value):
        raise NotRepresentable("a list of strings holding another value, '' or the delimiter")
    return ARRAY_DELIMITER.join(value)


def _booleans(value: list[Any]) -> str:
    if any(type(v) is not bool for v in value):
        raise NotRepresentable("a list of mixed types")
    return ARRAY_DELIMITER.join(map(_boolean, value))


def _longs(value: list[Any]) -> str:
    if any(type(v) is not int for v in value):
        raise NotRepresentable("a list of mixed types")
    return ARRAY_DELIMITER.join(map(_long, value))


def _doubles(value: list[Any]) -> str:
    if any(type(v) is not float for v in value):
        raise NotRepresentable("a list of mixed types")
    return ARRAY_DELIMITER.join(map(_double, value))


_LISTS: dict[type, Convert] = {str: _strings, bool: _booleans, int: _longs, float: _doubles}


def _shape(record: NodeRecord | RelRecord, values: list[Any]) -> tuple[Any, ...]:
    """What puts two records with lists in one file: label or type, property names,
    value types, and each list's first element's type (None for an empty list)."""
    name = record.label if isinstance(record, NodeRecord) else record.type
    firsts = tuple(type(v[0]) if v else None for v in values if type(v) is list)
    return (name, *record.props, *map(type, values), *firsts)
