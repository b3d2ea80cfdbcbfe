"""Database-side figures, in one process with the server's settings and database:
op-apply throughput through `apply_op`, catch-up of the last 1k ops, and board snapshots of
1k/5k/10k cards (read + encoded as the frame a client receives); with --history-ops, the
same board reads after 100 and after 100k ops (history/: open, catch-up, time travel).

    python -m bench.dbbench --ops 1000 --cards 1000,5000,10000    → JSON on stdout
    python -m bench.dbbench --ops 0 --cards "" --history-ops 100,100000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid
from typing import Any

import django


def _best_of(repeat: int, job: Any) -> tuple[float, Any]:
    """Median wall time in ms of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = job()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def measure(ops: int, card_counts: list[int]) -> dict[str, Any]:
    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils.crypto import get_random_string

    from boards.models import BoardTemplate, Card, Lane, Stage
    from boards.ops import apply_op, encode_frame
    from boards.permissions import Actor
    from boards.selectors import board_snapshot, ops_since
    from boards.services import board_create

    owner = User.objects.create_user(f"dbbench-{get_random_string(6).lower()}")
    actor = Actor.for_user(owner)
    board = board_create(
        owner=owner,
        title="Benchmark board",
        language="en",
        template=BoardTemplate.objects.get(key="six-stages"),
    )
    stages = list(Stage.objects.filter(board=board))
    lanes = list(Lane.objects.filter(board=board))
    cell = {"stage_id": str(stages[0].pk), "lane_id": str(lanes[0].pk)}
    created = apply_op(
        board_id=board.pk, actor=actor, name="card.create", args={**cell, "text": "0"}
    )
    card_id = created.result["id"]

    started = time.perf_counter()
    for i in range(ops):
        apply_op(
            board_id=board.pk,
            actor=actor,
            name="card.update",
            args={"id": card_id, "text": f"edit {i}"},
        )
    apply_seconds = time.perf_counter() - started

    def catch_up() -> int:
        replay = ops_since(board.pk, board_seq() - ops)
        assert replay is not None
        return sum(len(op.frame) for op in replay)

    def board_seq() -> int:
        board.refresh_from_db(fields=["seq"])
        return board.seq

    catch_up_ms, catch_up_bytes = _best_of(5, catch_up)
    snapshots: dict[str, Any] = {}
    have = Card.objects.filter(board=board).count()
    for target in card_counts:
        Card.objects.bulk_create(
            [
                Card(
                    board=board,
                    stage=stages[i % len(stages)],
                    lane=lanes[i % len(lanes)],
                    position=f"a{i:07d}",
                    text=f"Card {i}: what the customer does, thinks and feels here",
                    author=owner,
                )
                for i in range(have, target)
            ],
            batch_size=500,
        )
        have = max(have, target)
        ms, size = _best_of(
            3, lambda: len(encode_frame({"type": "snapshot", **board_snapshot(board.pk)}))
        )
        snapshots[str(target)] = {"ms": round(ms, 1), "bytes": size}
    return {
        "database": connection.vendor,
        "op_apply": {"ops": ops, "ops_per_s": round(ops / apply_seconds, 1)},
        "catch_up": {"ops": ops, "ms": round(catch_up_ms, 1), "bytes": catch_up_bytes},
        "snapshot": snapshots,
    }


def _history_figures(board_id: Any, last: int) -> dict[str, float]:
    from boards.models import Board
    from boards.ops import encode_frame
    from boards.selectors import board_snapshot, ops_since
    from history.selectors import board_at
    from history.services import snapshots_refresh

    board = Board.objects.get(pk=board_id)
    started = time.perf_counter()
    snapshots_refresh()
    compaction_ms = (time.perf_counter() - started) * 1000
    open_ms, _ = _best_of(5, lambda: encode_frame({"type": "snapshot", **board_snapshot(board_id)}))
    catch_up_ms, _ = _best_of(5, lambda: ops_since(board_id, last - 100))
    # The worst seq to visit: just before the next stored snapshot, the longest replay.
    worst = max(0, last - last % 500 - 1)
    travel_now_ms, now = _best_of(5, lambda: board_at(board, last))
    travel_worst_ms, _ = _best_of(5, lambda: board_at(board, worst))
    assert now["cards"][0]["text"] == f"edit {last}"
    return {
        "open_ms": round(open_ms, 1),
        "catch_up_100_ms": round(catch_up_ms, 1),
        "time_travel_now_ms": round(travel_now_ms, 1),
        "time_travel_worst_ms": round(travel_worst_ms, 1),
        "compaction_ms": round(compaction_ms, 1),
    }


def measure_history(op_counts: list[int]) -> dict[str, Any]:
    """Opening a board, catching up 100 ops and travelling in time, on boards whose logs hold
    each count of ops, after the daily compaction (`history_daily`). The logs are written in
    bulk (card edits, as `apply_op` would have logged them): apply_op's own speed is above."""
    django.setup()
    from django.contrib.auth.models import User
    from django.utils.crypto import get_random_string

    from boards.models import Board, BoardTemplate, Card, Op
    from boards.ops import apply_op
    from boards.permissions import Actor
    from boards.services import board_create

    owner = User.objects.create_user(f"dbbench-h-{get_random_string(6).lower()}")
    actor = Actor.for_user(owner)
    figures: dict[str, Any] = {}
    for count in op_counts:
        board = board_create(
            owner=owner,
            title="History benchmark",
            language="en",
            template=BoardTemplate.objects.get(key="six-stages"),
        )
        stage, lane = board.stages.first(), board.lanes.first()
        args = {"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "0"}
        created = apply_op(board_id=board.pk, actor=actor, name="card.create", args=args)
        card, first = created.result, created.seq + 1
        last = created.seq + count
        for start in range(first, last + 1, 5000):
            Op.objects.bulk_create(
                Op(
                    board=board,
                    seq=seq,
                    client_op_id=uuid.uuid4(),
                    actor=owner,
                    actor_name=owner.username,
                    name="card.update",
                    args={"id": card["id"], "text": f"edit {seq}"},
                    result={**card, "text": f"edit {seq}", "version": seq},
                    before={"text": f"edit {seq - 1}"},
                )
                for seq in range(start, min(start + 5000, last + 1))
            )
        Card.objects.filter(pk=card["id"]).update(text=f"edit {last}", version=last)
        Board.objects.filter(pk=board.pk).update(seq=last)

        figures[str(count)] = _history_figures(board.pk, last)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--cards", default="1000,5000,10000")
    parser.add_argument("--history-ops", default="", help="e.g. 100,100000")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
    counts = [int(n) for n in args.cards.split(",") if n]
    figures = measure(args.ops, counts)
    history_counts = [int(n) for n in args.history_ops.split(",") if n]
    if history_counts:
        figures["history"] = measure_history(history_counts)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
