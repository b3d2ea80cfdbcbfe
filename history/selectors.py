"""Reads of a board's past: its state at any seq or date, its versions, what was deleted, and
who changed what (the activity log).

Time travel starts from the nearest stored snapshot at or before the asked seq and replays
the op log from there. While it replays a long stretch it stores a snapshot every
`SNAPSHOT_EVERY` ops, so the next visit to that stretch replays at most that many.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from boards.models import Board, Op
from boards.wire import SnapshotData, board_data
from history.models import Snapshot, Version
from history.state import Replay, capture, visible

# The most ops time travel replays from a stored snapshot once it has passed that way.
SNAPSHOT_EVERY = 500
REPLAY_CHUNK = 2000


def genesis(board: Board) -> SnapshotData:
    """The board at seq 0, as it was created: empty, with the board's own fields before any
    board op changed them (each op's `before` holds what it overwrote)."""
    data: dict[str, Any] = dict(board_data(board))
    changed = Op.objects.filter(board=board, name__startswith="board.").order_by("-seq")
    for before in changed.values_list("before", flat=True):
        data.update(before or {})
    data.update(seq=0, updated_at=data["created_at"])
    return {
        "seq": 0,
        "board": data,  # type: ignore[typeddict-item]
        "stages": [],
        "lanes": [],
        "cards": [],
        "personas": [],
    }


def _base(board: Board, seq: int) -> SnapshotData:
    nearest = (
        Snapshot.objects.filter(board=board, seq__lte=seq)
        .order_by("-seq")
        .values_list("state", flat=True)
        .first()
    )
    return nearest if nearest is not None else genesis(board)


def board_state_at(board: Board, seq: int) -> SnapshotData:
    """The board's whole state (tombstones included) right after op `seq` (0 <= seq <=
    board.seq): the nearest snapshot, moved forward by the op log."""
    base = _base(board, seq)
    replay = Replay(base)
    log = (
        Op.objects.filter(board=board, seq__gt=base["seq"], seq__lte=seq)
        .order_by("seq")
        .values_list("seq", "name", "result", "created_at")
    )
    passed: list[Snapshot] = []
    for op_seq, name, result, created_at in log.iterator(chunk_size=REPLAY_CHUNK):
        replay.apply(seq=op_seq, name=name, result=result, at=created_at.isoformat())
        if op_seq % SNAPSHOT_EVERY == 0 and op_seq < seq:
            passed.append(Snapshot(board=board, seq=op_seq, state=replay.state()))
    if seq - base["seq"] >= SNAPSHOT_EVERY:
        passed.append(Snapshot(board=board, seq=seq, state=replay.state()))
    if passed:
        # Concurrent visitors may store the same seqs; the first one wins, the rest agree.
        Snapshot.objects.bulk_create(passed, ignore_conflicts=True)
    return replay.state()


def board_at(board: Board, seq: int) -> SnapshotData:
    """What the board showed right after op `seq`, as `board_snapshot` showed it then."""
    return visible(board_state_at(board, seq))


def seq_at(board: Board, when: datetime) -> int:
    """The last seq applied at or before `when` (0 before the first op)."""
    last = (
        Op.objects.filter(board=board, created_at__lte=when)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return last or 0


def versions_of(board_id: uuid.UUID | str) -> QuerySet[Version]:
    return (
        Version.objects.filter(board_id=board_id)
        .select_related("snapshot", "created_by")
        .defer("snapshot__state")
        .order_by("-snapshot__seq", "-created_at")
    )


def version_of(board_id: uuid.UUID | str, version_id: uuid.UUID | str) -> Version | None:
    return (
        Version.objects.filter(board_id=board_id, pk=version_id)
        .select_related("snapshot", "created_by")
        .first()
    )


@dataclass(frozen=True)
class Deleted:
    """A deleted card or stage that can be brought back, with who deleted it and when."""

    kind: str
    data: dict[str, Any]
    seq: int | None
    deleted_at: datetime | None
    deleted_by: str
    cards: int  # for a stage: how many of its cards come back with it


def deleted_items(board: Board) -> list[Deleted]:
    """Deleted stages, and deleted cards in a stage and lane that are still there (a card in
    a deleted stage comes back with its stage), newest deletion first."""
    state = capture(board.pk)  # the tables keep every tombstone: no replay needed
    stages = {stage["id"]: stage for stage in state["stages"]}
    live_lanes = {lane["id"] for lane in state["lanes"] if not lane["deleted"]}
    deletions: dict[str, Op] = {}
    for op in Op.objects.filter(board=board, name__in=["card.delete", "stage.delete"]).only(
        "seq", "created_at", "actor_name", "args"
    ):
        deletions[op.args["id"]] = op  # in seq order: the last deletion wins
    found: list[Deleted] = []

    def add(kind: str, data: dict[str, Any], cards: int = 0) -> None:
        op = deletions.get(data["id"])
        found.append(
            Deleted(
                kind=kind,
                data=data,
                seq=op.seq if op else None,
                deleted_at=op.created_at if op else None,
                deleted_by=op.actor_name if op else "",
                cards=cards,
            )
        )

    for stage in stages.values():
        if stage["deleted"]:
            cards = sum(
                1
                for card in state["cards"]
                if card["stage_id"] == stage["id"] and not card["deleted"]
            )
            add("stage", stage, cards)
    for card in state["cards"]:
        stage = stages.get(card["stage_id"])
        if card["deleted"] and stage and not stage["deleted"] and card["lane_id"] in live_lanes:
            add("card", card)
    found.sort(key=lambda item: item.seq or 0, reverse=True)
    return found


@dataclass(frozen=True)
class ActivityFilter:
    actor: str | None = None  # a participant id: "u:<user id>" or "g:<guest uuid>"
    stage: uuid.UUID | None = None
    kind: str | None = None  # the op's object: board, stage, lane, card, persona, version


def _actor_q(participant: str) -> Q:
    prefix, _, ident = participant.partition(":")
    if prefix == "u" and ident.isdigit():
        return Q(actor_id=int(ident))
    if prefix == "g":
        try:
            return Q(actor_guest_id=uuid.UUID(ident))
        except ValueError:
            pass
    return Q(pk__in=[])


def activity(board: Board, filters: ActivityFilter) -> QuerySet[Op]:
    """The board's op log, newest first, narrowed by person, stage and kind of object."""
    log = Op.objects.filter(board=board)
    if filters.actor:
        log = log.filter(_actor_q(filters.actor))
    if filters.kind:
        log = log.filter(name__startswith=f"{filters.kind}.")
    if filters.stage:
        stage = str(filters.stage)
        log = log.filter(
            Q(result__stage_id=stage)
            | Q(before__stage_id=stage)
            | Q(name__startswith="stage.", args__id=stage)
        )
    return log.order_by("-seq")


def actors_of(board_id: uuid.UUID | str) -> list[tuple[int | None, uuid.UUID | None, str]]:
    """Everyone who changed the board (user id, guest id, name), by name."""
    found = (
        Op.objects.filter(board_id=board_id)
        .order_by()
        .values_list("actor_id", "actor_guest_id", "actor_name")
        .distinct()
    )
    return sorted(found, key=lambda actor: actor[2].casefold())
