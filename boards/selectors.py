"""Reads of board content: the whole board at one seq, and the op log after a seq."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import QuerySet

from boards.models import Board, BoardTemplate, Card, Lane, Membership, Op, Persona, Stage
from boards.ops.pipeline import AppliedOp
from boards.ordering import sort_by_position
from boards.visibility import hidden_card_ids, hidden_op_seqs
from boards.wire import SnapshotData, board_data, cards_data, lane_data, persona_data, stage_data

# A client further behind than this gets a snapshot instead of the ops it missed: past a few
# hundred ops, one snapshot is smaller and faster to apply than the replay.
CATCH_UP_MAX_OPS = 1000


@contextmanager
def consistent_read() -> Iterator[None]:
    """Several queries that see the database at one instant, so a snapshot's content matches
    its seq. (SQLite's IMMEDIATE transactions already exclude writers.) Inside a transaction
    the caller already opened, PostgreSQL refuses to change the isolation level, so the reads
    then share the caller's transaction as it is."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def live_cards(board_id: uuid.UUID | str) -> QuerySet[Card]:
    """Cards that show on the board: not deleted, in a stage and a lane that are not deleted."""
    return Card.objects.filter(
        board_id=board_id, deleted=False, stage__deleted=False, lane__deleted=False
    ).select_related("author", "author_guest")


def board_snapshot(board_id: uuid.UUID | str, *, viewer: str | None = None) -> SnapshotData:
    """The board as `viewer` (a participant id) may see it: without what is private to others
    (boards.visibility)."""
    with consistent_read():
        board = Board.objects.get(pk=board_id)
        stages = sort_by_position(Stage.objects.filter(board_id=board_id, deleted=False))
        lanes = sort_by_position(Lane.objects.filter(board_id=board_id, deleted=False))
        hidden = hidden_card_ids(board_id, viewer)
        cards = sorted(
            (card for card in cards_data(live_cards(board_id)) if card["id"] not in hidden),
            key=lambda card: (card["position"], card["id"]),
        )
        personas = sort_by_position(Persona.objects.filter(board_id=board_id, deleted=False))
    return {
        "seq": board.seq,
        "board": board_data(board),
        "stages": [stage_data(stage) for stage in stages],
        "lanes": [lane_data(lane) for lane in lanes],
        "cards": cards,
        "personas": [persona_data(persona) for persona in personas],
    }


def ops_since(
    board_id: uuid.UUID | str, since: int, *, viewer: str | None = None
) -> list[AppliedOp] | None:
    """The ops after `since`, in order, as `viewer` may see them; None when a snapshot is the
    better answer (the client is too far behind, or claims a seq this board never reached)."""
    current = Board.objects.filter(pk=board_id).values_list("seq", flat=True).first()
    if current is None or since < 0 or since > current or current - since > CATCH_UP_MAX_OPS:
        return None
    log = Op.objects.filter(board_id=board_id, seq__gt=since).order_by("seq")
    return _as_seen_by(board_id, list(log), viewer)


def _as_seen_by(board_id: uuid.UUID | str, log: list[Op], viewer: str | None) -> list[AppliedOp]:
    """Logged ops, with those private to someone else replaced by their hidden stand-in."""
    if not log:
        return []
    hidden = hidden_op_seqs(board_id, log[0].seq, log[-1].seq, viewer)
    applied = (AppliedOp.from_log(op) for op in log)
    return [op.hidden() if op.seq in hidden else op for op in applied]


def boards_of_user(user_id: int, *, archived: bool = False) -> QuerySet[Board]:
    """Boards the user is a member of, most recently changed first."""
    board_ids = Membership.objects.filter(user_id=user_id).values("board_id")
    return Board.objects.filter(pk__in=board_ids, archived=archived).order_by("-updated_at")


def op_log_page(
    board_id: uuid.UUID | str, *, since: int, limit: int, viewer: str | None = None
) -> list[AppliedOp]:
    """Up to `limit` logged ops after `since`, in order: the REST history page. Unlike
    `ops_since` it never gives up on a client far behind; it pages through the whole log."""
    log = Op.objects.filter(board_id=board_id, seq__gt=since).order_by("seq")[:limit]
    return _as_seen_by(board_id, list(log), viewer)


def board_templates() -> QuerySet[BoardTemplate]:
    return BoardTemplate.objects.order_by("position", "key")
