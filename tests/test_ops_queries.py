"""The statements one card op costs: every live edit pays them, hundreds of times a second in
a large workshop (docs/performance.md). A hook or a handler that adds a query per op shows here.

Each count is the statements on SQLite and the queries on PostgreSQL, where several
statements go in one query: the card op's card with the board's lock (`OpSpec.read_ahead`),
and the op's own write with the seq update and the log entry (`rows.holding_writes`). Both
counts include the transaction's ends: BEGIN and COMMIT on SQLite; on PostgreSQL, inside the
test's own transaction, a SAVEPOINT and its RELEASE, where a live op sends BEGIN with its first
query and COMMIT with its last (the last test). Every query there is a round trip."""

from __future__ import annotations

import pytest
from django.db import connection

from boards.live.bus import add_op_listener, remove_op_listener
from boards.models import Card
from boards.ops import AppliedOp, apply_op
from boards.permissions import Actor
from tests.live.conftest import add_card, first_cell
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

# Lock the board (with its workshop and the sender's membership), the card, its update, the
# board's seq, the op log entry. (The op id is checked by the log's unique key, and looked up
# only when an op fails: boards.ops.pipeline.)
CARD_UPDATE = {"sqlite": 7, "postgresql": 4}

# Lock the board, check the stage, the lane and the new id in one statement, the cell's keys,
# the insert, the seq, the log (the card is not read back).
CARD_CREATE = {"sqlite": 8, "postgresql": 6}

# Lock the board, the card, the cell's keys, the card's update, the seq, the log. Staying in
# its cell, the card's stage and lane are not fetched.
CARD_MOVE = {"sqlite": 8, "postgresql": 5}


def queries(counts: dict[str, int]) -> int:
    return counts[connection.vendor]


def test_a_card_edit_on_a_board_without_workshop(board, alice, django_assert_max_num_queries):
    card_id = add_card(board, alice).result["id"]
    with django_assert_max_num_queries(queries(CARD_UPDATE)):
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.update",
            args={"id": card_id, "text": "Compare delivery slots"},
        )


# A workshop adds one lookup of private cards after the handler; the card's update, which a
# read must see, goes before it on its own.
WORKSHOP_LOOKUP = {"sqlite": 1, "postgresql": 2}


def test_a_workshop_adds_one_lookup_of_private_cards(board, alice, django_assert_max_num_queries):
    Workshop.objects.create(board=board)
    card_id = add_card(board, alice).result["id"]
    with django_assert_max_num_queries(queries(CARD_UPDATE) + queries(WORKSHOP_LOOKUP)):
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.update",
            args={"id": card_id, "text": "Compare delivery slots"},
        )


def test_a_new_card(board, alice, django_assert_max_num_queries):
    stage_id, lane_id = first_cell(board)
    add_card(board, alice, "Already in the cell")
    with django_assert_max_num_queries(queries(CARD_CREATE)):
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.create",
            args={"stage_id": stage_id, "lane_id": lane_id, "text": "Compare delivery slots"},
        )


def test_a_card_moved_to_the_top_of_its_cell(board, alice, django_assert_max_num_queries):
    first = add_card(board, alice, "First").result["position"]
    card_id = add_card(board, alice, "Second").result["id"]
    with django_assert_max_num_queries(queries(CARD_MOVE)):
        moved = apply_op(
            board_id=board.pk,
            actor=Actor.for_user(alice),
            name="card.move",
            args={"id": card_id, "after": None},
        )
    assert moved.result["position"] < first


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_live_card_edit_is_two_round_trips(board, alice, tmp_path):
    """Outside a test's transaction, as the server runs it: BEGIN goes with the board's lock
    and the card (rows.fetch_together), COMMIT with the writes (rows.run_together). Counted on
    the wire (the libpq trace's ReadyForQuery: one per round trip), where a BEGIN or COMMIT
    psycopg sent on its own would show too. The op is stored and, once committed, handed on."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no network: its statements are counted above")
    from psycopg import pq

    card_id = add_card(board, alice).result["id"]
    heard: list[AppliedOp] = []
    add_op_listener(heard.extend)  # a listener that sends no query of its own
    trace = tmp_path / "libpq.trace"
    pgconn = connection.connection.pgconn
    with trace.open("w") as out:
        pgconn.trace(out.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            applied = apply_op(
                board_id=board.pk,
                actor=Actor.for_user(alice),
                name="card.update",
                args={"id": card_id, "text": "Compare delivery slots"},
            )
        finally:
            pgconn.untrace()
            remove_op_listener(heard.extend)
    lines = trace.read_text().splitlines()
    messages = [line.split("\t") for line in lines]
    sent = [m[3].strip() for m in messages if m[0] == "F" and m[2] == "Query"]
    assert sum("ReadyForQuery" in line for line in lines) == 2, "\n".join(lines)
    # The lock and the card run by name (boards.prepared): the lock prepared by add_card's op.
    assert sent[0].startswith('"BEGIN; EXECUTE journeymap_'), sent
    assert sent[-1].endswith('; COMMIT"'), sent
    assert [op.seq for op in heard] == [applied.seq]
    assert Card.objects.get(pk=card_id).text == "Compare delivery slots"
