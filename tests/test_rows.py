"""Rows updated by hand on the write path (boards/rows.py) store what `save(update_fields=...)`
would, and nothing else."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction

from boards.models import Board, Card
from boards.ops import apply_op
from boards.permissions import Actor
from boards.rows import update_row


@pytest.fixture
def card(board: Board) -> Card:
    stage, lane = board.stages.order_by("position")[1], board.lanes.order_by("position")[0]
    created = apply_op(
        board_id=board.pk,
        actor=Actor.for_user(board.owner),
        name="card.create",
        args={"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "Compare prices"},
    )
    return Card.objects.get(pk=created.result["id"])


def test_only_the_named_fields_are_stored_and_auto_now_moves(card: Card, board: Board) -> None:
    before = Card.objects.get(pk=card.pk)
    other_lane = board.lanes.order_by("position")[2]
    card.text = "Compare prices — « livraison offerte »"
    card.brand_controlled = True
    card.lane_id = other_lane.pk  # named by its attname, as card.move does
    card.emotion_score = -2  # changed in memory only
    update_row(card, ["text", "brand_controlled", "lane_id", "updated_at"])
    stored = Card.objects.get(pk=card.pk)
    assert stored.text == "Compare prices — « livraison offerte »"
    assert stored.brand_controlled is True
    assert stored.lane_id == other_lane.pk
    assert stored.emotion_score == before.emotion_score
    assert stored.updated_at == card.updated_at > before.updated_at


def test_a_field_without_auto_now_keeps_the_value_given(card: Card) -> None:
    card.version = 7
    update_row(card, ["version"])
    assert Card.objects.get(pk=card.pk).version == 7


def test_a_row_that_is_gone_raises_as_the_orm_does(card: Card) -> None:
    Card.objects.filter(pk=card.pk).delete()
    card.text = "lost"
    with pytest.raises(DatabaseError), transaction.atomic():
        update_row(card, ["text"])
    with pytest.raises(DatabaseError), transaction.atomic():
        card.save(update_fields=["text"])


def test_the_primary_key_cannot_be_updated(card: Card) -> None:
    with pytest.raises(AssertionError):
        update_row(card, ["id"])
