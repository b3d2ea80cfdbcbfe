"""Time travel is the board as it really was: for every seq of a random history, the state
rebuilt from snapshots and the op log equals what `board_snapshot` answered at that seq."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boards.models import Board, LaneKind
from boards.ops import OpError, apply_op
from boards.permissions import Actor
from boards.selectors import board_snapshot
from boards.services import board_create
from history import selectors
from history.models import Snapshot
from history.selectors import board_at, seq_at
from history.services import version_create

pytestmark = pytest.mark.django_db

KINDS = ("stage", "lane", "card", "persona")
TEXTS = st.text(alphabet="abcxyz é", min_size=1, max_size=8)

# One step of a random history; indexes pick among what exists, modulo its count.
STEPS = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(KINDS), st.integers(0, 50), TEXTS),
    st.tuples(st.just("update"), st.sampled_from(KINDS), st.integers(0, 50), TEXTS),
    st.tuples(st.just("move"), st.sampled_from(KINDS), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("delete"), st.sampled_from(KINDS), st.integers(0, 50), st.none()),
    st.tuples(st.just("restore"), st.sampled_from(KINDS), st.integers(0, 50), st.none()),
    st.tuples(st.just("title"), st.none(), st.none(), TEXTS),
    st.tuples(st.just("version"), st.none(), st.none(), TEXTS),
    st.tuples(st.just("restore_version"), st.none(), st.integers(0, 50), st.none()),
)


class History:
    """Plays steps on a real board through `apply_op`, recording the board at every seq."""

    def __init__(self, owner: Any) -> None:
        self.actor = Actor.for_user(owner)
        self.board = board_create(owner=owner, title="Journey", language="en")
        self.ids: dict[str, list[str]] = {kind: [] for kind in KINDS}
        self.versions: list[str] = []
        self.seen = {0: board_snapshot(self.board.pk)}

    def pick(self, kind: str, index: int) -> str | None:
        ids = self.ids[kind]
        return ids[index % len(ids)] if ids else None

    def op(self, name: str, args: dict[str, Any]) -> None:
        try:
            applied = apply_op(board_id=self.board.pk, actor=self.actor, name=name, args=args)
        except OpError:
            return  # refused (a deleted object, a missing cell): no seq, nothing to check
        if name.endswith(".create"):
            self.ids[name.split(".")[0]].append(applied.result["id"])
        self.seen[applied.seq] = board_snapshot(self.board.pk)

    def play(self, step: tuple[str, Any, Any, Any]) -> None:
        action, kind, index, value = step
        if action == "title":
            self.op("board.update", {"title": value})
        elif action == "version":
            self.versions.append(str(version_create(board_id=self.board.pk, name=value).pk))
        elif action == "restore_version":
            if self.versions:
                version = self.versions[index % len(self.versions)]
                self.op("version.restore", {"version_id": version})
        elif action == "create":
            self.op(f"{kind}.create", self.create_args(kind, index, value))
        elif (target := self.pick(kind, index)) is None:
            return
        elif action == "update":
            field = {"stage": "title", "lane": "title", "card": "text", "persona": "name"}[kind]
            self.op(f"{kind}.update", {"id": target, field: value})
        elif action == "move" and kind == "card":
            stage, lane = self.pick("stage", value), self.pick("lane", value + 1)
            self.op("card.move", {"id": target, "stage_id": stage, "lane_id": lane, "after": None})
        elif action == "move":
            self.op(f"{kind}.move", {"id": target, "after": self.pick(kind, value)})
        elif action in ("delete", "restore"):
            self.op(f"{kind}.{action}", {"id": target})

    def create_args(self, kind: str, index: int, text: str) -> dict[str, Any]:
        if kind == "stage":
            return {"title": text}
        if kind == "lane":
            return {"title": text, "kind": list(LaneKind)[index % len(LaneKind)].value}
        if kind == "persona":
            return {"name": text}
        return {
            "stage_id": self.pick("stage", index),
            "lane_id": self.pick("lane", index),
            "text": text,
        }


def comparable(snapshot: Any) -> Any:
    """The board's `updated_at` is stamped when its row is saved, a moment before the op's
    own timestamp that time travel knows; everything else must match exactly."""
    snapshot = copy.deepcopy(snapshot)
    snapshot["board"].pop("updated_at")
    return snapshot


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=40), snapshot_every=st.sampled_from([2, 5, 500]))
def test_the_board_at_every_seq_is_the_board_that_was(alice, monkeypatch, steps, snapshot_every):
    monkeypatch.setattr(selectors, "SNAPSHOT_EVERY", snapshot_every)
    history = History(alice)
    for step in steps:
        history.play(step)
    board = Board.objects.get(pk=history.board.pk)

    # The latest seq first: the replay stores snapshots that later visits start from.
    for seq in [board.seq, *range(board.seq + 1)]:
        assert comparable(board_at(board, seq)) == comparable(history.seen[seq]), f"seq {seq}"


def test_replay_stores_snapshots_so_the_next_visit_replays_little(board, alice, monkeypatch):
    monkeypatch.setattr(selectors, "SNAPSHOT_EVERY", 4)
    actor = Actor.for_user(alice)
    stage = board.stages.first()
    for number in range(10):
        apply_op(
            board_id=board.pk,
            actor=actor,
            name="stage.update",
            args={"id": str(stage.pk), "title": f"t{number}"},
        )
    board.refresh_from_db()

    board_at(board, board.seq)

    stored = set(Snapshot.objects.filter(board=board).values_list("seq", flat=True))
    assert {seq for seq in range(1, board.seq) if seq % 4 == 0} <= stored
    assert board.seq in stored


def test_a_date_finds_the_last_seq_applied_by_then(board, alice):
    actor = Actor.for_user(alice)
    stage = board.stages.first()
    first = apply_op(
        board_id=board.pk,
        actor=actor,
        name="stage.update",
        args={"id": str(stage.pk), "title": "Then"},
    )
    logged = board.ops.get(seq=first.seq).created_at
    apply_op(
        board_id=board.pk,
        actor=actor,
        name="stage.update",
        args={"id": str(stage.pk), "title": "Later"},
    )
    board.refresh_from_db()

    then = seq_at(board, logged)

    assert then == first.seq
    assert "Then" in [s["title"] for s in board_at(board, then)["stages"]]
    assert seq_at(board, board.created_at.replace(year=2000)) == 0


def test_the_daily_command_compacts_long_logs_so_any_seq_is_near_a_snapshot(
    board, alice, monkeypatch
):
    monkeypatch.setattr(selectors, "SNAPSHOT_EVERY", 5)
    actor = Actor.for_user(alice)
    stage = board.stages.first()
    for number in range(12):
        apply_op(
            board_id=board.pk,
            actor=actor,
            name="stage.update",
            args={"id": str(stage.pk), "title": f"t{number}"},
        )
    board.refresh_from_db()

    call_command("history_daily")

    stored = sorted(Snapshot.objects.filter(board=board).values_list("seq", flat=True))
    assert all(later - earlier <= 5 for earlier, later in zip([0, *stored], stored, strict=False))
    assert stored[-1] == board.seq
