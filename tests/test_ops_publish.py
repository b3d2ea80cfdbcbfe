"""An op is committed before anyone hears of it, and is heard of exactly once: the write path
hands each applied op to the live layer after its transaction commits, never for a change that
was rolled back, refused, or already applied."""

from __future__ import annotations

import json
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from boards.models import Board
from boards.ops import AppliedOp, OpError, apply_op
from boards.permissions import Actor

pytestmark = pytest.mark.django_db(transaction=True)


class Rollback(Exception):
    pass


def stage_create(board: Board, user: User, title: str, op_id: uuid.UUID | None = None) -> AppliedOp:
    return apply_op(
        board_id=board.pk,
        actor=Actor.for_user(user),
        name="stage.create",
        args={"title": title},
        client_op_id=op_id,
    )


def test_it_publishes_an_op_once_and_only_after_its_transaction_commits(
    board: Board, bob: User, heard: list[AppliedOp]
) -> None:
    with transaction.atomic():
        applied = stage_create(board, bob, "Returns")
        assert heard == []

    assert heard == [applied]
    frame = json.loads(heard[0].frame)
    assert frame["type"] == "op"
    assert frame["seq"] == applied.seq
    assert frame["op"] == "stage.create"
    assert frame["result"]["title"] == "Returns"


def test_it_publishes_nothing_when_the_surrounding_transaction_rolls_back(
    board: Board, bob: User, heard: list[AppliedOp]
) -> None:
    seq_before = board.seq

    def write_then_fail() -> None:
        with transaction.atomic():
            stage_create(board, bob, "Never happened")
            raise Rollback

    with pytest.raises(Rollback):
        write_then_fail()

    assert heard == []
    assert Board.objects.get(pk=board.pk).seq == seq_before
    assert not board.stages.filter(title="Never happened").exists()


def test_it_publishes_nothing_for_a_refused_or_duplicate_op(
    board: Board, bob: User, charlie: User, heard: list[AppliedOp]
) -> None:
    op_id = uuid.uuid4()
    first = stage_create(board, bob, "Returns", op_id)
    with pytest.raises(OpError):
        stage_create(board, charlie, "Outsider's")
    with pytest.raises(OpError):
        stage_create(board, bob, "x" * 1000)

    duplicate = stage_create(board, bob, "Returns", op_id)

    assert duplicate.duplicate is True
    assert [applied.seq for applied in heard] == [first.seq]


def test_it_publishes_consecutive_ops_in_seq_order(board: Board, heard: list[AppliedOp]) -> None:
    seq_before = board.seq
    for title in ("Returns", "Refund", "Review"):
        stage_create(board, board.owner, title)

    assert [applied.seq for applied in heard] == [seq_before + 1, seq_before + 2, seq_before + 3]
