"""A tick's presence frame goes out in turns of the event loop, a few sockets each, so that an
op arriving meanwhile (from a client, from Redis) is not held behind the largest frame the
board sends; and a slow loop never leaves a socket with an older frame after a newer one."""

from __future__ import annotations

import asyncio
import json

import pytest

from boards.live import hub as hub_module
from boards.live.backends import LocalBackend
from boards.live.direct import OutFrame
from boards.live.hub import BoardHub

BOARD = "5d0b3c1e-8f2a-4c6d-9e7f-a1b2c3d4e5f6"
TURN = 4


class Recorder:
    """A socket that writes down what it is sent, in order, on a log shared by all of them."""

    def __init__(self, number: int, log: list[tuple[int, str]]) -> None:
        self.number = number
        self.participant = {"id": f"u:{number}", "name": f"P{number}", "color": "#333"}
        self.log = log

    def deliver_op(self, seq: int, frame: OutFrame) -> None:
        self.log.append((self.number, f"op {seq}"))

    def deliver_text(self, frame: OutFrame) -> None:
        message = json.loads(frame.text)
        if message["type"] != "presence":
            self.log.append((self.number, message["type"]))
            return
        cursors = sorted(entry["cursor"]["x"] for entry in message["participants"])
        self.log.append((self.number, f"presence {cursors}"))


@pytest.fixture
def turn(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(hub_module, "PRESENCE_SOCKETS_PER_TURN", TURN)
    return TURN


async def room_of(count: int) -> tuple[BoardHub, list[Recorder], list[tuple[int, str]]]:
    hub, log = BoardHub(LocalBackend()), []
    sockets = [Recorder(number, log) for number in range(count)]
    for socket in sockets:
        await hub.register(BOARD, socket)
    hub.start_from(BOARD, 0)
    return hub, sockets, log


def move(hub: BoardHub, socket: Recorder, x: float) -> None:
    hub.update_presence(
        BOARD, {"id": socket.participant["id"], "cursor": {"x": x, "y": 0}, "editing": None}
    )


def received(log: list[tuple[int, str]], number: int) -> list[str]:
    return [what for who, what in log if who == number]


async def next_turn() -> None:
    await asyncio.sleep(0)


async def test_an_op_reaches_everyone_before_the_rest_of_the_presence_frame(turn: int) -> None:
    hub, sockets, log = await room_of(3 * turn + 1)
    move(hub, sockets[0], 1.0)
    hub._flush_presence()  # the tick
    assert len(log) == turn  # the first turn only
    hub.deliver(BOARD, 1, '{"type":"op","seq":1}')
    assert sorted(who for who, what in log if what == "op 1") == list(range(len(sockets)))
    for _ in range(3):
        await next_turn()
    # Everyone had the presence frame once, and the op once.
    for socket in sockets:
        assert sorted(received(log, socket.number)) == ["op 1", "presence [1.0]"]


async def test_a_newer_tick_replaces_a_frame_still_going_out(turn: int) -> None:
    hub, sockets, log = await room_of(3 * turn)
    move(hub, sockets[0], 1.0)
    hub._flush_presence()
    move(hub, sockets[1], 2.0)
    hub._flush_presence()  # before the first frame's second turn
    for _ in range(5):
        await next_turn()
    seen = {socket.number: received(log, socket.number) for socket in sockets}
    # The first turn had the older frame; everyone else the newer one only, never the older
    # frame after the newer one.
    assert sorted(seen.values()) == (
        [["presence [1.0]", "presence [2.0]"]] * turn + [["presence [2.0]"]] * (2 * turn)
    )


async def test_a_socket_that_leaves_between_turns_is_not_written_to(turn: int) -> None:
    hub, sockets, log = await room_of(2 * turn)
    move(hub, sockets[0], 1.0)
    hub._flush_presence()
    # One the first turn did not reach yet.
    gone = next(socket for socket in sockets if not received(log, socket.number))
    await hub.unregister(BOARD, gone)
    for _ in range(3):
        await next_turn()
    assert "presence [1.0]" not in received(log, gone.number)
    for socket in (socket for socket in sockets if socket is not gone):
        assert [what for what in received(log, socket.number) if what != "leave"] == [
            "presence [1.0]"
        ]


async def test_the_last_socket_leaving_stops_the_turns(turn: int) -> None:
    hub, sockets, log = await room_of(2 * turn)
    move(hub, sockets[0], 1.0)
    hub._flush_presence()
    for socket in sockets:
        await hub.unregister(BOARD, socket)
    for _ in range(3):
        await next_turn()
    assert len([what for _, what in log if what.startswith("presence")]) == turn
    assert not hub.has_board(BOARD)
