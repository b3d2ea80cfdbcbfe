"""The write path's contract in its simplest form; the full matrix lives beside it."""

from __future__ import annotations

import pytest

from boards.models import Card, Op
from boards.ops import OpError, apply_op
from boards.permissions import Actor

pytestmark = pytest.mark.django_db


def first_cell(board):
    return board.stages.order_by("position").first(), board.lanes.order_by("position").first()


def test_it_creates_a_card_and_logs_the_op_with_the_next_seq(board, bob):
    stage, lane = first_cell(board)
    seq_before = board.seq

    applied = apply_op(
        board_id=board.pk,
        actor=Actor.for_user(bob),
        name="card.create",
        args={"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "Compare prices"},
    )

    assert applied.seq == seq_before + 1
    card = Card.objects.get(pk=applied.result["id"])
    assert card.text == "Compare prices"
    assert card.author == bob
    logged = Op.objects.get(board=board, seq=applied.seq)
    assert logged.name == "card.create"
    assert logged.result == applied.result


def test_it_rejects_a_wrong_type_and_writes_nothing(board, bob):
    stage, lane = first_cell(board)
    seq_before = board.seq

    with pytest.raises(OpError) as refused:
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(bob),
            name="card.create",
            args={"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": 42},
        )

    assert refused.value.code == "invalid"
    assert "text" in refused.value.details
    board.refresh_from_db()
    assert board.seq == seq_before
    assert not Card.objects.exists()
