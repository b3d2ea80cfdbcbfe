"""Convergence: clients that apply ops in seq order on top of a snapshot, with delayed
delivery, disconnects and catch-up by sync, end with exactly the board a fresh snapshot shows.

The server side is real (apply_op, ops_since, board_snapshot, the op frames as encoded for the
wire); the clients are the reference store of tests/live/client_store.py.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boards.models import BoardTemplate
from boards.ops import OpError, apply_op
from boards.permissions import Actor
from boards.selectors import board_snapshot, ops_since
from boards.services import board_create
from tests.live.client_store import ClientStore, SeqGap, snapshot_view

pytestmark = pytest.mark.django_db

CLIENTS = 3


@dataclass
class SimClient:
    store: ClientStore
    connected: bool = True
    # Frames the server has sent but the client has not read yet (the network's delay).
    inbox: list[dict[str, Any]] = field(default_factory=list)

    def sync(self, board_id: str) -> None:
        """Reconnect: `sync` with the last seq, as docs/protocol.md says."""
        missed = ops_since(board_id, self.store.seq)
        if missed is None:
            self.store = ClientStore(json.loads(json.dumps(board_snapshot(board_id))))
        else:
            for applied in missed:
                self.store.apply(json.loads(applied.frame))
        self.connected = True
        self.inbox.clear()

    def read(self, count: int, board_id: str) -> None:
        for frame in self.inbox[:count]:
            try:
                self.store.apply(frame)
            except SeqGap:
                self.sync(board_id)
                return
        del self.inbox[:count]


def random_op(data: st.DataObject, board_id: str) -> tuple[str, dict[str, Any]]:
    snapshot = board_snapshot(board_id)
    stages = [s["id"] for s in snapshot["stages"]]
    lanes = [lane["id"] for lane in snapshot["lanes"]]
    cards = [c["id"] for c in snapshot["cards"]]
    text = data.draw(st.text(max_size=12))
    choices = ["stage.create", "lane.create"]
    if stages and lanes:
        choices += ["card.create"] * 4
    if cards:
        choices += ["card.update", "card.move", "card.delete"] * 2
    if len(stages) > 1:
        choices += ["stage.delete", "stage.move"]
    if len(lanes) > 1:
        choices += ["lane.update", "lane.delete"]
    name = data.draw(st.sampled_from(choices))
    pick = lambda ids: data.draw(st.sampled_from(ids))  # noqa: E731
    if name == "stage.create":
        return name, {"title": text or "Stage"}
    if name == "lane.create":
        return name, {"kind": "actions", "title": text or "Lane"}
    if name == "card.create":
        return name, {"stage_id": pick(stages), "lane_id": pick(lanes), "text": text}
    if name == "card.update":
        return name, {"id": pick(cards), "text": text}
    if name == "card.move":
        return name, {"id": pick(cards), "stage_id": pick(stages), "after": None}
    if name == "stage.move":
        return name, {"id": pick(stages), "after": None}
    if name == "lane.update":
        return name, {"id": pick(lanes), "title": text or "Lane"}
    target = {"card.delete": cards, "stage.delete": stages, "lane.delete": lanes}[name]
    return name, {"id": pick(target)}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_clients_converge_on_the_servers_board(alice, templates, data):
    board = board_create(
        owner=alice, title="Sim", language="en", template=BoardTemplate.objects.get(key="blank")
    )
    board_id = str(board.pk)
    actor = Actor.for_user(alice)
    start = json.loads(json.dumps(board_snapshot(board_id)))
    clients = [SimClient(ClientStore(start)) for _ in range(CLIENTS)]

    for _ in range(data.draw(st.integers(5, 30))):
        step = data.draw(st.sampled_from(["op", "op", "op", "read", "drop", "reconnect"]))
        who = clients[data.draw(st.integers(0, CLIENTS - 1))]
        if step == "op":
            name, args = random_op(data, board_id)
            try:
                applied = apply_op(
                    board_id=board_id, actor=actor, name=name, args=args, client_op_id=uuid.uuid4()
                )
            except OpError:
                continue
            frame = json.loads(applied.frame)
            for client in clients:
                if client.connected:
                    client.inbox.append(frame)
        elif step == "read":
            who.read(data.draw(st.integers(1, 5)), board_id)
        elif step == "drop":
            # The network drops the socket: unread frames are lost with it.
            who.connected = False
            who.inbox.clear()
        elif not who.connected:
            who.sync(board_id)

    fresh = snapshot_view(json.loads(json.dumps(board_snapshot(board_id))))
    for client in clients:
        if client.connected:
            client.read(len(client.inbox), board_id)
        else:
            client.sync(board_id)
        assert client.store.view() == fresh


def test_a_store_refuses_an_op_after_a_gap():
    store = ClientStore(
        {"seq": 3, "board": {}, "stages": [], "lanes": [], "cards": [], "personas": []}
    )
    with pytest.raises(SeqGap):
        store.apply({"seq": 5, "op": "stage.create", "result": {"id": "s"}})
