"""The load client behaves like a workshop's browsers: cursor moves and pings spread out."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

import bench.client
from bench.client import ClientState, Load, Participant, Worker, WorkerSpec


def test_each_participant_pings_once_per_interval_at_a_phase_of_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench.client, "PROTOCOL_PING_SECONDS", 0.5)
    participants = [Participant(i, None, None) for i in range(60)]
    load = Load(0.5, 0.0, False, 10.0, 0, 1.0)
    worker = Worker(WorkerSpec(0, "ws://unused/", "http://unused", participants, load))
    pings: list[tuple[int, float]] = []

    async def record(client: ClientState, message: dict[str, Any]) -> None:
        if message["type"] == "ping":
            pings.append((client.participant.index, time.time()))

    monkeypatch.setattr(worker, "_send_quietly", record)
    for client in worker.clients:
        client.socket = object()  # type: ignore[assignment]  # connected, as far as it knows
    start = time.time()
    asyncio.run(worker._presence_and_pings(start, start + 0.5))

    assert sorted(index for index, _ in pings) == list(range(60))
    # 50 ticks in the interval: the 60 pings land on many of them, not on one.
    ticks = {round((at - start) / 0.01) for _, at in pings}
    assert len(ticks) >= 20
