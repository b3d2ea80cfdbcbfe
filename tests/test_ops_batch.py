"""`apply_ops`: a board's waiting ops applied together where they can be, each with the
outcome it would have had alone — applied at the next seq in the order sent, or refused with
its own error in its sender's language, and heard of once, after commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boards.live.bus import add_op_listener, remove_op_listener
from boards.models import Board, Card, Membership, Op, Role
from boards.ops import AppliedOp, OpError, OpRequest, apply_op, apply_ops
from boards.ops.pipeline import MAX_OPS_TOGETHER
from boards.permissions import Actor
from tests.live.conftest import add_card
from tests.statements import statements_run

pytestmark = pytest.mark.django_db(transaction=True)


def edit(user: User, card_id: str, text: str, **extra: object) -> OpRequest:
    return OpRequest(
        Actor.for_user(user),
        "card.update",
        {"id": card_id, "text": text, **extra},
        client_op_id=str(uuid.uuid4()),
    )


def seq_of(board: Board) -> int:
    board.refresh_from_db(fields=["seq"])
    return board.seq


def applied_seqs(outcomes: list[AppliedOp | Exception]) -> list[int]:
    return [outcome.seq for outcome in outcomes if isinstance(outcome, AppliedOp)]


def test_a_run_of_edits_shares_one_transaction(board: Board, alice: User, bob: User) -> None:
    card_id = add_card(board, alice).result["id"]
    requests = [edit(alice if i % 2 else bob, card_id, f"Edit {i}") for i in range(10)]
    base = seq_of(board)
    with CaptureQueriesContext(connection) as queries:
        outcomes = apply_ops(board.pk, requests)

    assert applied_seqs(outcomes) == list(range(base + 1, base + 11))
    assert [outcome.result["text"] for outcome in outcomes] == [f"Edit {i}" for i in range(10)]
    assert Card.objects.get(pk=card_id).text == "Edit 9"
    assert Card.objects.get(pk=card_id).version == 11
    assert seq_of(board) == base + 10
    # A card edit alone costs 8 statements (tests/test_ops_queries.py). Together: one lock of
    # the board, one lookup of both actors' roles, then per edit its card and its update, one
    # seq update and the ten log entries in one insert (on PostgreSQL both in one query);
    # plus BEGIN/COMMIT where the backend logs them. (On PostgreSQL an UPDATE in the query
    # that commits is wrapped to have its row count checked there: `WITH changed AS (UPDATE`.)
    statements = [
        sql.removeprefix("WITH changed AS (").split()[0].upper() for sql in statements_run(queries)
    ]
    assert statements.count("UPDATE") == 10 + 1
    assert statements.count("INSERT") == 1
    assert statements.count("SELECT") == 1 + 1 + 10
    seq_and_log = 1 if connection.vendor == "postgresql" else 2
    assert len(queries.captured_queries) <= 1 + 1 + 10 * 2 + seq_and_log + 2


def test_a_refused_op_gets_its_own_answer_in_its_language_and_the_rest_apply(
    board: Board, alice: User, bob: User, heard: list[AppliedOp]
) -> None:
    card_id = add_card(board, alice).result["id"]
    heard.clear()
    base = seq_of(board)
    stale = OpRequest(
        Actor.for_user(bob),
        "card.update",
        {"id": card_id, "text": "Too late", "if_version": 1},
        client_op_id=str(uuid.uuid4()),
        language="fr",
    )
    unknown = OpRequest(Actor.for_user(alice), "card.paint", {}, language="en")
    requests = [
        edit(alice, card_id, "First"),
        stale,
        edit(alice, card_id, "Second"),
        unknown,
        edit(bob, card_id, "Third"),
    ]
    outcomes = apply_ops(board.pk, requests)

    assert isinstance(outcomes[1], OpError)
    assert outcomes[1].code == "conflict"
    assert outcomes[1].message == "Quelqu\u2019un a modifié cet élément entre-temps."
    assert isinstance(outcomes[3], OpError)
    assert outcomes[3].message == "Unknown operation “card.paint”."
    assert applied_seqs(outcomes) == [base + 1, base + 2, base + 3]
    assert [applied.seq for applied in heard] == [base + 1, base + 2, base + 3]
    assert Card.objects.get(pk=card_id).text == "Third"
    assert not Op.objects.filter(client_op_id=stale.client_op_id).exists()


def test_a_forbidden_op_and_an_outsider_are_refused_without_holding_back_others(
    board: Board, alice: User, bob: User, charlie: User
) -> None:
    card_id = add_card(board, alice).result["id"]
    outsider = edit(charlie, card_id, "Not my board")
    Membership.objects.create(board=board, user=charlie, role=Role.VIEWER)
    viewer = edit(charlie, card_id, "Viewers do not edit")
    Membership.objects.filter(user=charlie).delete()
    base = seq_of(board)
    outcomes = apply_ops(board.pk, [edit(alice, card_id, "A"), outsider, edit(bob, card_id, "B")])
    assert isinstance(outcomes[1], OpError)
    assert outcomes[1].code == "not_found"
    assert applied_seqs(outcomes) == [base + 1, base + 2]

    Membership.objects.create(board=board, user=charlie, role=Role.VIEWER)
    outcomes = apply_ops(board.pk, [viewer, edit(alice, card_id, "C")])
    assert isinstance(outcomes[0], OpError)
    assert outcomes[0].code == "forbidden"
    assert applied_seqs(outcomes) == [base + 3]


def test_a_resend_in_a_batch_is_acknowledged_with_the_original(board: Board, alice: User) -> None:
    card_id = add_card(board, alice).result["id"]
    first = edit(alice, card_id, "Once")
    original = apply_ops(board.pk, [first])[0]
    assert isinstance(original, AppliedOp)

    outcomes = apply_ops(board.pk, [edit(alice, card_id, "Other"), first, first])
    assert applied_seqs(outcomes) == [original.seq + 1, original.seq, original.seq]
    assert all(isinstance(o, AppliedOp) and o.duplicate for o in outcomes[1:])
    assert Op.objects.filter(client_op_id=first.client_op_id).count() == 1


def test_ops_that_change_the_board_are_applied_alone_in_order(
    board: Board, alice: User, bob: User
) -> None:
    card_id = add_card(board, alice).result["id"]
    archive = OpRequest(Actor.for_user(alice), "board.archive", {"archived": True})
    base = seq_of(board)
    outcomes = apply_ops(
        board.pk, [edit(bob, card_id, "Before"), archive, edit(bob, card_id, "After")]
    )
    # The edit after the archive sees the archived board, as it would have alone.
    assert applied_seqs(outcomes) == [base + 1, base + 2]
    assert isinstance(outcomes[2], OpError)
    assert outcomes[2].code == "forbidden"
    assert Card.objects.get(pk=card_id).text == "Before"


def test_long_queues_are_cut_into_runs(board: Board, alice: User) -> None:
    card_id = add_card(board, alice).result["id"]
    requests = [edit(alice, card_id, f"Edit {i}") for i in range(MAX_OPS_TOGETHER + 5)]
    base = seq_of(board)
    outcomes = apply_ops(board.pk, requests)
    assert applied_seqs(outcomes) == list(range(base + 1, base + MAX_OPS_TOGETHER + 6))


def test_a_missing_board_refuses_every_op(alice: User, templates: None) -> None:
    requests = [edit(alice, str(uuid.uuid4()), "Nowhere") for _ in range(3)]
    outcomes = apply_ops(uuid.uuid4(), requests)
    assert all(isinstance(o, OpError) and o.code == "not_found" for o in outcomes)


def test_a_batch_writes_what_the_same_ops_write_one_by_one(
    board: Board, alice: User, bob: User
) -> None:
    """The op log and the card of a batch are those of the same ops applied alone."""
    card_id = add_card(board, alice).result["id"]
    requests = [edit(alice, card_id, "One"), edit(bob, card_id, "Two")]
    base = seq_of(board)
    apply_ops(board.pk, requests)
    ops = Op.objects.filter(board=board).order_by("seq")
    together = list(ops.filter(seq__gt=base).values("name", "args", "before"))

    other = add_card(board, alice).result["id"]
    base = seq_of(board)
    for request in [edit(alice, other, "One"), edit(bob, other, "Two")]:
        apply_op(board_id=board.pk, actor=request.actor, name=request.name, args=request.args)
    alone = list(ops.filter(seq__gt=base).values("name", "args", "before"))

    def without_ids(rows: list[dict]) -> list[tuple]:
        return [(row["name"], row["args"]["text"], row["before"]) for row in rows]

    assert without_ids(together) == without_ids(alone)


def test_the_ops_of_a_batch_are_published_together_once_committed(
    board: Board, alice: User, bob: User
) -> None:
    card_id = add_card(board, alice).result["id"]
    commits: list[list[int]] = []

    def listener(ops: Sequence[AppliedOp]) -> None:
        assert all(Op.objects.filter(board=board, seq=op.seq).exists() for op in ops)
        commits.append([op.seq for op in ops])

    add_op_listener(listener)
    try:
        base = seq_of(board)
        apply_ops(board.pk, [edit(alice if i % 2 else bob, card_id, f"E{i}") for i in range(5)])
    finally:
        remove_op_listener(listener)
    # One hand-over (one Redis round trip across processes) for the five ops, in seq order.
    assert commits == [[base + 1, base + 2, base + 3, base + 4, base + 5]]
