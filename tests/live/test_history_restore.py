"""A whole version restored in place is one op on the live socket: everyone receives it with
every object it changed, in seq order like any other op."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async

from boards.selectors import board_snapshot
from history.services import version_create
from tests.live.conftest import add_card

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 15  # seconds; generous, other test runs share the machine


async def test_a_restore_reaches_everyone_as_one_op_with_its_changes(board, alice, bob, connect):
    version = await sync_to_async(version_create)(board_id=board.pk, name="Q1")
    added = await sync_to_async(add_card)(board, bob, "Added after Q1")
    alice_socket, _ = await connect(board, alice)
    bob_socket, welcome = await connect(board, bob)
    await alice_socket.sync(welcome["seq"])
    await bob_socket.sync(welcome["seq"])

    op_id = str(uuid.uuid4())
    await alice_socket.send(
        {
            "type": "op",
            "id": op_id,
            "op": "version.restore",
            "args": {"version_id": str(version.pk)},
        }
    )
    frame = await bob_socket.receive_type("op", WAIT)

    assert frame["id"] == op_id
    assert frame["seq"] == welcome["seq"] + 1
    [card] = frame["result"]["changes"]["cards"]
    assert (card["id"], card["deleted"]) == (added.result["id"], True)
    assert frame["result"]["before_version_id"]
    snapshot = await sync_to_async(board_snapshot)(board.pk)
    assert snapshot["cards"] == []
    assert (await alice_socket.receive_type("op", WAIT))["id"] == op_id


async def test_an_editor_is_refused_a_restore_and_nobody_hears_of_it(board, alice, bob, connect):
    version = await sync_to_async(version_create)(board_id=board.pk, name="Q1")
    alice_socket, welcome = await connect(board, alice)
    bob_socket, _ = await connect(board, bob)
    await alice_socket.sync(welcome["seq"])
    await bob_socket.sync(welcome["seq"])

    op_id = str(uuid.uuid4())
    await bob_socket.send(
        {
            "type": "op",
            "id": op_id,
            "op": "version.restore",
            "args": {"version_id": str(version.pk)},
        }
    )
    refused = await bob_socket.receive_type("error", WAIT)

    assert (refused["id"], refused["code"]) == (op_id, "forbidden")
    await alice_socket.nothing_more("op")
