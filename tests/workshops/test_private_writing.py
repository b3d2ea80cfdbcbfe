"""Private writing: a card written while it is on reaches its author only — never another
participant's socket, snapshot, catch-up or REST read — until the facilitator reveals all the
private cards at once."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async

from boards.ops import OpError
from boards.selectors import board_snapshot, ops_since
from boards.services import board_copy_as_future_state
from tests.api_client import api_url, client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Delivery fees are a scam"


async def synced_socket(connect, board, user):
    socket, _ = await connect(board, user)
    assert (await socket.sync(None))["type"] == "snapshot"
    return socket


async def test_a_private_card_reaches_only_its_authors_sockets(board, alice, bob, connect):
    run = sync_to_async(run_op)
    stage_id, lane_id = await sync_to_async(_first_cell)(board)
    await run(board, alice, "private.start")
    alice_socket = await synced_socket(connect, board, alice)
    bob_socket = await synced_socket(connect, board, bob)
    bob_tab = await synced_socket(connect, board, bob)

    created = await run(
        board, bob, "card.create", {"stage_id": stage_id, "lane_id": lane_id, "text": SECRET}
    )

    seen_by_alice = await alice_socket.receive_type("op")
    assert seen_by_alice == {
        "type": "op",
        "seq": created.seq,
        "id": "00000000-0000-0000-0000-000000000000",
        "actor": {"id": None, "name": ""},
        "op": "hidden",
        "args": {},
        "result": {},
    }
    for socket in (bob_socket, bob_tab):
        own = await socket.receive_type("op")
        assert own["result"]["text"] == SECRET
        assert own["id"] == created.client_op_id


async def test_a_private_card_stays_out_of_everyone_elses_reads(board, alice, bob, connect):
    run = sync_to_async(run_op)
    stage_id, lane_id = await sync_to_async(_first_cell)(board)
    await run(board, alice, "private.start")
    seq_before = (await run(board, alice, "timer.start", {"seconds": 60})).seq
    created = await run(
        board, bob, "card.create", {"stage_id": stage_id, "lane_id": lane_id, "text": SECRET}
    )
    await run(board, bob, "card.update", {"id": created.result["id"], "text": SECRET + "!"})

    # The snapshot and the catch-up a socket would be sent, and the REST reads.
    alice_id, bob_id = f"u:{alice.pk}", f"u:{bob.pk}"
    assert SECRET not in json.dumps(await sync_to_async(board_snapshot)(board.pk, viewer=alice_id))
    assert SECRET in json.dumps(await sync_to_async(board_snapshot)(board.pk, viewer=bob_id))
    missed = await sync_to_async(ops_since)(board.pk, seq_before, viewer=alice_id)
    assert [op.name for op in missed] == ["hidden", "hidden"]
    assert SECRET not in json.dumps([json.loads(op.frame) for op in missed])
    assert await sync_to_async(_rest_reads_mention)(board, alice, SECRET) is False
    assert await sync_to_async(_rest_reads_mention)(board, bob, SECRET) is True

    # A socket that catches up or starts afresh learns nothing either.
    socket, _ = await connect(board, alice)
    await socket.send({"type": "sync", "since": seq_before})
    frames = [await socket.receive(), await socket.receive(), await socket.receive()]
    assert [frame.get("op", frame["type"]) for frame in frames] == ["hidden", "hidden", "synced"]
    assert SECRET not in json.dumps(frames)
    assert SECRET not in json.dumps(await socket.sync(None))


def test_others_can_neither_change_nor_vote_on_a_private_card_they_cannot_see(board, alice, bob):
    stage_id, lane_id = _first_cell(board)
    run_op(board, alice, "private.start")
    run_op(board, alice, "vote.open", {"votes_per_participant": 3, "hide_results": False})
    card_id = run_op(board, bob, "card.create", {"stage_id": stage_id, "lane_id": lane_id}).result[
        "id"
    ]

    for name, args in [
        ("card.update", {"id": card_id, "text": "Hijacked"}),
        ("card.move", {"id": card_id, "after": None}),
        ("card.delete", {"id": card_id}),
        ("vote.add", {"card_id": card_id}),
        ("card.create", {"stage_id": stage_id, "lane_id": lane_id, "after": card_id}),
    ]:
        with pytest.raises(OpError) as refused:
            run_op(board, alice, name, args)
        assert refused.value.code == "not_found", name
        assert refused.value.message == "This item does not exist or was deleted."
    run_op(board, bob, "card.update", {"id": card_id, "text": "Mine to change"})


async def test_the_reveal_shows_every_private_card_to_everyone_at_once(board, alice, bob, connect):
    run = sync_to_async(run_op)
    stage_id, lane_id = await sync_to_async(_first_cell)(board)
    await run(board, alice, "private.start")
    cell = {"stage_id": stage_id, "lane_id": lane_id}
    bobs = await run(board, bob, "card.create", {**cell, "text": SECRET})
    alices = await run(board, alice, "card.create", {**cell, "text": "Alice's idea"})
    deleted = await run(board, bob, "card.create", {**cell, "text": "Second thoughts"})
    await run(board, bob, "card.delete", {"id": deleted.result["id"]})
    alice_socket = await synced_socket(connect, board, alice)

    reveal = await run(board, alice, "private.reveal")

    frame = await alice_socket.receive_type("op")
    assert frame["op"] == "private.reveal"
    assert frame["seq"] == reveal.seq
    assert {card["id"] for card in frame["result"]["cards"]} == {
        bobs.result["id"],
        alices.result["id"],
    }
    assert frame["result"]["workshop"]["private_writing"] is False
    snapshot = await sync_to_async(board_snapshot)(board.pk, viewer=f"u:{alice.pk}")
    assert SECRET in json.dumps(snapshot)
    # After the reveal, new cards and edits are public again.
    after = await run(board, bob, "card.update", {"id": bobs.result["id"], "text": "Public now"})
    assert (await alice_socket.receive_type("op"))["seq"] == after.seq


def _first_cell(board) -> tuple[str, str]:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    return str(stage.pk), str(lane.pk)


def _rest_reads_mention(board, user, text: str) -> bool:
    client = client_for(user)
    detail = client.get(api_url("board-detail", board.pk))
    log = client.get(api_url("board-ops", board.pk), {"since": 0, "limit": 1000})
    assert detail.status_code == log.status_code == 200
    return text in detail.content.decode() or text in log.content.decode()


def test_a_copy_of_the_board_leaves_other_peoples_private_cards_behind(board, alice, bob):
    stage_id, lane_id = _first_cell(board)
    run_op(board, alice, "private.start")
    cell = {"stage_id": stage_id, "lane_id": lane_id}
    run_op(board, bob, "card.create", {**cell, "text": SECRET})
    run_op(board, alice, "card.create", {**cell, "text": "Alice's own"})

    copy = board_copy_as_future_state(source=board, owner=alice, title="")

    assert [card.text for card in copy.cards.all()] == ["Alice's own"]
