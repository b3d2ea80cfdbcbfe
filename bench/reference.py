"""The bare reference: a `websockets` broadcast server speaking just enough of protocol v1.

No Django, no database, no auth. It answers `welcome`, `sync` (with `synced`) and `ping`;
stamps each `op` with the next seq and broadcasts one encoded frame to every socket, the sender
included; coalesces presence and flushes it at the same tick as the real hub. Whatever the
real server costs beyond this is the price of the Python stack, persistence and auth.

    python -m bench.reference --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import signal
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast, serve

# Copies of boards.protocol's constants: importing it would pull in Django, which this server
# must run without.
PROTOCOL_VERSION = 1
PRESENCE_TICK_SECONDS = 0.1
_ids = itertools.count(1)


def encode(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


class ReferenceBoard:
    def __init__(self) -> None:
        self.seq = 0
        self.sockets: set[ServerConnection] = set()
        self.pending_presence: dict[str, dict[str, Any]] = {}

    async def handle(self, socket: ServerConnection) -> None:
        participant = {
            "id": f"r:{next(_ids)}",
            "name": "participant",
            "color": "#888888",
            "role": "editor",
        }
        self.sockets.add(socket)
        try:
            await socket.send(
                encode(
                    {
                        "type": "welcome",
                        "protocol": PROTOCOL_VERSION,
                        "board_id": "reference",
                        "seq": self.seq,
                        "you": participant,
                        "participants": [],
                    }
                )
            )
            async for text in socket:
                await self.receive(socket, participant, json.loads(text))
        finally:
            self.sockets.discard(socket)

    async def receive(
        self, socket: ServerConnection, participant: dict[str, str], message: dict[str, Any]
    ) -> None:
        kind = message.get("type")
        if kind == "op":
            self.seq += 1
            frame = {
                "type": "op",
                "seq": self.seq,
                "id": message.get("id"),
                "actor": {"id": participant["id"], "name": participant["name"]},
                "op": message.get("op"),
                "args": message.get("args"),
                "result": message.get("args"),
            }
            broadcast(self.sockets, encode(frame))
        elif kind == "presence":
            self.pending_presence[participant["id"]] = {
                "id": participant["id"],
                "cursor": message.get("cursor"),
                "editing": message.get("editing"),
            }
        elif kind == "ping":
            await socket.send(encode({"type": "pong", "seq": self.seq}))
        elif kind == "sync":
            await socket.send(encode({"type": "synced", "seq": self.seq}))

    async def flush_presence(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(PRESENCE_TICK_SECONDS)
            if self.pending_presence:
                entries = list(self.pending_presence.values())
                self.pending_presence.clear()
                broadcast(self.sockets, encode({"type": "presence", "participants": entries}))


async def serve_reference(port: int) -> None:
    board = ReferenceBoard()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with serve(
        board.handle, "127.0.0.1", port, compression=None, ping_interval=None, max_size=2**20
    ):
        await board.flush_presence(stop)


def main() -> None:
    parser = argparse.ArgumentParser(description="bare websockets broadcast reference server")
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve_reference(parser.parse_args().port))


if __name__ == "__main__":
    main()
