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
    monkeypatch.setattr(bench.client, "PROTOCOL_PING_SECONDS", 1.0)
    participants = [Participant(i, None, None) for i in range(60)]
    load = Load(1.0, 0.0, False, 10.0, 0, 1.0)  # cursors at 10 Hz: ticks of 10 ms
    worker = Worker(WorkerSpec(0, "ws://unused/", "http://unused", participants, load))
    presence_sent = 0
    ping_ticks: dict[int, int] = {}  # participant -> the tick of its ping

    async def record(client: ClientState, message: dict[str, Any]) -> None:
        nonlocal presence_sent
        if message["type"] == "presence":
            presence_sent += 1
        else:  # every tick sends 6 cursor moves (60 participants, one in ten) before its pings
            assert client.participant.index not in ping_ticks, "pinged twice in one interval"
            ping_ticks[client.participant.index] = presence_sent // 6 - 1

    monkeypatch.setattr(worker, "_send_quietly", record)
    for client in worker.clients:
        client.socket = object()  # type: ignore[assignment]  # connected, as far as it knows
    start = time.time()
    asyncio.run(worker._presence_and_pings(start, start + 1.0))

    assert sorted(ping_ticks) == list(range(60))
    # 100 ticks in the interval: 60 pings at random phases land on many, not on one or two.
    assert len(set(ping_ticks.values())) >= 20
