"""The socket ``graph-engine serve`` listens on: answers leave at once on kept-alive
connections.

asyncio turns Nagle's algorithm off (``TCP_NODELAY``) only on connections accepted from
a socket that says it is TCP. Without it, a response written in two parts (headers,
then body) waited for the client's delayed ACK: about 40 ms per request on a kept-alive
connection.
"""

from __future__ import annotations

import asyncio
import socket

from graph_engine.server import bind


async def test_accepted_connections_have_nagle_off() -> None:
    loop = asyncio.get_running_loop()
    seen: asyncio.Future[int] = loop.create_future()

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted = transport.get_extra_info("socket")
            seen.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    listening = bind("127.0.0.1", 0)
    server = await loop.create_server(Probe, sock=listening)  # as uvicorn does with it
    async with server:
        _, writer = await asyncio.open_connection(*listening.getsockname())
        assert await asyncio.wait_for(seen, timeout=5) != 0
        writer.close()
        await writer.wait_closed()
