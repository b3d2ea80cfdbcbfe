"""A reference client store in plain Python: what a browser keeps of a board.

It starts from a `snapshot`, applies `op` frames in seq order by replacing each op's `result`
by id, and renders the same shape as `board_snapshot`. The convergence test holds it to
"snapshot + applied ops == fresh snapshot", the contract frontend/src/store.ts implements.
"""

from __future__ import annotations

import copy
from typing import Any

KINDS = {"stage": "stages", "lane": "lanes", "card": "cards", "persona": "personas"}
# Fields of the board that every op touches (the op log's seq, its timestamp): a client knows
# them from the frames' seq, not from the board object.
BOARD_BOOKKEEPING = ("seq", "updated_at")


class SeqGap(Exception):
    """The store was handed an op it cannot apply yet: the client must `sync`."""


class ClientStore:
    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.seq: int = snapshot["seq"]
        self.board: dict[str, Any] = copy.deepcopy(snapshot["board"])
        self.objects: dict[str, dict[str, dict[str, Any]]] = {
            kind: {item["id"]: copy.deepcopy(item) for item in snapshot[plural]}
            for kind, plural in KINDS.items()
        }

    def apply(self, frame: dict[str, Any]) -> None:
        if frame["seq"] <= self.seq:
            return  # already applied (a replay after sync, or an ack seen twice)
        if frame["seq"] != self.seq + 1:
            raise SeqGap(f"have {self.seq}, got {frame['seq']}")
        kind = frame["op"].split(".", 1)[0]
        result = copy.deepcopy(frame["result"])
        if kind == "board":
            self.board = result
        else:
            self.objects[kind][result["id"]] = result
        self.seq = frame["seq"]

    def view(self) -> dict[str, Any]:
        """The board as the user sees it, in board_snapshot's shape."""

        def live(kind: str) -> list[dict[str, Any]]:
            items = [item for item in self.objects[kind].values() if not item["deleted"]]
            return sorted(items, key=lambda item: (item["position"], item["id"]))

        stage_ids = {stage["id"] for stage in live("stage")}
        lane_ids = {lane["id"] for lane in live("lane")}
        return {
            "seq": self.seq,
            "board": without_bookkeeping(self.board),
            "stages": live("stage"),
            "lanes": live("lane"),
            # As in board_snapshot: a card shows only while its stage and its lane do.
            "cards": [
                card
                for card in live("card")
                if card["stage_id"] in stage_ids and card["lane_id"] in lane_ids
            ],
            "personas": live("persona"),
        }


def without_bookkeeping(board: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in board.items() if key not in BOARD_BOOKKEEPING}


def snapshot_view(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {**snapshot, "board": without_bookkeeping(snapshot["board"])}
