"""The local Neo4j that a bulk load may stop and start again: what the store needs of it.

The engine itself never starts, stops or watches a server process. The development tools
(``devtools/``, package ``graph_engine_devtools``: ``graph-engine neo4j start``, the tests,
the benchmarks) do, and they offer the servers they run through the entry-point group
:data:`ENTRY_POINTS`: a function of a Bolt URI that answers the server listening there, if
it is one of theirs. Without the development tools installed there is no such server, and
``restore`` and ``import`` load online, as into any other Neo4j.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

ENTRY_POINTS = "graph_engine.local_neo4j"


class LocalServerError(RuntimeError):
    """A local server could not stop, start or be reached.

    Parameters
    ----------
    reason
        One line saying what went wrong.
    log_tail
        The last lines of the server's logs, when there are any; empty otherwise.
    """

    def __init__(self, reason: str, log_tail: str = "") -> None:
        self.reason = reason
        self.log_tail = log_tail
        super().__init__(f"{reason}\n{log_tail}" if log_tail else reason)


class LocalServer(Protocol):
    """A Neo4j started on this machine whose store files the bulk load may write."""

    @property
    def home(self) -> Path:
        """The instance folder: ``conf``, ``data``, ``logs``, ``import``."""
        ...

    def stopped(self) -> AbstractContextManager[Path]:
        """Stop the server for the block (yielding its data folder) and start it again
        after it, on the same port with the same settings; raises
        :class:`LocalServerError` when it does not stop or start."""
        ...

    def admin_argv(self, *args: str) -> tuple[list[str], dict[str, str]]:
        """The command line and environment of ``neo4j-admin ARGS`` for this server."""
        ...


def local_server(uri: str) -> LocalServer | None:
    """The local server listening at ``uri``, if the development tools run one there."""
    for point in entry_points(group=ENTRY_POINTS):
        found: LocalServer | None = point.load()(uri)
        if found is not None:
            return found
    return None
