"""The memory store's journal: every acknowledged write survives a crash.

A memory store opened on a snapshot file ``graph.json`` keeps ``graph.json.journal``
beside it. Each write operation appends one frame there, and flushes it to disk
(``fsync``), before it returns; so a request is answered only once its write is on
disk. At start the journal is replayed on top of the snapshot and folded into it
(compaction); at stop the graph is saved and the journal starts afresh.

File layout: frames of ``<length:u32 big-endian><crc32:u32><payload>``. The first
frame names the journal (a random id); each later frame is one write: the
operation's name, its arguments and the audit event it carried. A torn or corrupt
frame at the end (the crash came mid-append) ends the journal: its write was never
acknowledged. The snapshot records the id of the last journal folded into it, so a
crash between saving the snapshot and starting a new journal never replays twice.

Payloads are pickled and read back by an unpickler that builds only the engine's
own classes and plain values; the file is written with mode 0600.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import pickle
import secrets
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

from graph_engine import audit
from graph_engine.errors import InvalidInput, StoreUnavailable
from graph_engine.model import Principal

_HEADER = struct.Struct(">II")
# A frame bigger than this is a corrupt length, not a write (imports are cut in batches).
_MAX_FRAME = 1 << 30


def journal_path(snapshot: Path) -> Path:
    """Where the journal of the snapshot file ``snapshot`` lives."""
    return snapshot.with_name(snapshot.name + ".journal")


@dataclass(frozen=True)
class Event:
    """An audit event as a write carried it (what replay needs to write it again)."""

    action: str
    request_id: str
    at: datetime
    caller: Principal | None
    ids: tuple[str, ...]
    event_id: str

    @classmethod
    def of(cls, event: audit.Pending) -> Event:
        return cls(
            event.action, event.request_id, event.at, event.who(), tuple(event.ids), event.event_id
        )

    def pending(self) -> audit.Pending:
        caller = self.caller
        return audit.Pending(
            action=self.action,
            request_id=self.request_id,
            at=self.at,
            who=lambda: caller,
            ids=list(self.ids),
            event_id=self.event_id,
        )


@dataclass(frozen=True)
class Write:
    """One journaled write: ``operation(*args, **kwargs)`` with its audit event pending."""

    operation: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    event: Event | None = None


class _Unpickler(pickle.Unpickler):
    """Builds the engine's own classes and plain values, nothing else."""

    _ALLOWED: ClassVar[dict[str, set[str]]] = {
        "builtins": {"set", "frozenset", "tuple", "list", "dict", "object", "bytearray"},
        "copyreg": {"_reconstructor", "__newobj__"},
        "datetime": {"datetime", "date", "timedelta", "timezone"},
        # Time zones of parsed input (GraphQL DateTime values) come back as they were.
        "dateutil.tz.tz": {"tzutc", "tzoffset"},
        "zoneinfo": {"ZoneInfo._unpickle"},
    }

    def find_class(self, module: str, name: str) -> Any:
        found = super().find_class(module, name)
        if name in self._ALLOWED.get(module, ()):
            return found
        if module.startswith("graph_engine.") and isinstance(found, type):
            return found
        msg = f"the journal names {module}.{name}, which is not the engine's"
        raise pickle.UnpicklingError(msg)


def _loads(payload: bytes) -> Any:
    return _Unpickler(io.BytesIO(payload)).load()


def _frame(value: Any) -> bytes:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def _frames(fh: BinaryIO) -> Iterator[tuple[int, Any]]:
    """Each whole frame with the offset just after it; stops at a torn or corrupt one."""
    offset = 0
    while True:
        header = fh.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        length, crc = _HEADER.unpack(header)
        if length > _MAX_FRAME:
            return
        payload = fh.read(length)
        if len(payload) < length or zlib.crc32(payload) != crc:
            return
        offset += _HEADER.size + length
        yield offset, _loads(payload)


def read(path: Path) -> tuple[str | None, list[Write]]:
    """The journal's id and its whole writes (``(None, [])`` when there is none)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return None, []
    with fh:
        frames = [value for _, value in _frames(fh)]
    if not frames:
        return None, []
    head, *writes = frames
    if not isinstance(head, dict) or "journal" not in head:
        raise InvalidInput(f"{path} is not a graph_engine journal")
    return str(head["journal"]), [w for w in writes if isinstance(w, Write)]


class Journal:
    """The open journal of one durable memory store (held by one process at a time)."""

    def __init__(self, path: Path, *, sync: bool = True) -> None:
        self.path = path
        self.sync = sync
        self._lock_file = _take_lock(path)
        self.id = ""
        # Writes appended since the journal started (none: the snapshot is current).
        self.count = 0
        self._fh: BinaryIO | None = None

    def start(self) -> None:
        """Begin a new, empty journal (after its predecessor was folded into the snapshot)."""
        self.id = secrets.token_hex(8)
        tmp = self.path.with_name(self.path.name + ".new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_frame({"journal": self.id}))
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(self.path)
        _sync_folder(self.path.parent)
        if self._fh is not None:
            self._fh.close()
        self._fh = self.path.open("ab")
        self.count = 0

    def append(self, write: Write) -> None:
        """Put ``write`` on disk; raises STORE_UNAVAILABLE when the disk refuses."""
        if self._fh is None:
            raise StoreUnavailable("the memory store's journal is closed")
        try:
            self._fh.write(_frame(write))
            self._fh.flush()
            if self.sync:
                os.fsync(self._fh.fileno())
            self.count += 1
        except OSError as exc:
            raise StoreUnavailable(f"the journal {self.path} cannot be written: {exc}") from exc

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._lock_file.close()


def _take_lock(path: Path) -> BinaryIO:
    """One writer per snapshot: a second server on the same file is refused at start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    fh = lock_path.open("ab")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        msg = f"{path.with_suffix('')} is in use by another graph-engine process"
        raise InvalidInput(msg) from None
    return fh


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (the folder's entry, not only the file)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
