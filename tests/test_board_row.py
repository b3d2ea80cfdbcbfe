"""The board row the write path locks and reads by hand (boards/ops/board_row.py): it must give
the objects the ORM would, with the workshop read in the same statement, and hold the lock."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from boards.models import Board, Card, Op, Role
from boards.ops.board_row import lock_board, save_seq_and_log
from boards.rows import Statement
from tests.live.conftest import add_card
from tests.locks import held_in_another_thread
from tests.statements import statements_run
from workshops.models import TimerState, Workshop


def locked_board(board_id: uuid.UUID) -> Board:
    found = lock_board(board_id)
    assert found is not None
    return found.board


def field_values(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_board_reads_as_the_orm_reads_it(board: Board) -> None:
    with transaction.atomic():
        locked = locked_board(board.pk)
    assert field_values(locked) == field_values(Board.objects.get(pk=board.pk))
    assert not locked._state.adding
    assert locked._state.db == "default"


def test_a_board_without_a_workshop_says_so_without_a_query(board: Board) -> None:
    with transaction.atomic():
        locked = locked_board(board.pk)
    with CaptureQueriesContext(connection) as queries:
        assert getattr(locked, "workshop", None) is None
    assert len(queries) == 0


def test_the_workshop_comes_in_the_same_statement_with_every_type_converted(
    board: Board,
) -> None:
    lane = str(board.lanes.first().pk)
    Workshop.objects.create(
        board=board,
        agenda=[{"title": "Étape 1 : découverte", "minutes": 10, "instructions": ""}],
        current_step=1,
        timer_state=TimerState.RUNNING,
        timer_duration=timedelta(minutes=7, seconds=30),
        timer_ends_at=datetime(2026, 11, 24, 9, 30, 15, 250000, tzinfo=UTC),
        timer_remaining=timedelta(seconds=90),
        structure_locked=True,
        card_lanes=[lane],
        read_only=True,
        private_writing=True,
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        locked = locked_board(board.pk)
        workshop = locked.workshop
        assert workshop.board is locked
    assert len(queries) == 1
    assert field_values(workshop) == field_values(Workshop.objects.get(pk=board.pk))
    assert workshop.agenda[0]["title"] == "Étape 1 : découverte"
    assert workshop.card_lanes == [lane]
    assert workshop.timer_duration == timedelta(minutes=7, seconds=30)


def test_a_missing_board_is_none(db: None) -> None:
    with transaction.atomic():
        assert lock_board(uuid.uuid4()) is None
        assert lock_board(uuid.uuid4(), member=1) is None


def test_the_membership_asked_about_comes_in_the_same_statement(
    board: Board, bob: User, charlie: User
) -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        owner = lock_board(board.pk, member=board.owner_id)
        editor = lock_board(board.pk, member=bob.pk)
        outsider = lock_board(board.pk, member=charlie.pk)
        unasked = lock_board(board.pk)
    assert len([sql for sql in statements_run(queries) if sql.startswith("SELECT")]) == 4
    roles = [found.member_role if found else "missing" for found in (owner, editor, outsider)]
    assert roles == [Role.OWNER, Role.EDITOR, None]
    assert unasked is not None
    assert unasked.member_role is None
    assert editor is not None
    assert field_values(editor.board) == field_values(unasked.board)


def log_entry(board: Board, seq: int, op_id: uuid.UUID, text: str) -> Op:
    return Op(
        board=board,
        seq=seq,
        client_op_id=op_id,
        actor_id=board.owner_id,
        actor_name="alice",
        name="card.update",
        args={"id": str(uuid.uuid4()), "text": text},
        result={"text": text, "tags": ["é", 1, None]},
        before=None,
    )


def test_the_seq_and_the_log_entries_are_stored_together(board: Board) -> None:
    before = Board.objects.get(pk=board.pk)
    ids = [uuid.uuid4(), uuid.uuid4()]
    with transaction.atomic():
        locked = locked_board(board.pk)
        locked.title = "not saved with the seq"
        entries = []
        for n, op_id in enumerate(ids):
            locked.seq += 1
            entries.append(log_entry(locked, locked.seq, op_id, f"« carte {n} »"))
        save_seq_and_log(locked, entries)
    stored = Board.objects.get(pk=board.pk)
    assert stored.seq == before.seq + 2
    assert stored.updated_at == locked.updated_at > before.updated_at
    assert stored.title == before.title
    logged = list(Op.objects.filter(board=board, client_op_id__in=ids).order_by("seq"))
    assert [(op.seq, op.client_op_id) for op in logged] == [
        (before.seq + 1, ids[0]),
        (before.seq + 2, ids[1]),
    ]
    assert logged[1].result == {"text": "« carte 1 »", "tags": ["é", 1, None]}
    assert logged[1].before is None
    assert logged[0].created_at is not None
    assert entries[0].created_at == logged[0].created_at


def test_a_log_entry_the_log_already_has_refuses_the_whole_end(board: Board) -> None:
    op_id = uuid.uuid4()
    with transaction.atomic():
        locked = locked_board(board.pk)
        locked.seq += 1
        save_seq_and_log(locked, [log_entry(locked, locked.seq, op_id, "first")])
    seq = Board.objects.get(pk=board.pk).seq

    def resend() -> None:
        with transaction.atomic():
            locked = locked_board(board.pk)
            locked.seq += 1
            save_seq_and_log(locked, [log_entry(locked, locked.seq, op_id, "resent")])

    with pytest.raises(IntegrityError):
        resend()
    assert Board.objects.get(pk=board.pk).seq == seq
    assert Op.objects.filter(board=board, client_op_id=op_id).get().args["text"] == "first"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_board_row_stays_locked_until_the_transaction_ends(
    board: Board,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE write transaction is the lock there, not the statement")
    with held_in_another_thread(lambda: lock_board(board.pk)) as locked:
        assert locked.wait(10)
        with pytest.raises(DatabaseError), transaction.atomic():
            Board.objects.select_for_update(nowait=True).get(pk=board.pk)
    with transaction.atomic():
        assert Board.objects.select_for_update(nowait=True).get(pk=board.pk).pk == board.pk


def card_text_statement(card_id: str) -> Statement:
    quote = connection.ops.quote_name
    table, pk = quote(Card._meta.db_table), quote(Card._meta.pk.column)
    key = Card._meta.pk.get_db_prep_value(uuid.UUID(card_id), connection)
    return Statement(f"SELECT {quote('text')} FROM {table} WHERE {pk} = %s", [key])


def test_a_read_ahead_comes_back_with_the_locked_board(board: Board, alice: User) -> None:
    card_id = add_card(board, alice, "Read with the lock").result["id"]
    missing = str(uuid.uuid4())

    with transaction.atomic():
        found = lock_board(board.pk, read_ahead=card_text_statement(card_id))
        nothing = lock_board(board.pk, read_ahead=card_text_statement(missing))
        no_board = lock_board(uuid.uuid4(), read_ahead=card_text_statement(card_id))

    assert found is not None
    assert found.ahead == [("Read with the lock",)]
    assert nothing is not None
    assert nothing.ahead == []
    assert no_board is None


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_read_ahead_waits_for_the_lock_and_sees_what_its_holder_wrote(
    board: Board, alice: User
) -> None:
    """The read sent with the lock runs once the lock is granted: a card op sees the card as
    the transaction before it left it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE write transaction is the lock there, not the statement")
    card_id = add_card(board, alice, "Before").result["id"]
    seen: list[Any] = []

    def lock_and_change() -> None:
        lock_board(board.pk)
        Card.objects.filter(pk=card_id).update(text="Written by the holder")

    def read_with_the_lock() -> None:
        try:
            with transaction.atomic():
                found = lock_board(board.pk, read_ahead=card_text_statement(card_id))
                assert found is not None
                seen.append(found.ahead)
        finally:
            connection.close()

    with held_in_another_thread(lock_and_change) as locked:
        assert locked.wait(10)
        reader = threading.Thread(target=read_with_the_lock)
        reader.start()
        reader.join(0.5)
        assert reader.is_alive()  # waiting for the lock
    reader.join(10)

    assert seen == [[("Written by the holder",)]]
