"""What participants see when they edit sticky notes together: field-level last-writer-wins,
compare-and-set for integrations, tombstones that never resurrect, and placement in cells."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User

from boards.models import Board, BoardTemplate, Guest, Op, Role, ShareLink
from boards.ops import AppliedOp, OpError, apply_op
from boards.permissions import Actor
from boards.selectors import board_snapshot
from boards.services import board_create
from tests.live.conftest import add_card

pytestmark = pytest.mark.django_db


class Session:
    """Sends ops to alice's board as one user, like a connected client."""

    def __init__(self, board: Board, user: User) -> None:
        self.board, self.actor = board, Actor.for_user(user)

    def send(self, name: str, **args: Any) -> AppliedOp:
        return apply_op(board_id=self.board.pk, actor=self.actor, name=name, args=args)

    def refused(self, name: str, **args: Any) -> OpError:
        seq_before = Board.objects.get(pk=self.board.pk).seq
        with pytest.raises(OpError) as refusal:
            self.send(name, **args)
        assert Board.objects.get(pk=self.board.pk).seq == seq_before
        return refusal.value


@pytest.fixture
def alice_session(board: Board, alice: User) -> Session:
    return Session(board, alice)


@pytest.fixture
def bob_session(board: Board, bob: User) -> Session:
    return Session(board, bob)


def cells(board: Board) -> tuple[list[str], list[str]]:
    return (
        [str(pk) for pk in board.stages.order_by("position").values_list("pk", flat=True)],
        [str(pk) for pk in board.lanes.order_by("position").values_list("pk", flat=True)],
    )


def texts_in_cell(board: Board, stage_id: str, lane_id: str) -> list[str]:
    """The cell's cards as the board shows them: snapshot order."""
    return [
        card["text"]
        for card in board_snapshot(board.pk)["cards"]
        if card["stage_id"] == stage_id and card["lane_id"] == lane_id
    ]


@pytest.fixture
def card(board: Board, alice_session: Session) -> dict[str, Any]:
    stages, lanes = cells(board)
    return alice_session.send(
        "card.create", stage_id=stages[0], lane_id=lanes[0], text="Slow checkout"
    ).result


def test_it_keeps_both_changes_when_two_people_edit_different_fields(
    card: dict[str, Any], alice_session: Session, bob_session: Session
) -> None:
    alice_session.send("card.update", id=card["id"], text="Very slow checkout")
    bobs = bob_session.send("card.update", id=card["id"], color="red", emotion_score=-2)

    # The result is the whole card, so bob's client rebases onto alice's text.
    assert bobs.result["text"] == "Very slow checkout"
    assert bobs.result["color"] == "red"
    assert bobs.result["emotion_score"] == -2
    assert bobs.result["version"] == card["version"] + 2
    assert bobs.result["author_name"] == "alice"


def test_it_lets_the_later_writer_win_on_the_same_field_and_logs_what_was_overwritten(
    card: dict[str, Any], alice_session: Session, bob_session: Session
) -> None:
    alice_session.send("card.update", id=card["id"], text="Alice's wording")
    bobs = bob_session.send("card.update", id=card["id"], text="Bob's wording", color="yellow")

    assert bobs.result["text"] == "Bob's wording"
    logged = Op.objects.get(board=alice_session.board, seq=bobs.seq)
    # Only what actually changed is kept: colour was already yellow.
    assert logged.before == {"text": "Alice's wording"}
    shown = board_snapshot(alice_session.board.pk)["cards"]
    assert [c["text"] for c in shown] == ["Bob's wording"]


def test_it_refuses_a_stale_compare_and_set_with_the_current_card(
    card: dict[str, Any], alice_session: Session, bob_session: Session
) -> None:
    alice_session.send("card.update", id=card["id"], text="Changed meanwhile")

    refusal = bob_session.refused(
        "card.update", id=card["id"], text="Based on v1", if_version=card["version"]
    )

    assert refusal.code == "conflict"
    assert refusal.current["text"] == "Changed meanwhile"
    assert refusal.current["version"] == card["version"] + 1
    fresh = bob_session.send(
        "card.update", id=card["id"], text="Rebased", if_version=refusal.current["version"]
    )
    assert fresh.result["text"] == "Rebased"


def test_it_never_resurrects_a_deleted_card_with_a_late_update_or_move(
    board: Board, card: dict[str, Any], alice_session: Session, bob_session: Session
) -> None:
    stages, _ = cells(board)
    alice_session.send("card.delete", id=card["id"])

    late_update = bob_session.refused("card.update", id=card["id"], text="Too late")
    late_move = bob_session.refused("card.move", id=card["id"], stage_id=stages[1])

    assert (late_update.code, late_move.code) == ("not_found", "not_found")
    assert board_snapshot(board.pk)["cards"] == []


