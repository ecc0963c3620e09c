"""An independent WebSocket server for wsprobe's command-line tests: Python's `websockets`.

Paths: /echo echoes (and agrees to the subprotocol chat.v2 when offered); /headers first sends
the request's headers as JSON (lower-case names); /private refuses the upgrade with 401.
Prints "listening on PORT" once ready, and exits when its standard input closes (the test
process ended) or after five minutes, whichever comes first.
"""

import asyncio
import http
import json
import sys

from websockets.asyncio.server import serve


async def handler(socket):
    if socket.request.path == "/headers":
        headers = {}
        for name, value in socket.request.headers.raw_items():
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        await socket.send(json.dumps(headers))
    async for message in socket:
        await socket.send(message)


def process_request(connection, request):
    if request.path == "/private":
        return connection.respond(http.HTTPStatus.UNAUTHORIZED, "no token, no socket\n")
    return None


def choose(connection, offered):
    return "chat.v2" if "chat.v2" in offered else None


async def main():
    async with serve(
        handler,
        "127.0.0.1",
        0,
        process_request=process_request,
        select_subprotocol=choose,
    ) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"listening on {port}", flush=True)
        loop = asyncio.get_running_loop()
        stdin = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)
        try:
            await asyncio.wait_for(stdin.read(), timeout=300)
        except asyncio.TimeoutError:
            pass


asyncio.run(main())
