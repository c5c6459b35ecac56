"""Running the API: one process, or several workers behind one port on Neo4j.

What an operator meets at start (issue: fail fast and say so):

* a bad setting stops the command with one line naming it (``SettingsError``);
* the port is bound before anything is printed as ready, and a port in use is one
  line saying so;
* an unreachable Neo4j is one line saying what to check, after a bounded wait;
* ``--workers N`` runs N processes on one port (uvicorn's), each with its own driver.
  The API keeps no state of its own on Neo4j, so any worker answers any request;
  the memory store lives in one process and is refused.

Every connection has Nagle's algorithm off (:class:`HttpProtocol`): asyncio sets
``TCP_NODELAY`` only on sockets it knows for TCP, and the socket uvicorn hands its
workers is not one of them, so an answer written in two parts waited for the
client's delayed acknowledgement (some 40 ms). What one turn of the event loop
writes leaves as one send (:class:`Coalesced`): uvicorn writes an answer's head and
body apart, which with Nagle off were two segments and two system calls. The
event loop is uvloop and the HTTP parser httptools (dependencies, named in the
server's configuration): each saves Python work on every request.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from graph_engine.settings import Settings
from graph_engine.store.base import GraphStore

# How long start-up waits for Neo4j before it gives up and says so.
PREFLIGHT_TIMEOUT_S = 10.0


class ServeError(RuntimeError):
    """Why the server cannot start, in one line."""


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with Nagle's algorithm off on every connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        no_delay(transport.get_extra_info("socket"))
        super().connection_made(Coalesced(transport))  # type: ignore[arg-type]


class Coalesced:
    """A transport whose writes within one turn of the event loop leave as one write.

    Everything else is the wrapped transport's; closing sends what is pending first.
    """

    def __init__(self, transport: asyncio.Transport) -> None:
        self.transport = transport
        self.pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self.pending:
            asyncio.get_running_loop().call_soon(self.flush)
        self.pending.append(bytes(data))

    def flush(self) -> None:
        if self.pending:
            data = b"".join(self.pending)
            self.pending.clear()
            if not self.transport.is_closing():
                self.transport.write(data)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def write_eof(self) -> None:
        self.flush()
        self.transport.write_eof()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


def no_delay(sock: socket.socket | None) -> None:
    """Send small answers at once (``TCP_NODELAY``) on a TCP socket; others are left."""
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or :class:`ServeError` saying why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        msg = f"cannot listen on {host}:{port}: {exc.strerror or exc} (is something else there?)"
        raise ServeError(msg) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


async def _reachable(store: GraphStore) -> bool:
    try:
        return await asyncio.wait_for(store.ping(), timeout=PREFLIGHT_TIMEOUT_S)
    except TimeoutError:
        return False
    finally:
        await store.close()


@contextmanager
def _quiet() -> Iterator[None]:
    """Hush the driver's retry warnings and the store's own: the one line says it all."""
    # By level, which the driver's child loggers (neo4j.pool, neo4j.io, …) inherit.
    loggers = [logging.getLogger(name) for name in ("neo4j", "graph_engine.store")]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before, strict=True):
            logger.setLevel(level)


def preflight(settings: Settings) -> None:
    """Stop with one line when the store cannot be reached (Neo4j gone, wrong URI)."""
    if settings.in_memory:
        return
    with _quiet():
        reachable = asyncio.run(_reachable(settings.open_store()))
    if not reachable:
        msg = (
            f"cannot reach Neo4j at {settings.neo4j_uri}: check that it runs"
            " (graph-engine neo4j status), the URI (GRAPH_ENGINE_NEO4J_URI or --neo4j) and"
            " the credentials (GRAPH_ENGINE_NEO4J_USER, _PASSWORD)"
        )
        raise ServeError(msg)


def configure_logging() -> None:
    """Access lines (JSON, one per request) to stdout; the engine's warnings to stderr."""
    access = logging.getLogger("graph_engine.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    engine = logging.getLogger("graph_engine")
    if not engine.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        engine.addHandler(handler)
        engine.setLevel(logging.WARNING)
    # The driver warns at every retry; the store logs one line per failure that matters.
    logging.getLogger("neo4j").setLevel(logging.ERROR)


def export(settings: Settings) -> None:
    """Put the settings a worker needs into the environment it inherits."""
    values = {
        "GRAPH_ENGINE_NEO4J_URI": settings.neo4j_uri,
        "GRAPH_ENGINE_HOST": settings.host,
        "GRAPH_ENGINE_PORT": str(settings.port),
    }
    os.environ.update({k: v for k, v in values.items() if v is not None})
