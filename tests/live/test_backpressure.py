"""A socket whose client stops acknowledging ops is closed with CLOSE_RESYNC instead of letting
its frames pile up in the server, and catches up by sync when it returns."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from boards import consumers
from boards.protocol import CLOSE_RESYNC
from tests.live.conftest import add_card

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 10


@pytest.fixture(autouse=True)
def small_lag_limit(monkeypatch):
    monkeypatch.setattr(consumers, "MAX_UNACKED_OPS", LIMIT)


async def test_a_reader_that_stops_acknowledging_is_closed_with_resync(board, alice, bob, connect):
    slow, welcome = await connect(board, bob)
    await slow.sync(welcome["seq"])

    for n in range(LIMIT + 5):
        await sync_to_async(add_card)(board, alice, f"card {n}")

    frames = [await slow.receive() for _ in range(LIMIT + 2)]
    assert [frame["type"] for frame in frames] == ["op"] * (LIMIT + 1) + ["<closed>"]
    assert frames[-1]["code"] == CLOSE_RESYNC
    await slow.nothing_more()

    again, _ = await connect(board, bob)
    await again.send({"type": "sync", "since": frames[-2]["seq"]})
    missed = await again.receive_ops(4)
    assert [op["seq"] for op in missed] == list(range(frames[-2]["seq"] + 1, welcome["seq"] + 16))
    assert (await again.receive())["type"] == "synced"


async def test_a_reader_that_acknowledges_keeps_its_socket(board, alice, bob, connect):
    reader, welcome = await connect(board, bob)
    await reader.sync(welcome["seq"])

    for n in range(3 * LIMIT):
        applied = await sync_to_async(add_card)(board, alice, f"card {n}")
        op = await reader.receive_type("op")
        await reader.send({"type": "ping", "seq": op["seq"]})
        assert (await reader.receive_type("pong"))["seq"] == applied.seq
