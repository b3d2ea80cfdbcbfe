"""Cursor moves and pings over a real Daphne: handled as their frames are read (the consumer's
fast lane, boards.live.direct), with the same answers as the ASGI path gives."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.utils import translation
from django.utils.translation import gettext as _
from websockets.asyncio.client import ClientConnection, connect

from boards.models import Board
from boards.protocol import FRAMES_BURST
from tests.live.conftest import card_op, session_cookie
from tests.live.processes import Daphne, wait_for_port
from tests.locks import held_in_another_thread

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(board):
    # `board` first: its rows must be committed before the server reads them. No Redis: the
    # embedded defaults, one process.
    daphne = Daphne("")
    try:
        wait_for_port(daphne.port, daphne.process)
        yield daphne
    finally:
        daphne.stop()


async def join(server: Daphne, board, user, language: str = "en") -> ClientConnection:
    cookie = await sync_to_async(session_cookie)(user)
    socket = await connect(
        server.board_url(board.pk),
        origin=server.origin,
        additional_headers={"Cookie": f"{cookie}; django_language={language}"},
    )
    welcome = json.loads(await socket.recv())
    await socket.send(json.dumps({"type": "sync", "since": welcome["seq"]}))
    await receive_type(socket, "synced")
    return socket


async def receive_type(socket: ClientConnection, kind: str, wait: float = 5) -> dict[str, Any]:
    async with asyncio.timeout(wait):
        while True:
            frame = json.loads(await socket.recv())
            if frame["type"] == kind:
                return frame


async def test_a_cursor_move_reaches_the_others_at_the_next_tick(server, board, alice, bob):
    sender = await join(server, board, alice)
    watcher = await join(server, board, bob)
    await sender.send(json.dumps({"type": "presence", "cursor": {"x": 12, "y": 34.5}}))
    presence = await receive_type(watcher, "presence")
    assert presence["participants"] == [
        {"id": f"u:{alice.pk}", "cursor": {"x": 12, "y": 34.5}, "editing": None}
    ]


async def test_a_ping_is_answered_with_the_latest_seq(server, board, alice):
    socket = await join(server, board, alice)
    await socket.send(json.dumps({"type": "ping", "seq": 0}))
    assert (await receive_type(socket, "pong"))["seq"] == board.seq


async def test_a_bad_cursor_is_refused_in_the_participants_language(server, board, alice):
    socket = await join(server, board, alice, language="fr")
    await socket.send(json.dumps({"type": "presence", "cursor": {"x": "1", "y": 2}}))
    error = await receive_type(socket, "error")
    assert error["code"] == "bad_message"
    with translation.override("fr"):
        expected = _("“cursor” must be null or an object with numbers x and y.")
    assert expected.startswith("«")
    assert error["message"] == expected


async def test_only_a_facilitator_may_summon(server, board, bob):
    socket = await join(server, board, bob)  # an editor
    await socket.send(json.dumps({"type": "presence", "summon": {"x": 1, "y": 2}}))
    assert (await receive_type(socket, "error"))["code"] == "forbidden"


async def test_cursor_moves_count_against_the_frame_rate_limit(server, board, alice):
    socket = await join(server, board, alice)
    move = json.dumps({"type": "presence", "cursor": {"x": 1, "y": 1}})
    for _move in range(FRAMES_BURST + 20):
        await socket.send(move)
    assert (await receive_type(socket, "error"))["code"] == "rate_limited"


async def test_a_ping_is_answered_while_the_socket_waits_for_its_op(server, board, alice, cell):
    """The frame is taken as it is read, not in the consumer's turn: through the ASGI path a
    ping would wait until the op before it is applied (a consumer handles one message at a
    time). The op is held back by a transaction that keeps the board locked."""
    socket = await join(server, board, alice)

    def lock_the_board() -> Board:
        return Board.objects.select_for_update().get(pk=board.pk)

    with held_in_another_thread(lock_the_board) as locked:
        assert await asyncio.to_thread(locked.wait, 5)
        await socket.send(json.dumps(card_op(cell, "Waits for the board")))
        await asyncio.sleep(0.3)  # the op has reached the database and waits for the lock
        await socket.send(json.dumps({"type": "ping", "seq": 0}))
        before_pong = []
        async with asyncio.timeout(3):
            while (frame := json.loads(await socket.recv()))["type"] != "pong":
                before_pong.append(frame["type"])
        assert "op" not in before_pong
    applied = await receive_type(socket, "op")
    assert applied["result"]["text"] == "Waits for the board"