def test_it_brings_a_deleted_card_back_on_restore(
    board: Board, card: dict[str, Any], alice_session: Session
) -> None:
    alice_session.send("card.delete", id=card["id"])
    restored = alice_session.send("card.restore", id=card["id"])

    assert restored.result["deleted"] is False
    assert [c["text"] for c in board_snapshot(board.pk)["cards"]] == ["Slow checkout"]
    assert alice_session.refused("card.restore", id=card["id"]).code == "not_found"
    assert alice_session.send("card.update", id=card["id"], text="Back").result["text"] == "Back"


def test_it_moves_a_card_to_another_cell(
    board: Board, card: dict[str, Any], bob_session: Session
) -> None:
    stages, lanes = cells(board)

    moved = bob_session.send("card.move", id=card["id"], stage_id=stages[2], lane_id=lanes[3])

    assert (moved.result["stage_id"], moved.result["lane_id"]) == (stages[2], lanes[3])
    assert texts_in_cell(board, stages[0], lanes[0]) == []
    assert texts_in_cell(board, stages[2], lanes[3]) == ["Slow checkout"]
    logged = Op.objects.get(board=board, seq=moved.seq)
    assert logged.before["stage_id"] == stages[0]
    assert logged.before["lane_id"] == lanes[0]


def test_it_refuses_moving_a_card_into_a_deleted_stage(
    board: Board, card: dict[str, Any], alice_session: Session
) -> None:
    stages, _ = cells(board)
    alice_session.send("stage.delete", id=stages[1])

    assert alice_session.refused("card.move", id=card["id"], stage_id=stages[1]).code == (
        "not_found"
    )


def test_a_new_card_is_answered_as_the_board_then_shows_it(
    board: Board, bob_session: Session
) -> None:
    """`card.create` answers from what it wrote, without reading the card back: every field,
    the defaults and the author's name must be what a snapshot then reads."""
    stages, lanes = cells(board)
    plain = bob_session.send("card.create", stage_id=stages[0], lane_id=lanes[0]).result
    full = bob_session.send(
        "card.create",
        id=str(uuid.uuid4()),
        stage_id=stages[1],
        lane_id=lanes[2],
        text="Delivery slot  gone ",
        color="red",
        emotion_score=-2,
        channel="app",
        brand_controlled=False,
        touchpoint_state="desired",
        moment_of_truth=True,
    ).result

    shown = {card["id"]: card for card in board_snapshot(board.pk)["cards"]}
    assert plain == shown[plain["id"]]
    assert full == shown[full["id"]]
    assert (full["author_name"], full["version"], full["deleted"]) == ("bob", 1, False)


def test_it_refuses_a_card_in_a_cell_that_is_gone_or_with_an_id_already_taken(
    board: Board, alice: User, alice_session: Session
) -> None:
    stages, lanes = cells(board)
    alice_session.send("lane.delete", id=lanes[1])
    taken = alice_session.send("card.create", stage_id=stages[0], lane_id=lanes[0]).result["id"]
    elsewhere = Board.objects.exclude(pk=board.pk)
    assert not elsewhere.exists()

    in_deleted_lane = alice_session.refused("card.create", stage_id=stages[0], lane_id=lanes[1])
    no_such_stage = alice_session.refused(
        "card.create", stage_id=str(uuid.uuid4()), lane_id=lanes[0]
    )
    same_id = alice_session.refused(
        "card.create", id=taken, stage_id=stages[0], lane_id=lanes[0], text="Copy"
    )
    # A lane id where a stage is expected is not a stage.
    crossed = alice_session.refused("card.create", stage_id=lanes[0], lane_id=lanes[0])

    assert (in_deleted_lane.code, no_such_stage.code, crossed.code) == ("not_found",) * 3
    assert same_id.code == "invalid"
    assert texts_in_cell(board, stages[0], lanes[0]) == [""]


def test_it_places_cards_where_they_are_asked_to_go(board: Board, bob_session: Session) -> None:
    stages, lanes = cells(board)
    cell = {"stage_id": stages[0], "lane_id": lanes[0]}
    a = bob_session.send("card.create", **cell, text="A").result
    b = bob_session.send("card.create", **cell, text="B").result
    c = bob_session.send("card.create", **cell, text="C").result
    assert texts_in_cell(board, **cell) == ["A", "B", "C"]

    bob_session.send("card.move", id=c["id"], after=a["id"])
    assert texts_in_cell(board, **cell) == ["A", "C", "B"]

    bob_session.send("card.move", id=b["id"], after=None)
    assert texts_in_cell(board, **cell) == ["B", "A", "C"]

    bob_session.send("card.create", **cell, text="D", after=a["id"])
    assert texts_in_cell(board, **cell) == ["B", "A", "D", "C"]

    # Moving into another cell after one of its cards.
    other = {"stage_id": stages[1], "lane_id": lanes[0]}
    x = bob_session.send("card.create", **other, text="X").result
    bob_session.send("card.create", **other, text="Y")
    bob_session.send("card.move", id=a["id"], **other, after=x["id"])
    assert texts_in_cell(board, **other) == ["X", "A", "Y"]
    assert texts_in_cell(board, **cell) == ["B", "D", "C"]


