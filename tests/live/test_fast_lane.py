"""Ops, cursor moves and pings over a real Daphne: handled as their frames are read (the
consumer's fast lane, boards.live.direct), with the same answers as the ASGI path gives."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from websockets.asyncio.client import ClientConnection, connect

from boards.models import Board, Card, Persona
from boards.protocol import FRAMES_BURST
from tests.live.conftest import card_op, session_cookie
from tests.live.processes import Daphne, wait_for_port
from tests.live.test_bad_input import BAD_FRAMES, op_with
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


async def test_a_bad_op_is_answered_as_the_asgi_path_answers_it(server, board, bob):
    """Ops are taken from the fast lane and answered there, bad ones too (an op sent on to the
    ASGI path could be applied after a later op of the same socket): the same codes as through
    the ASGI application (test_bad_input), in the participant's language."""
    socket = await join(server, board, bob, language="fr")
    bad_ops = {text: code for text, code in BAD_FRAMES.values() if '"type": "op"' in text}
    assert len(bad_ops) >= 6
    for text, code in bad_ops.items():
        await socket.send(text)
        error = await receive_type(socket, "error")
        assert error["code"] == code, text
    await socket.send(op_with(op="card.fly", args={}))
    error = await receive_type(socket, "error")
    with translation.override("fr"):
        assert error["message"] == _("Unknown operation “%(name)s”.") % {"name": "card.fly"}
    assert await Card.objects.filter(board=board).acount() == 0


async def test_a_sockets_ops_are_applied_in_the_order_sent(server, board, alice, bob, cell):
    """Sent in one burst, with refused ones among them: each is applied or refused, in order."""
    sender = await join(server, board, alice)
    watcher = await join(server, board, bob)
    sent = []
    for i in range(40):
        if i % 10 == 5:
            await sender.send(op_with(op="card.fly", args={}))
        else:
            op = card_op(cell, f"Card {i}")
            sent.append(op["id"])
            await sender.send(json.dumps(op))
    seen = [(await receive_type(watcher, "op", wait=10)) for _ in sent]
    assert [op["id"] for op in seen] == sent
    assert [op["seq"] for op in seen] == list(range(seen[0]["seq"], seen[0]["seq"] + len(sent)))
    assert [op["result"]["text"] for op in seen] == [f"Card {i}" for i in range(40) if i % 10 != 5]
    assert await Card.objects.filter(board=board).acount() == len(sent)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a lock that holds back a read")
async def test_an_op_is_applied_while_the_socket_waits_for_its_snapshot(server, board, alice, cell):
    """Through the ASGI path the op would wait until the `sync` before it is answered (a
    consumer handles one message at a time). The snapshot is held back by a lock on the
    personas table, which the op does not touch."""
    socket = await join(server, board, alice)

    def lock_personas() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Persona._meta.db_table} IN ACCESS EXCLUSIVE MODE")

    with held_in_another_thread(lock_personas) as locked:
        assert await asyncio.to_thread(locked.wait, 5)
        await socket.send(json.dumps({"type": "sync", "since": None}))
        await asyncio.sleep(0.3)  # the snapshot's read waits for the lock
        await socket.send(json.dumps(card_op(cell, "Not behind the snapshot")))
        for _wait in range(100):
            if await Card.objects.filter(text="Not behind the snapshot").aexists():
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the op waited for the snapshot")
    snapshot = await receive_type(socket, "snapshot")
    applied = await receive_type(socket, "op")
    # Committed during the read, after the snapshot's view of the board was taken (one
    # consistent read): the op follows the snapshot.
    assert applied["result"]["text"] == "Not behind the snapshot"
    assert applied["seq"] == snapshot["seq"] + 1
