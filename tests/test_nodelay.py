"""Every connection sends small answers at once (``TCP_NODELAY``), whoever made the socket,
and an answer leaves in one write.

asyncio turns Nagle's algorithm off only on sockets it knows for TCP; the socket uvicorn
hands its workers is not one of them (its protocol number is 0), and an answer written
in two parts then waited for the client's delayed acknowledgement. The server's own
protocol (:class:`graph_engine.server.HttpProtocol`) turns it off on every connection,
and joins what one turn of the event loop writes (an answer's head and body) into one
write.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import pytest
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from graph_engine import server

Scope = MutableMapping[str, Any]


async def hello(
    scope: Scope,
    receive: Callable[[], Awaitable[Scope]],
    send: Callable[[Scope], Awaitable[None]],
) -> None:
    if scope["type"] != "http":
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


async def nagle_of_a_connection(protocol: type[asyncio.Protocol]) -> int:
    """Serve one request with ``protocol`` on a socket made as a worker's is (protocol
    number 0); the server side's TCP_NODELAY while the connection is open."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, like a worker's
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    served = uvicorn.Server(uvicorn.Config(hello, http=protocol, log_level="warning"))
    task = asyncio.create_task(served.serve(sockets=[sock]))
    try:
        # The socket listens already: the kernel holds the connection until it is served.
        reader, writer = await asyncio.open_connection(*sock.getsockname())
        writer.write(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
        await reader.readuntil(b"ok")
        (connection,) = served.server_state.connections
        transport = getattr(connection, "transport")  # noqa: B009 - not in the protocol's type
        value = transport.get_extra_info("socket").getsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY
        )
        writer.close()
        return int(value)
    finally:
        served.should_exit = True
        await task
        sock.close()


@pytest.mark.parametrize(
    ("protocol", "nagle_off"), [(server.HttpProtocol, True), (HttpToolsProtocol, False)]
)
async def test_every_connection_has_nagle_off_on_a_workers_socket(
    protocol: type[asyncio.Protocol], nagle_off: bool
) -> None:
    # uvicorn's own protocol shows the trap; ours does not fall into it.
    assert bool(await nagle_of_a_connection(protocol)) is nagle_off


def test_the_listening_socket_is_made_for_tcp() -> None:
    sock = server.bind("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
    finally:
        sock.close()


class Counting:
    """A transport's stand-in that counts and keeps what is written to it."""

    def __init__(self, transport: Any) -> None:
        self.transport = transport
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)
        self.transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


async def test_an_answer_leaves_in_one_write_and_a_closing_one_is_sent_whole() -> None:
    sock = server.bind("127.0.0.1", 0)
    served = uvicorn.Server(uvicorn.Config(hello, http=server.HttpProtocol, log_level="warning"))
    task = asyncio.create_task(served.serve(sockets=[sock]))
    try:
        reader, writer = await asyncio.open_connection(*sock.getsockname())
        writer.write(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
        await reader.readuntil(b"ok")
        (connection,) = served.server_state.connections
        coalesced = getattr(connection, "transport")  # noqa: B009 - not in the protocol's type
        assert isinstance(coalesced, server.Coalesced)
        counting = Counting(coalesced.transport)
        coalesced.transport = counting  # type: ignore[assignment]
        # Two more on the kept-alive connection: each answer is one write, head and body.
        for _ in range(2):
            writer.write(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
            await reader.readuntil(b"ok")
        assert len(counting.writes) == 2
        assert all(w.startswith(b"HTTP/1.1 200 OK") and w.endswith(b"ok") for w in counting.writes)
        # An answer that ends the connection still arrives whole before it closes.
        writer.write(b"GET / HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
        rest = await reader.read()
        assert rest.startswith(b"HTTP/1.1 200 OK")
        assert rest.endswith(b"ok")
        writer.close()
    finally:
        served.should_exit = True
        await task
        sock.close()