def test_it_orders_two_inserts_at_the_same_spot_the_same_way_for_everyone(
    board: Board, alice_session: Session, bob_session: Session
) -> None:
    stages, lanes = cells(board)
    cell = {"stage_id": stages[0], "lane_id": lanes[0]}
    first = alice_session.send("card.create", **cell, text="first").result
    alice_session.send("card.create", **cell, text="last")

    # Both clients drop a card right after "first": the server applies them in seq order.
    alice_session.send("card.create", **cell, text="alice's", after=first["id"])
    bob_session.send("card.create", **cell, text="bob's", after=first["id"])
    assert texts_in_cell(board, **cell) == ["first", "bob's", "alice's", "last"]

    # Two clients computing the same key locally: equal keys fall back to the id, so every
    # snapshot (and every client sorting the same way) agrees.
    same = {**cell, "position": "a5"}
    one = alice_session.send("card.create", **same, text="one").result
    two = bob_session.send("card.create", **same, text="two").result
    tied = sorted([one, two], key=lambda c: c["id"])
    shown = texts_in_cell(board, **cell)
    assert shown.index(tied[0]["text"]) < shown.index(tied[1]["text"])
    assert shown == texts_in_cell(board, **cell)


def test_it_records_the_author_and_the_actor_of_each_change(
    board: Board, card: dict[str, Any], bob_session: Session
) -> None:
    edited = bob_session.send("card.update", id=card["id"], moment_of_truth=True)

    assert edited.result["author_name"] == "alice"
    assert edited.actor["name"] == "bob"
    assert edited.message["actor"]["id"] == f"u:{bob_session.actor.user_id}"


def test_an_edit_shows_the_author_of_the_card_whoever_it_is(
    board: Board, alice: User, alice_session: Session
) -> None:
    """The write path reads a card with its author's name in one statement (boards.ops.cards):
    a user, a share-link guest, or nobody any more."""
    link = ShareLink.objects.create(
        board=board, role=Role.EDITOR, token_hash="1" * 64, created_by=alice
    )
    guest = Guest.objects.create(board=board, share_link=link, display_name="Zoé", color="teal")
    stages, lanes = cells(board)
    stage_id, lane_id = stages[0], lanes[0]
    created = apply_op(
        board_id=board.pk,
        actor=Actor.for_guest(guest),
        name="card.create",
        args={"stage_id": stage_id, "lane_id": lane_id, "text": "Guest's card"},
    )
    assert (created.result["author_id"], created.result["author_name"]) == (f"g:{guest.pk}", "Zoé")

    edited = alice_session.send("card.update", id=created.result["id"], text="Edited by alice")
    assert (edited.result["author_id"], edited.result["author_name"]) == (f"g:{guest.pk}", "Zoé")

    mine = alice_session.send("card.create", stage_id=stage_id, lane_id=lane_id, text="Mine")
    moved = alice_session.send("card.move", id=mine.result["id"], after=None)
    assert (moved.result["author_id"], moved.result["author_name"]) == (f"u:{alice.pk}", "alice")

    guest.delete()
    orphan = alice_session.send("card.update", id=created.result["id"], text="Author gone")
    assert (orphan.result["author_id"], orphan.result["author_name"]) == (None, "")
    deleted = alice_session.send("card.delete", id=mine.result["id"])
    restored = alice_session.send("card.restore", id=mine.result["id"])
    assert deleted.result["deleted"] is True
    assert restored.result["author_name"] == "alice"
    assert alice_session.refused("card.update", id=str(uuid.uuid4()), text="?").code == "not_found"


def test_a_card_op_on_a_card_of_another_board_or_on_no_card_changes_nothing(
    board: Board, alice: User, alice_session: Session
) -> None:
    """The card a card op names is read with the board's lock, from its raw arguments
    (`OpSpec.read_ahead`): whatever they hold, the answer is the one the op's checks give."""
    other = board_create(
        owner=alice,
        title="Other journey",
        language="en",
        template=BoardTemplate.objects.get(key="six-stages"),
    )
    foreign = add_card(other, alice, "Elsewhere").result

    assert alice_session.refused("card.update", id=foreign["id"], text="Mine").code == "not_found"
    assert alice_session.refused("card.delete", id=foreign["id"]).code == "not_found"
    for garbage in (42, None, "not-a-uuid", ["a"], {"id": foreign["id"]}):
        assert alice_session.refused("card.update", id=garbage, text="?").code == "invalid"
    assert alice_session.refused("card.move", after=None).code == "invalid"
    assert board_snapshot(other.pk)["cards"][0]["text"] == "Elsewhere"
