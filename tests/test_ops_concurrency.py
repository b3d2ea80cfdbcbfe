"""Many writers on one board, as in a workshop: every acknowledged op is kept, and the board's
seqs come out 1..N with no gap and no duplicate, whatever the interleaving.

Threads each hold their own database connection; the process test runs separate Python
processes (as several Daphne workers would be) against the same test database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from boards.models import Board, Card, Membership, Op, Role
from boards.ops import apply_op
from boards.permissions import Actor

WRITERS = 8
OPS_PER_WRITER = 20


def first_cell(board: Board) -> dict[str, str]:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    return {"stage_id": str(stage.pk), "lane_id": str(lane.pk)}


def writers(board: Board, count: int) -> list[User]:
    users = [User.objects.create_user(username=f"writer{n}") for n in range(count)]
    Membership.objects.bulk_create(
        Membership(board=board, user=user, role=Role.EDITOR) for user in users
    )
    return users


def assert_log_is_gapless_and_holds(board: Board, acks: list[tuple[int, str]], seq_before: int):
    board.refresh_from_db()
    logged = dict(Op.objects.filter(board=board).values_list("seq", "client_op_id"))
    expected_total = seq_before + len(acks)
    assert board.seq == expected_total
    assert sorted(logged) == list(range(1, expected_total + 1))
    assert len({seq for seq, _ in acks}) == len(acks), "two acks carry the same seq"
    for seq, op_id in acks:
        assert str(logged[seq]) == op_id, f"ack for seq {seq} is not what the log holds"


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_writes_from_many_connections_without_gaps(board: Board) -> None:
    cell = first_cell(board)
    users = writers(board, WRITERS)
    seq_before = Board.objects.get(pk=board.pk).seq
    start = threading.Barrier(WRITERS)
    acks: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def write(user: User) -> None:
        try:
            start.wait()
            for n in range(OPS_PER_WRITER):
                applied = apply_op(
                    board_id=board.pk,
                    actor=Actor.for_user(user),
                    name="card.create",
                    args={**cell, "text": f"{user.username} #{n}"},
                )
                acks.append((applied.seq, applied.client_op_id))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(acks) == WRITERS * OPS_PER_WRITER
    assert_log_is_gapless_and_holds(board, acks, seq_before)
    assert Card.objects.filter(board=board).count() == WRITERS * OPS_PER_WRITER


WRITER_SCRIPT = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path

    import django

    django.setup()
    from django.contrib.auth.models import User

    from boards.ops import apply_op
    from boards.permissions import Actor

    board_id, username, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    cell = json.loads(sys.argv[5])
    actor = Actor.for_user(User.objects.get(username=username))
    (go.parent / f"ready-{username}").touch()
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    acks = []
    for n in range(count):
        args = {**cell, "text": f"{username} #{n}"}
        applied = apply_op(board_id=board_id, actor=actor, name="card.create", args=args)
        acks.append([applied.seq, applied.client_op_id])
    print(json.dumps(acks))
    """
)


def url_of_the_test_database() -> str:
    """A DATABASE_URL naming the database this test run uses (the test database)."""
    db: dict[str, Any] = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_writes_from_separate_processes_without_gaps(
    board: Board, tmp_path: Path
) -> None:
    processes_count, ops_per_process = 4, 20
    cell = first_cell(board)
    users = writers(board, processes_count)
    seq_before = Board.objects.get(pk=board.pk).seq
    go = tmp_path / "go"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url_of_the_test_database(),
    }
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WRITER_SCRIPT,
                str(board.pk),
                user.username,
                str(ops_per_process),
                str(go),
                json.dumps(cell),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in users
    ]
    # Start the writes together, once every process has Django up, so that they overlap.
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < processes_count and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()

    acks: list[tuple[int, str]] = []
    for process in processes:
        out, err = process.communicate(timeout=90)
        assert process.returncode == 0, err
        acks.extend((seq, op_id) for seq, op_id in json.loads(out.strip().splitlines()[-1]))

    assert len(acks) == processes_count * ops_per_process
    assert_log_is_gapless_and_holds(board, acks, seq_before)
