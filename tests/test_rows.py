"""Rows updated by hand on the write path (boards/rows.py) store what `save(update_fields=...)`
would, and nothing else."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.transaction import TransactionManagementError

from boards.models import Board, Card
from boards.ops import apply_op
from boards.ops.board_row import lock_board
from boards.permissions import Actor
from boards.rows import holding_writes, run_together, update_row, update_statement


def on_postgresql_as_the_server_runs(test: Callable[..., None]) -> Callable[..., None]:
    """Outside a test's own transaction, so that the write path's is the outermost, as in the
    server: where the BEGIN and COMMIT psycopg would send go with the statements (PostgreSQL;
    SQLite's driver begins and ends its transactions itself)."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="psycopg's BEGIN and COMMIT only"
    )(test)


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


def test_held_writes_go_with_the_last_statements_and_every_read_sees_them(
    card: Card, django_assert_num_queries
) -> None:
    with transaction.atomic(), holding_writes():
        card.text = "Held"
        update_row(card, ["text"])
        # A read in the same transaction runs what is held first.
        assert Card.objects.get(pk=card.pk).text == "Held"
        card.text = "Held again"
        update_row(card, ["text"])
        card.color = "red"
        update_row(card, ["color"])
        # Both updates and nothing else go in the transaction's last call: one query on
        # PostgreSQL, one statement each on SQLite.
        statements = 1 if connection.vendor == "postgresql" else 2
        with django_assert_num_queries(statements):
            run_together([])

    stored = Card.objects.get(pk=card.pk)
    assert (stored.text, stored.color) == ("Held again", "red")


def test_a_held_write_that_nothing_took_runs_on_the_way_out(card: Card) -> None:
    with transaction.atomic(), holding_writes():
        card.text = "Never taken"
        update_row(card, ["text"])

    assert Card.objects.get(pk=card.pk).text == "Never taken"


def test_a_held_update_of_a_row_that_is_gone_raises_with_the_others(card: Card) -> None:
    gone = Card.objects.get(pk=card.pk)
    Card.objects.filter(pk=card.pk).delete()
    board = Board.objects.get(pk=card.board_id)

    def rename_the_board_with_the_gone_card() -> None:
        with transaction.atomic(), holding_writes():
            gone.text = "Too late"
            update_row(gone, ["text"])
            board.title = "Renamed"
            update_row(board, ["title"])
            run_together([])

    with pytest.raises(DatabaseError):
        rename_the_board_with_the_gone_card()
    assert Board.objects.get(pk=board.pk).title != "Renamed"


def test_held_writes_are_dropped_with_a_failed_transaction(card: Card) -> None:
    def fail_after_a_write() -> None:
        with transaction.atomic(), holding_writes():
            card.text = "Rolled back"
            update_row(card, ["text"])
            raise RuntimeError("the op failed")

    with pytest.raises(RuntimeError):
        fail_after_a_write()
    assert Card.objects.get(pk=card.pk).text == "Compare prices"

    # Nothing is held any more: a write outside runs at once.
    card.text = "After"
    update_row(card, ["text"])
    assert Card.objects.get(pk=card.pk).text == "After"


@on_postgresql_as_the_server_runs
def test_a_transaction_begun_with_its_first_statement_is_one(card: Card) -> None:
    """The write path's BEGIN goes with the transaction's first statement (rows._begin_here):
    what follows is still inside it, unseen by others until it commits, and undone by a
    rollback; the connection is back to Django's autocommit afterwards."""
    seen_meanwhile: list[str] = []

    def read_elsewhere() -> None:
        try:
            seen_meanwhile.append(Card.objects.get(pk=card.pk).text)
        finally:
            connection.close()

    def change_then_fail() -> None:
        with transaction.atomic(), holding_writes():
            assert lock_board(card.board_id) is not None
            card.text = "Not committed"
            update_row(card, ["text"])
            run_together([])
            reader = threading.Thread(target=read_elsewhere)
            reader.start()
            reader.join()
            raise RuntimeError("the op failed")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert seen_meanwhile == ["Compare prices"]
    assert Card.objects.get(pk=card.pk).text == "Compare prices"
    assert connection.get_autocommit()
    assert connection.connection.autocommit

    with transaction.atomic(), holding_writes():
        assert lock_board(card.board_id) is not None
        card.text = "Committed"
        update_row(card, ["text"])
    assert Card.objects.get(pk=card.pk).text == "Committed"


@on_postgresql_as_the_server_runs
def test_a_gone_row_in_the_query_that_commits_undoes_everything(card: Card) -> None:
    """The transaction's last query carries its COMMIT (`ends_transaction`): the database
    checks the row counts before it, so an update of a row that is gone still fails the
    whole transaction, in the ORM's words."""
    gone = Card.objects.get(pk=card.pk)
    Card.objects.filter(pk=card.pk).delete()
    board = Board.objects.get(pk=card.board_id)

    def rename_the_board_with_the_gone_card() -> None:
        with transaction.atomic(), holding_writes():
            assert lock_board(board.pk) is not None
            board.title = "Renamed"
            update_row(board, ["title"])
            gone.text = "Too late"
            update_row(gone, ["text"])
            run_together([], ends_transaction=True)

    with pytest.raises(DatabaseError, match="did not affect any rows"):
        rename_the_board_with_the_gone_card()
    assert Board.objects.get(pk=board.pk).title != "Renamed"
    assert connection.get_autocommit()
    assert connection.connection.autocommit


@on_postgresql_as_the_server_runs
def test_nothing_runs_after_the_query_that_commits(card: Card) -> None:
    """It would run outside the transaction: refused instead."""

    def read_after_the_end() -> None:
        with transaction.atomic(), holding_writes():
            card.text = "Committed"
            update_row(card, ["text"])
            run_together([], ends_transaction=True)
            Card.objects.count()

    with pytest.raises(TransactionManagementError):
        read_after_the_end()
    assert Card.objects.get(pk=card.pk).text == "Committed"


@on_postgresql_as_the_server_runs
def test_outside_held_writes_the_transaction_ends_as_usual(card: Card) -> None:
    """Only holding_writes() refuses what would follow a COMMIT sent with the writes; without
    it the COMMIT stays Django's, and a later failure still undoes the writes."""

    def write_read_then_fail() -> None:
        with transaction.atomic():
            card.text = "Rolled back"
            run_together([update_statement(card, ["text"])], ends_transaction=True)
            assert Card.objects.get(pk=card.pk).text == "Rolled back"
            raise RuntimeError("the op failed")

    with pytest.raises(RuntimeError):
        write_read_then_fail()
    assert Card.objects.get(pk=card.pk).text == "Compare prices"
