"""The hub's order of ops on a board's local sockets: each seq once, in order, starting after the
seq the board had when its first socket here read it. Ops arrive after commit, from whichever
thread or process committed them, so the first to arrive need not be the next one."""

from __future__ import annotations

import asyncio

import pytest

from boards.live import hub as hub_module
from boards.live.backends import LocalBackend
from boards.live.direct import OutFrame
from boards.live.hub import BoardHub
from boards.protocol import ParticipantData

BOARD = "9c1f6a2e-4b7d-4e8a-a1b2-c3d4e5f60718"


class Recorder:
    def __init__(self) -> None:
        self.participant: ParticipantData = {"id": "u:1", "name": "Alice", "color": "#333"}
        self.seqs: list[int] = []

    def deliver_op(self, seq: int, frame: OutFrame) -> None:
        self.seqs.append(seq)

    def deliver_text(self, frame: OutFrame) -> None:
        pass


async def new_room() -> tuple[BoardHub, Recorder]:
    hub, socket = BoardHub(LocalBackend()), Recorder()
    await hub.register(BOARD, socket)
    return hub, socket


def op(hub: BoardHub, seq: int) -> None:
    hub.deliver(BOARD, seq, f'{{"type":"op","seq":{seq}}}')


async def test_a_new_room_starts_after_the_seq_its_first_socket_read() -> None:
    hub, socket = await new_room()
    # Committed in this order by two processes, arriving swapped, and one the reading covers.
    op(hub, 12)
    op(hub, 10)
    op(hub, 11)
    assert socket.seqs == []
    hub.start_from(BOARD, 10)
    assert socket.seqs == [11, 12]
    op(hub, 12)  # an echo, or a resend: once only
    op(hub, 13)
    assert socket.seqs == [11, 12, 13]


async def test_only_the_first_reading_counts() -> None:
    hub, socket = await new_room()
    hub.start_from(BOARD, 5)
    op(hub, 6)
    hub.start_from(BOARD, 9)  # a later socket's reading: the room is already going
    op(hub, 7)
    assert socket.seqs == [6, 7]


async def test_a_gap_after_the_start_waits_for_the_missing_op() -> None:
    hub, socket = await new_room()
    hub.start_from(BOARD, 20)
    op(hub, 22)
    assert socket.seqs == []
    op(hub, 21)
    assert socket.seqs == [21, 22]


async def test_without_a_reading_what_was_held_goes_out_in_order_after_the_gap_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hub_module, "GAP_WAIT_SECONDS", 0.05)
    hub, socket = await new_room()
    op(hub, 4)
    op(hub, 3)
    await asyncio.sleep(0.2)
    assert socket.seqs == [3, 4]
