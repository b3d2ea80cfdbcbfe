"""The apply process (boards.live.apply_process, boards.live.apply_worker): a server process's
socket ops are applied by the same write path in a process beside it, with the same outcomes,
and what commits reaches the server's hub."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psutil
import pytest

from boards.live import apply_process as apply_process_module
from boards.live.apply_process import ApplyProcess, ApplyProcessGone, start_early
from boards.live.apply_worker import portable
from boards.live.direct import OutFrame
from boards.live.hub import get_hub
from boards.models import Board, Card
from boards.ops import AppliedOp, OpError, OpRequest, pipeline
from boards.ops.board_row import lock_board
from boards.permissions import Actor
from boards.protocol import ParticipantData
from tests.live.processes import database_env
from tests.locks import held_in_another_thread

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def apply_process() -> AsyncIterator[ApplyProcess]:
    env = {
        **os.environ,
        **database_env(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "REDIS_URL": "",
    }
    process = ApplyProcess(env)
    yield process
    await process.stop()


def create(user: Any, cell: tuple[str, str], text: str, **extra: Any) -> OpRequest:
    stage_id, lane_id = cell
    return OpRequest(
        Actor.for_user(user),
        "card.create",
        {"stage_id": stage_id, "lane_id": lane_id, "text": text},
        str(uuid.uuid4()),
        **extra,
    )


class Recorder:
    def __init__(self) -> None:
        self.participant: ParticipantData = {
            "id": "u:0",
            "name": "Recorder",
            "color": "#333",
            "role": "viewer",
        }
        self.frames: list[tuple[int, str]] = []

    def deliver_op(self, seq: int, frame: OutFrame) -> None:
        self.frames.append((seq, frame.text))

    def deliver_text(self, frame: OutFrame) -> None:
        pass


async def test_ops_are_applied_by_another_process(
    board: Board, alice: Any, cell: tuple[str, str], apply_process: ApplyProcess, monkeypatch
) -> None:
    def not_here(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("applied in the server process")

    monkeypatch.setattr(pipeline, "apply_ops", not_here)
    monkeypatch.setattr(pipeline, "apply_op", not_here)

    [applied] = await apply_process.apply_ops(str(board.pk), [create(alice, cell, "Compare")])

    assert isinstance(applied, AppliedOp)
    assert apply_process.pid not in (None, os.getpid())
    card = await Card.objects.aget(pk=applied.result["id"])
    assert (card.text, card.author_id) == ("Compare", alice.pk)
    assert applied.seq == (await Board.objects.aget(pk=board.pk)).seq


async def test_each_op_gets_its_own_outcome_and_refusals_speak_the_senders_language(
    board: Board, alice: Any, bob: Any, cell: tuple[str, str], apply_process: ApplyProcess
) -> None:
    unknown = OpRequest(Actor.for_user(bob), "card.explode", {}, str(uuid.uuid4()), language="fr")
    first, refused, last = await apply_process.apply_ops(
        str(board.pk), [create(alice, cell, "One"), unknown, create(bob, cell, "Two")]
    )

    assert isinstance(refused, OpError)
    assert (refused.code, refused.message) == (
        "invalid",
        "Opération «\u00a0card.explode\u00a0» inconnue.",
    )
    assert isinstance(first, AppliedOp)
    assert isinstance(last, AppliedOp)
    assert last.seq == first.seq + 1
    assert await Card.objects.filter(board=board, text__in=["One", "Two"]).acount() == 2


async def test_what_commits_reaches_the_hub_before_its_sender_hears_back(
    board: Board, alice: Any, cell: tuple[str, str], apply_process: ApplyProcess
) -> None:
    hub, socket = get_hub(), Recorder()
    await hub.register(str(board.pk), socket)
    hub.start_from(str(board.pk), board.seq)

    [applied] = await apply_process.apply_ops(str(board.pk), [create(alice, cell, "Seen")])

    assert isinstance(applied, AppliedOp)
    assert socket.frames == [(applied.seq, applied.frame)]


async def test_a_process_that_dies_fails_its_calls_and_the_next_call_starts_another(
    board: Board, alice: Any, cell: tuple[str, str], apply_process: ApplyProcess
) -> None:
    assert await apply_process.apply_ops(str(board.pk), []) == []  # started and answering
    first_pid = apply_process.pid
    assert first_pid is not None
    request = create(alice, cell, "Typed while the server restarted")

    # The board's lock held elsewhere: the call cannot finish before the process is killed.
    with held_in_another_thread(lambda: lock_board(board.pk)) as locked:
        assert await asyncio.to_thread(locked.wait, 10)
        call = asyncio.create_task(apply_process.apply_ops(str(board.pk), [request]))
        await asyncio.sleep(0)  # the call is sent
        os.kill(first_pid, signal.SIGKILL)
        with pytest.raises(ApplyProcessGone):
            await call

    assert not await Card.objects.filter(text=request.args["text"]).aexists()
    # The client resends the same op when it reconnects: applied once, by a new process.
    [applied] = await apply_process.apply_ops(str(board.pk), [request])
    assert isinstance(applied, AppliedOp)
    assert apply_process.pid not in (None, first_pid)
    assert await Card.objects.filter(text=request.args["text"]).acount() == 1


async def test_the_process_ends_when_the_server_closes_its_end(
    board: Board, apply_process: ApplyProcess
) -> None:
    await apply_process.apply_ops(str(board.pk), [])
    await apply_process.stop()
    assert apply_process.returncode == 0


@pytest.fixture
def started_early(monkeypatch, settings) -> Iterator[int]:
    """`start_early` as the ASGI module calls it, the child pointed at the test database;
    yields the pid of the process it started."""
    settings.LIVE_APPLY_PROCESS = True
    for name, value in {**database_env(), "REDIS_URL": ""}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "tests.settings")
    start_early()
    assert apply_process_module._early is not None
    pid = apply_process_module._early[2].pid
    yield pid
    taken = apply_process_module._take_early()  # not taken by the test: ended here
    if taken is not None:
        taken[0].close()
        psutil.Process(pid).wait(10)


async def test_the_process_started_with_the_server_applies_its_first_ops(
    board: Board, alice: Any, cell: tuple[str, str], started_early: int
) -> None:
    process = ApplyProcess()
    try:
        [applied] = await process.apply_ops(str(board.pk), [create(alice, cell, "First")])
        assert isinstance(applied, AppliedOp)
        assert process.pid == started_early
    finally:
        await process.stop()
    assert process.returncode == 0


async def test_a_forked_process_does_not_take_the_one_its_parent_started(
    board: Board, alice: Any, cell: tuple[str, str], started_early: int
) -> None:
    early = psutil.Process(started_early)
    assert apply_process_module._early is not None
    started_by, ours, child = apply_process_module._early
    # As if this process had been forked from the one that started it.
    apply_process_module._early = (started_by + 1, ours, child)
    process = ApplyProcess()
    try:
        [applied] = await process.apply_ops(str(board.pk), [create(alice, cell, "Own")])
        assert isinstance(applied, AppliedOp)
        assert process.pid not in (None, started_early)
    finally:
        await process.stop()
    # It closed its copy of the other's end. Here, not really forked, that was the only copy:
    # the other process saw its server go and ended.
    assert early.wait(10) == 0


def test_an_exception_that_cannot_cross_says_what_it_was() -> None:
    class Local(Exception):  # a class pickle cannot find by name
        pass

    crossed = portable(Local("disk full"))
    assert isinstance(crossed, RuntimeError)
    assert str(crossed) == "Local: disk full"
    refusal = OpError("conflict", "Changed meanwhile", current={"text": "B"})
    assert portable(refusal) is refusal
