"""Failures the benchmark found at 200-500 participants over two processes: a frame written to
a socket that has just closed, and hundreds of sockets joining at once. Neither may cost the
other participants a single op."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from boards.live.backends import Publication, RedisBackend
from boards.live.writer import FrameWriter
from tests.live.processes import redis_server

pytestmark = pytest.mark.redis


class ClosedTransportError(Exception):
    """What Daphne's send raises once the peer has gone (autobahn's Disconnected)."""


async def test_a_frame_for_a_closed_socket_is_dropped_without_raising() -> None:
    async def send(message: dict[str, Any]) -> None:
        raise ClosedTransportError("Attempt to send on a closed protocol")

    writer = FrameWriter(send)
    writer.write_text('{"type":"op"}')  # must not raise into the hub's delivery loop
    writer.write_text('{"type":"op"}')


class RecordingHub:
    """Stands in for BoardHub: the first delivery fails, as a socket closing under it would."""

    def __init__(self, board_id: str) -> None:
        self.board_id = board_id
        self.delivered: list[int] = []
        self.failures = 1
        self.two_delivered = asyncio.Event()

    def has_board(self, board_id: str) -> bool:
        return board_id == self.board_id

    def deliver(self, board_id: str, seq: int, frame: str, *args: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise ClosedTransportError("a socket closed while its frame was being written")
        self.delivered.append(seq)
        if len(self.delivered) == 2:
            self.two_delivered.set()

    def deliver_text(self, board_id: str, frame: str) -> None:
        pass


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url


async def test_the_redis_subscriber_survives_a_failed_delivery(redis_url, settings) -> None:
    settings.LIVE_PRESENCE_TTL = 30
    board_id = "0b7f3b1e-7a4e-4d5e-9a57-3c7d2f0f8a11"
    backend = RedisBackend(redis_url)
    hub = RecordingHub(board_id)
    backend.bind(hub, asyncio.get_running_loop())  # type: ignore[arg-type]
    try:
        await backend.sync_subscription(board_id)
        for seq in (1, 2, 3):
            publication = Publication(board_id, seq, "{}")
            await asyncio.to_thread(backend.publish_ops, hub, [publication])  # type: ignore[arg-type]
        await asyncio.wait_for(hub.two_delivered.wait(), 5)
        assert hub.delivered == [2, 3]
    finally:
        for task in list(backend._tasks):
            task.cancel()


async def test_hundreds_of_participants_joining_at_once_wait_for_a_connection(
    redis_url, settings
) -> None:
    settings.LIVE_PRESENCE_TTL = 30
    board_id = "5f0c7e52-2b0a-4c61-9f0e-8d7c1b2a3e44"
    backend = RedisBackend(redis_url)
    backend.bind(RecordingHub(board_id), asyncio.get_running_loop())  # type: ignore[arg-type]
    try:
        await asyncio.gather(
            *(
                backend.presence_add(board_id, {"id": f"u:{n}", "name": f"P{n}", "color": "#333"})
                for n in range(500)
            )
        )
        assert len(await backend.presence_list(board_id)) == 500
    finally:
        for task in list(backend._tasks):
            task.cancel()
