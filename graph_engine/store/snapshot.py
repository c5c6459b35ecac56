"""Snapshot files: a whole graph as JSON, readable by either store.

Format (version 1)::

    {"format": "graph_engine.snapshot", "version": 1,
     "nodes": [{"label": "User", "id": "usr_1", "props": {...}}, ...],
     "relationships": [{"type": "MEMBER_OF", "start": "usr_1", "end": "env_1", "props": {...}}]}

Datetimes are written as ``{"$datetime": "<ISO 8601>"}`` so they come back as
datetimes, not strings. A durable memory store also writes ``"journal": "<id>"``,
the last journal folded into the snapshot (store/memory/journal.py). The file holds
secrets' hashes and is written with mode 0600.

Both ways go one record at a time, so a snapshot of a million users never has to fit in
memory twice: :func:`write` takes the records as iterables and puts one per line;
:class:`Reader` parses the document element by element (any JSON layout, not only the
one written here) and yields the records in file order.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from graph_engine.errors import InvalidInput
from graph_engine.model import GraphData, NodeRecord, RelRecord
from graph_engine.store.records import as_datetime

FORMAT = "graph_engine.snapshot"
VERSION = 1


def _encode(value: Any) -> Any:
    if isinstance(value, datetime) or hasattr(value, "to_native"):
        return {"$datetime": as_datetime(value).isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def encode_props(props: dict[str, Any]) -> dict[str, Any]:
    """Properties as JSON values (datetimes tagged)."""
    return {k: _encode(v) for k, v in props.items()}


def decode_props(props: dict[str, Any]) -> dict[str, Any]:
    """Properties back from JSON values."""
    return {k: _decode(v) for k, v in props.items()}


def _check_format(head: dict[str, Any]) -> None:
    if head.get("format") != FORMAT or head.get("version") != VERSION:
        raise InvalidInput(
            "not a graph_engine snapshot (version 1)",
            details={"format": head.get("format"), "version": head.get("version")},
        )


def _node_record(n: dict[str, Any]) -> NodeRecord:
    return NodeRecord(n["label"], n["id"], {k: _decode(v) for k, v in n["props"].items()})


def _rel_record(r: dict[str, Any]) -> RelRecord:
    props = {k: _decode(v) for k, v in r["props"].items()}
    return RelRecord(r["type"], r["start"], r["end"], props)


def save(data: GraphData, path: Path, *, journal: str | None = None) -> None:
    """Write atomically and durably: a crash never leaves a truncated snapshot."""
    write(path, data.nodes, data.relationships, journal=journal)


def write(
    path: Path,
    nodes: Iterable[NodeRecord],
    relationships: Iterable[RelRecord],
    *,
    journal: str | None = None,
) -> None:
    """Write the records as a snapshot file, one per line, atomically and durably."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file readable by its owner only.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f'{{"format": {json.dumps(FORMAT)}, "version": {VERSION}, "nodes": [')
            _write_lines(
                fh, ({"label": n.label, "id": n.id, "props": encode_props(n.props)} for n in nodes)
            )
            fh.write('], "relationships": [')
            _write_lines(
                fh,
                (
                    {"type": r.type, "start": r.start, "end": r.end, "props": encode_props(r.props)}
                    for r in relationships
                ),
            )
            fh.write("]" if journal is None else f'], "journal": {json.dumps(journal)}')
            fh.write("}\n")
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise


def _write_lines(fh: IO[str], items: Iterable[dict[str, Any]]) -> None:
    separator = "\n"
    for item in items:
        fh.write(separator)
        fh.write(json.dumps(item))
        separator = ",\n"
    if separator != "\n":
        fh.write("\n")


def read(path: Path) -> tuple[GraphData, str | None]:
    """The graph in a snapshot file and the last journal folded into it."""
    reader = Reader(path)
    nodes: list[NodeRecord] = []
    relationships: list[RelRecord] = []
    for record in reader:
        if isinstance(record, NodeRecord):
            nodes.append(record)
        else:
            relationships.append(record)
    return GraphData(tuple(nodes), tuple(relationships)), reader.journal


def load(path: Path) -> GraphData:
    return read(path)[0]


class Reader:
    """A snapshot file's records, in file order, parsed one element at a time.

    Iterating reads the file; the format is checked as soon as it is read (and at the
    end, if the file does not say), and :attr:`journal` is set once the iteration ends.
    :attr:`nodes_done` turns true when the file's list of nodes has been read whole.
    Unreadable files raise ``INVALID_INPUT`` (``cannot read snapshot ...``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.journal: str | None = None
        self.nodes_done = False

    def __iter__(self) -> Iterator[NodeRecord | RelRecord]:
        try:
            with self.path.open(encoding="utf-8") as fh:
                yield from self._records(_Text(fh))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            # ValueError covers JSONDecodeError and UnicodeDecodeError.
            raise InvalidInput(f"cannot read snapshot {self.path}: {exc}") from exc

    def _records(self, text: _Text) -> Iterator[NodeRecord | RelRecord]:
        if text.peek() != "{":
            raise ValueError("not a JSON object")
        head: dict[str, Any] = {}
        for key in text.object_keys():
            if key in ("nodes", "relationships"):
                make = _node_record if key == "nodes" else _rel_record
                yield from (make(item) for item in text.items())
                self.nodes_done = self.nodes_done or key == "nodes"
            else:
                head[key] = text.value()
                if key in ("format", "version"):  # refuse a wrong one at once
                    _check_format({"format": FORMAT, "version": VERSION, **head})
        _check_format(head)
        journal = head.get("journal")
        self.journal = journal if isinstance(journal, str) else None


_DECODER = json.JSONDecoder()
_CHUNK = 1 << 20
_SPACE = frozenset(" \t\n\r")


class _Text:
    """The text of one JSON document, read a chunk at a time (whitespace as JSON allows)."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self._text = ""
        self._at = 0

    def _more(self) -> bool:
        chunk = self._fh.read(_CHUNK)
        if chunk:
            self._text = self._text[self._at :] + chunk
            self._at = 0
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            text, at = self._text, self._at
            while at < len(text) and text[at] in _SPACE:
                at += 1
            self._at = at
            if at < len(text):
                return text[at]
            if not self._more():
                return ""

    def take(self, expected: str) -> None:
        found = self.peek()
        if found != expected:
            msg = f"expected {expected!r} but found {found or 'the end'!r}"
            raise ValueError(msg)
        self._at += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise
            # A number at the end of the text may go on in the next chunk.
            if end == len(self._text) and self._more():
                continue
            self._at = end
            return value

    def _members(self, close: str) -> Iterator[None]:
        """Once per member of the object or array just opened, up to ``close``."""
        if self.peek() == close:
            self._at += 1
            return
        while True:
            yield
            if self.peek() != ",":
                break
            self._at += 1
        self.take(close)

    def object_keys(self) -> Iterator[str]:
        """The keys of the top-level object; the caller reads each one's value."""
        self.take("{")
        for _ in self._members("}"):
            key = self.value()
            if not isinstance(key, str):
                raise TypeError("an object key is not a string")
            self.take(":")
            yield key
        if self.peek():
            raise ValueError("extra data after the snapshot")

    def items(self) -> Iterator[Any]:
        """The elements of the array that comes next."""
        self.take("[")
        for _ in self._members("]"):
            yield self.value()
