"""The statements one card edit costs: every live edit pays them, hundreds of times a second in
a large workshop (docs/performance.md). A hook or a handler that adds a query per op shows here."""

from __future__ import annotations

import pytest
from django.db import connection

from boards.ops import apply_op
from boards.permissions import Actor
from tests.live.conftest import add_card, first_cell
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

# Lock the board (with its workshop and the sender's membership), card, card update, board seq,
# op log: 5 statements, plus BEGIN/COMMIT where the backend logs them. (The op id is checked by
# the log's unique key, and looked up only when an op fails: boards.ops.pipeline.)
CARD_UPDATE_QUERIES = 7


# Lock the board, check the stage, the lane and the new id in one statement, the cell's keys,
# the insert, board seq, op log (the card is not read back): 6, plus BEGIN/COMMIT.
CARD_CREATE_QUERIES = 8


def on_this_backend(queries: int) -> int:
    """On PostgreSQL the object's write, the seq update and the log entry go in one query: two
    round trips less."""
    return queries - 2 if connection.vendor == "postgresql" else queries


def card_update_queries() -> int:
    return on_this_backend(CARD_UPDATE_QUERIES)


def test_a_card_edit_on_a_board_without_workshop(board, alice, django_assert_max_num_queries):
    card_id = add_card(board, alice).result["id"]
    with django_assert_max_num_queries(card_update_queries()):
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.update",
            args={"id": card_id, "text": "Compare delivery slots"},
        )


def test_a_workshop_adds_one_lookup_of_private_cards(board, alice, django_assert_max_num_queries):
    Workshop.objects.create(board=board)
    card_id = add_card(board, alice).result["id"]
    with django_assert_max_num_queries(card_update_queries() + 1):
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.update",
            args={"id": card_id, "text": "Compare delivery slots"},
        )


def test_a_new_card(board, alice, django_assert_max_num_queries):
    stage_id, lane_id = first_cell(board)
    add_card(board, alice, "Already in the cell")
    with django_assert_max_num_queries(on_this_backend(CARD_CREATE_QUERIES)):
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.create",
            args={"stage_id": stage_id, "lane_id": lane_id, "text": "Compare delivery slots"},
        )


# Lock the board, the card, the cell's keys, the card's update, board seq, op log: 6, plus
# BEGIN/COMMIT. Staying in its cell, the card's stage and lane are not fetched.
CARD_MOVE_QUERIES = 8


def test_a_card_moved_to_the_top_of_its_cell(board, alice, django_assert_max_num_queries):
    first = add_card(board, alice, "First").result["position"]
    card_id = add_card(board, alice, "Second").result["id"]
    with django_assert_max_num_queries(on_this_backend(CARD_MOVE_QUERIES)):
        moved = apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.move",
            args={"id": card_id, "after": None},
        )
    assert moved.result["position"] < first
