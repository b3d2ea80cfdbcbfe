"""Whatever a client sends, it gets an `error` frame: the connection stays open and the board
does not change."""

from __future__ import annotations

import json
import uuid

import pytest

from boards.models import Board, Card
from boards.ops.limits import CARD_TEXT_MAX_CHARS
from boards.protocol import MAX_FRAME_BYTES, OPS_BURST
from tests.live.conftest import card_op

pytestmark = pytest.mark.django_db(transaction=True)


def op_with(**fields):
    return json.dumps({"type": "op", "id": str(uuid.uuid4()), "op": "card.update", **fields})


BAD_FRAMES = {
    "not JSON": ("{not json", "bad_message"),
    "a JSON array": ("[1, 2]", "bad_message"),
    "a JSON string": ('"op"', "bad_message"),
    "no type": ('{"since": 0}', "bad_message"),
    "an unknown type": ('{"type": "teleport"}', "bad_message"),
    "an unknown op": (op_with(op="card.fly", args={}), "invalid"),
    "an op without id": ('{"type": "op", "op": "card.create", "args": {}}', "bad_message"),
    "an op id that is no UUID": (
        '{"type": "op", "id": "x", "op": "card.create", "args": {}}',
        "bad_message",
    ),
    "args that are a list": (op_with(args=[1]), "bad_message"),
    "an op name that is a number": (op_with(op=7, args={}), "bad_message"),
    "missing op fields": (op_with(args={}), "invalid"),
    "a wrong field type": (op_with(args={"id": "not-a-uuid", "text": 3}), "invalid"),
    "sync with a string": ('{"type": "sync", "since": "10"}', "bad_message"),
    "sync with a negative seq": ('{"type": "sync", "since": -1}', "bad_message"),
    "sync without since": ('{"type": "sync"}', "bad_message"),
    "ping without seq": ('{"type": "ping"}', "bad_message"),
    "presence with a bad cursor": (
        '{"type": "presence", "cursor": {"x": "1"}, "editing": null}',
        "bad_message",
    ),
    "presence editing a number": (
        '{"type": "presence", "cursor": null, "editing": 5}',
        "bad_message",
    ),
    "an oversized frame": (
        json.dumps({"type": "presence", "padding": "x" * MAX_FRAME_BYTES}),
        "too_large",
    ),
}


@pytest.mark.parametrize("frame", BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
async def test_a_bad_frame_gets_an_error_and_the_socket_stays_open(board, bob, connect, frame):
    text, code = frame
    socket, welcome = await connect(board, bob)

    await socket.send_text(text)

    error = await socket.receive_type("error")
    assert error["code"] == code
    assert error["message"]
    await socket.send({"type": "ping", "seq": 0})
    assert (await socket.receive_type("pong"))["type"] == "pong"
    assert (await Board.objects.aget(pk=board.pk)).seq == welcome["seq"]


async def test_a_binary_frame_gets_an_error(board, bob, connect):
    socket, _ = await connect(board, bob)

    await socket.communicator.send_to(bytes_data=b"\x00\x01")

    assert (await socket.receive_type("error"))["code"] == "bad_message"


async def test_text_longer_than_the_limit_is_invalid(board, bob, connect, cell):
    socket, _ = await connect(board, bob)
    op = card_op(cell, "x" * (CARD_TEXT_MAX_CHARS + 1))

    await socket.send(op)

    error = await socket.receive_type("error")
    assert error["id"] == op["id"]
    assert error["code"] == "invalid"
    assert "text" in error["details"]
    assert not await Card.objects.filter(board=board).aexists()


async def test_a_flood_of_ops_is_rate_limited(board, bob, connect):
    socket, _ = await connect(board, bob)
    sent = OPS_BURST + 40

    for _ in range(sent):
        await socket.send({"type": "op", "id": str(uuid.uuid4()), "op": "card.fly", "args": {}})
    codes = [(await socket.receive_type("error"))["code"] for _ in range(sent)]

    assert codes.count("invalid") >= OPS_BURST
    assert codes.count("rate_limited") >= 20
    await socket.send({"type": "ping", "seq": 0})
    assert (await socket.receive_type("pong"))["type"] == "pong"
