"""The board socket through the real ASGI application: access, ops, catch-up, presence."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import OperationalError
from django.utils import translation

from boards import selectors
from boards.live import batcher
from boards.live.access import GUEST_SESSION_KEY
from boards.live.control import adisconnect_participant
from boards.live.hub import get_hub
from boards.models import Board, Card, Guest, Membership, Role, ShareLink
from boards.ops import pipeline
from boards.protocol import (
    CLOSE_FORBIDDEN,
    CLOSE_REMOVED,
    CLOSE_SERVER_ERROR,
    CLOSE_UNAUTHENTICATED,
)
from tests.live.conftest import Socket, add_card, card_op

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_welcomes_a_member_with_the_seq_and_who_is_here(board, alice, bob, connect):
    _, first = await connect(board, alice)
    _, welcome = await connect(board, bob)

    assert welcome["type"] == "welcome"
    assert welcome["protocol"] == 1
    assert welcome["board_id"] == str(board.pk)
    assert welcome["seq"] == board.seq
    assert welcome["you"] == {
        "id": f"u:{bob.pk}",
        "name": "bob",
        "color": welcome["you"]["color"],
        "role": "editor",
    }
    assert {p["id"] for p in welcome["participants"]} == {f"u:{alice.pk}", f"u:{bob.pk}"}
    assert first["you"]["role"] == "owner"


async def test_it_closes_an_outsiders_socket_with_4403_before_any_data(board, charlie, connect):
    socket = Socket(board, await sync_to_async(_cookie)(charlie))
    connected, _ = await socket.communicator.connect()

    assert connected
    assert await socket.receive() == {"type": "<closed>", "code": CLOSE_FORBIDDEN}


async def test_it_closes_an_anonymous_socket_with_4401(board):
    socket = Socket(board, None)
    await socket.communicator.connect()

    assert await socket.receive() == {"type": "<closed>", "code": CLOSE_UNAUTHENTICATED}


async def test_it_closes_with_4403_for_a_board_that_does_not_exist(alice):
    missing = Board(pk=uuid.uuid4())
    socket = Socket(missing, await sync_to_async(_cookie)(alice))
    await socket.communicator.connect()

    assert await socket.receive() == {"type": "<closed>", "code": CLOSE_FORBIDDEN}


async def test_an_op_reaches_everyone_and_is_the_senders_ack(board, alice, bob, connect, cell):
    sender, _ = await connect(board, bob)
    other, _ = await connect(board, alice)
    await sender.sync(board.seq)
    await other.sync(board.seq)
    op = card_op(cell, "Compare prices")

    await sender.send(op)

    ack = await sender.receive_type("op")
    seen = await other.receive_type("op")
    assert ack == seen
    assert ack["id"] == op["id"]
    assert ack["seq"] == board.seq + 1
    assert ack["actor"] == {"id": f"u:{bob.pk}", "name": "bob"}
    assert ack["result"]["text"] == "Compare prices"
    await sender.nothing_more("op")


async def test_a_viewer_op_is_forbidden_and_changes_nothing(board, charlie, connect, cell):
    await Membership.objects.acreate(board=board, user=charlie, role=Role.VIEWER)
    socket, welcome = await connect(board, charlie)
    await socket.sync(welcome["seq"])
    op = card_op(cell, "Sneaky")

    await socket.send(op)

    error = await socket.receive_type("error")
    assert error["id"] == op["id"]
    assert error["code"] == "forbidden"
    assert not await Card.objects.filter(board=board).aexists()
    assert (await Board.objects.aget(pk=board.pk)).seq == welcome["seq"]


async def test_an_invalid_op_gets_the_field_errors(board, bob, connect, cell):
    socket, welcome = await connect(board, bob)
    await socket.sync(welcome["seq"])
    op = card_op(cell, "x")
    op["args"]["emotion_score"] = 7

    await socket.send(op)

    error = await socket.receive_type("error")
    assert error["code"] == "invalid"
    assert "emotion_score" in error["details"]


async def test_errors_are_in_the_users_language(board, bob, connect, monkeypatch):
    # The French catalogue is not compiled yet: tag each message with the active language.
    monkeypatch.setattr(pipeline, "_", lambda text: f"[{translation.get_language()}] {text}")
    socket, _ = await connect(board, bob, language="fr-FR,fr;q=0.9,en;q=0.5")

    await socket.send({"type": "op", "id": str(uuid.uuid4()), "op": "card.fly", "args": {}})

    error = await socket.receive_type("error")
    assert error["code"] == "invalid"
    assert "card.fly" in error["message"]
    assert error["message"].startswith("[fr] ")


async def test_sync_replays_exactly_the_ops_missed(board, alice, bob, connect):
    since = board.seq
    for n in range(5):
        await sync_to_async(add_card)(board, alice, f"card {n}")
    socket, _ = await connect(board, bob)

    await socket.send({"type": "sync", "since": since + 2})

    ops = await socket.receive_ops(3)
    assert [op["seq"] for op in ops] == [since + 3, since + 4, since + 5]
    assert [op["result"]["text"] for op in ops] == ["card 2", "card 3", "card 4"]
    assert await socket.receive() == {"type": "synced", "seq": since + 5}


async def test_sync_without_a_seq_gets_a_snapshot(board, alice, bob, connect):
    await sync_to_async(add_card)(board, alice)
    socket, _ = await connect(board, bob)

    snapshot = await socket.sync(None)

    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == board.seq + 1
    assert [card["text"] for card in snapshot["cards"]] == ["Compare prices"]
    assert len(snapshot["stages"]) == 6


async def test_sync_too_far_behind_gets_a_snapshot(board, alice, bob, connect, monkeypatch):
    monkeypatch.setattr(selectors, "CATCH_UP_MAX_OPS", 3)
    since = board.seq
    for n in range(4):
        await sync_to_async(add_card)(board, alice, f"card {n}")
    socket, _ = await connect(board, bob)

    snapshot = await socket.sync(since)

    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == since + 4
    assert len(snapshot["cards"]) == 4


async def test_a_write_from_sync_code_reaches_connected_sockets(board, alice, bob, connect):
    socket, welcome = await connect(board, bob)
    await socket.sync(welcome["seq"])

    applied = await sync_to_async(add_card)(board, alice, "From the REST API")

    op = await socket.receive_type("op")
    assert op["seq"] == applied.seq
    assert op["result"]["text"] == "From the REST API"


async def test_an_op_id_sent_twice_is_applied_once(board, bob, connect, cell):
    socket, welcome = await connect(board, bob)
    await socket.sync(welcome["seq"])
    op = card_op(cell, "Only once")

    await socket.send(op)
    first = await socket.receive_type("op")
    await socket.send(op)
    second = await socket.receive_type("op")

    assert second == first
    assert await Card.objects.filter(board=board).acount() == 1
    assert (await Board.objects.aget(pk=board.pk)).seq == first["seq"]


async def test_ops_committed_while_sockets_connect_arrive_once_each(board, alice, bob, connect):
    """The seam between the state a socket reads and the live stream: no op may fall in
    between, none may arrive twice."""
    total = 40
    stop = threading.Event()

    def write_continuously() -> None:
        for n in range(total):
            add_card(board, alice, f"card {n}")
        stop.set()

    writer = asyncio.get_running_loop().run_in_executor(None, write_continuously)
    sockets = []
    for _ in range(6):
        socket, welcome = await connect(board, bob)
        since = welcome["seq"] - (len(sockets) % 3)  # some ask for a little history too
        first = await socket.sync(since)
        assert first["type"] in ("op", "synced")
        sockets.append((socket, since, first))
        await asyncio.sleep(0.01)
    await writer
    final = board.seq + total

    for socket, since, first in sockets:
        seqs = [first["seq"]] if first["type"] == "op" else []
        reached = first["seq"]
        while reached < final:
            frame = await socket.receive()
            if frame["type"] == "op":
                seqs.append(frame["seq"])
            reached = max(reached, frame.get("seq", 0))
        assert seqs == list(range(since + 1, final + 1)), (since, first)
        await socket.nothing_more("op")


async def test_presence_is_batched_per_tick(board, alice, bob, connect):
    mover, welcome = await connect(board, bob)
    watcher, _ = await connect(board, alice)
    await mover.sync(welcome["seq"])
    await watcher.sync(welcome["seq"])

    for x in range(30):
        await mover.send({"type": "presence", "cursor": {"x": x, "y": 1.5}, "editing": None})

    frames = []
    while True:
        frame = await watcher.receive_type("presence")
        frames.append(frame)
        if frame["participants"][-1]["cursor"]["x"] == 29:
            break
    assert len(frames) <= 3
    assert frames[-1]["participants"] == [
        {"id": f"u:{bob.pk}", "cursor": {"x": 29, "y": 1.5}, "editing": None}
    ]


async def test_join_and_leave_are_announced(board, alice, bob, connect):
    watcher, welcome = await connect(board, alice)
    await watcher.sync(welcome["seq"])

    other, _ = await connect(board, bob)
    joined = await watcher.receive_type("join")
    await other.close()
    left = await watcher.receive_type("leave")

    assert joined["participant"]["id"] == f"u:{bob.pk}"
    assert left == {"type": "leave", "participant_id": f"u:{bob.pk}"}


async def test_a_socket_leaves_the_board_even_when_the_channel_layer_fails(
    board, alice, bob, connect, monkeypatch
):
    """Channels leaves the groups before `disconnect` and skipped it when that raised (Redis
    unreachable, its pool full): the participant stayed on the board for everyone."""
    watcher, welcome = await connect(board, alice)
    await watcher.sync(welcome["seq"])
    other, _ = await connect(board, bob)
    await watcher.receive_type("join")

    async def unreachable(group: str, channel: str) -> None:
        raise ConnectionError("Redis is unreachable")

    monkeypatch.setattr(get_channel_layer(), "group_discard", unreachable)
    await other.close()

    left = await watcher.receive_type("leave")
    assert left == {"type": "leave", "participant_id": f"u:{bob.pk}"}
    assert [p["id"] for p in await get_hub().participants(str(board.pk))] == [f"u:{alice.pk}"]


async def test_a_share_link_guest_connects_with_the_guest_session(board, alice, connect, cell):
    guest = await sync_to_async(_guest)(board, alice)
    cookie = await sync_to_async(_guest_cookie)(board, guest)
    socket = Socket(board, cookie)
    welcome = await socket.open()
    try:
        await socket.sync(welcome["seq"])
        await socket.send(card_op(cell, "Guest idea"))
        op = await socket.receive_type("op")
    finally:
        await socket.close()

    assert welcome["you"]["id"] == f"g:{guest.pk}"
    assert welcome["you"]["role"] == "editor"
    assert op["actor"] == {"id": f"g:{guest.pk}", "name": "Dana"}


async def test_removing_a_participant_closes_their_sockets(board, alice, bob, connect):
    socket, _ = await connect(board, bob)
    watcher, _ = await connect(board, alice)

    await adisconnect_participant(board.pk, f"u:{bob.pk}")

    assert await socket.receive_type("<closed>") == {"type": "<closed>", "code": CLOSE_REMOVED}
    await watcher.communicator.send_to(text_data='{"type": "ping", "seq": 0}')
    assert (await watcher.receive_type("pong"))["type"] == "pong"


def _cookie(user):
    from tests.live.conftest import session_cookie

    return session_cookie(user)


def _guest(board, alice) -> Guest:
    link = ShareLink.objects.create(
        board=board, role=Role.EDITOR, token_hash=uuid.uuid4().hex, created_by=alice
    )
    return Guest.objects.create(board=board, share_link=link, display_name="Dana", color="#123")


def _guest_cookie(board, guest) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    session = client.session
    session[GUEST_SESSION_KEY] = {str(board.pk): str(guest.pk)}
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


async def test_an_op_that_fails_unanswered_closes_the_socket_and_its_resend_applies_once(
    board, bob, connect, cell, monkeypatch
):
    """When the write path fails without an answer (the database or the apply process lost),
    whether the op committed is not known: the socket closes with 1011, and the client,
    reconnecting, resends the op under its id."""
    applying = batcher.apply_ops

    def lost_once(board_id, requests):
        monkeypatch.setattr(batcher, "apply_ops", applying)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(batcher, "apply_ops", lost_once)
    socket, welcome = await connect(board, bob)
    await socket.sync(welcome["seq"])
    op = card_op(cell, "Sent again")
    await socket.send(op)
    assert await socket.receive_type("<closed>") == {"type": "<closed>", "code": CLOSE_SERVER_ERROR}

    again, welcome = await connect(board, bob)
    await again.sync(welcome["seq"])
    await again.send(op)
    applied = await again.receive_type("op")
    assert applied["id"] == op["id"]
    assert applied["result"]["text"] == "Sent again"
    assert await Card.objects.filter(board=board).acount() == 1
