"""Database-side figures, in one process with the server's settings and database:
op-apply throughput through `apply_op`, catch-up of the last 1k ops, and board snapshots of
1k/5k/10k cards (read + encoded as the frame a client receives).

    python -m bench.dbbench --ops 1000 --cards 1000,5000,10000    → JSON on stdout
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=1000)
    parser.add_argument("--cards", default="1000,5000,10000")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "journeymap.settings")
    counts = [int(n) for n in args.cards.split(",") if n]
    print(json.dumps(measure(args.ops, counts)))


if __name__ == "__main__":
    main()
