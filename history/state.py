"""A board's content as plain data, and how ops move it forward.

The state has the shape of `boards.wire.SnapshotData`, except that deleted objects stay in it
(a stage restored later brings its cards back). Every op's `result` is the whole object after
the change, so replaying an op is an upsert of that result; ops that change several objects
at once (`version.restore`) carry them under `changes`, by kind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from boards.models import Board, Card, Lane, Persona, Stage
from boards.ordering import sort_by_position
from boards.selectors import consistent_read
from boards.wire import SnapshotData, board_data, cards_data, lane_data, persona_data, stage_data

# Op name prefix -> the list it changes in a state.
ITEM_LISTS = {"stage": "stages", "lane": "lanes", "card": "cards", "persona": "personas"}


def capture(board_id: uuid.UUID | str) -> SnapshotData:
    """The board as it is in the database now, tombstones included, at its current seq."""
    with consistent_read():
        board = Board.objects.get(pk=board_id)
        stages = list(Stage.objects.filter(board_id=board_id))
        lanes = list(Lane.objects.filter(board_id=board_id))
        cards = cards_data(Card.objects.filter(board_id=board_id))
        personas = list(Persona.objects.filter(board_id=board_id))
    return {
        "seq": board.seq,
        "board": board_data(board),
        "stages": [stage_data(stage) for stage in stages],
        "lanes": [lane_data(lane) for lane in lanes],
        "cards": cards,
        "personas": [persona_data(persona) for persona in personas],
    }


class Replay:
    """A state being moved forward op by op; items are kept by id while replaying."""

    def __init__(self, state: SnapshotData | dict[str, Any]) -> None:
        self.seq: int = state["seq"]
        self.board: dict[str, Any] = dict(state["board"])
        self.items: dict[str, dict[str, dict[str, Any]]] = {
            plural: {item["id"]: item for item in state[plural]} for plural in ITEM_LISTS.values()
        }

    def apply(self, *, seq: int, name: str, result: dict[str, Any], at: str) -> None:
        kind = name.split(".", 1)[0]
        if kind == "board":
            self.board = dict(result)
        elif kind in ITEM_LISTS and isinstance(result.get("id"), str):
            self.items[ITEM_LISTS[kind]][result["id"]] = result
        changes = result.get("changes")
        if isinstance(changes, dict):
            self.apply_changes(changes)
        self.seq = seq
        self.board["seq"] = seq
        self.board["updated_at"] = at

    def apply_changes(self, changes: dict[str, Any]) -> None:
        if isinstance(changes.get("board"), dict):
            self.board = dict(changes["board"])
        for plural in ITEM_LISTS.values():
            for item in changes.get(plural, []):
                self.items[plural][item["id"]] = item

    def state(self) -> SnapshotData:
        return {
            "seq": self.seq,
            "board": dict(self.board),  # type: ignore[typeddict-item]
            **{plural: list(items.values()) for plural, items in self.items.items()},  # type: ignore[typeddict-item]
        }


class _Positioned:
    """Wraps a wire dict so `sort_by_position` orders it exactly as the live snapshot does."""

    __slots__ = ("data", "pk", "position")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.position = data["position"]
        self.pk = data["id"]


def _sorted_live(items: Iterable[dict[str, Any]]) -> list[Any]:
    return [
        wrapped.data
        for wrapped in sort_by_position(_Positioned(item) for item in items if not item["deleted"])
    ]


def visible(state: SnapshotData | dict[str, Any]) -> SnapshotData:
    """What the board showed in that state: `boards.selectors.board_snapshot`'s answer."""
    stages = _sorted_live(state["stages"])
    lanes = _sorted_live(state["lanes"])
    stage_ids = {stage["id"] for stage in stages}
    lane_ids = {lane["id"] for lane in lanes}
    cards = [
        card
        for card in _sorted_live(state["cards"])
        if card["stage_id"] in stage_ids and card["lane_id"] in lane_ids
    ]
    return {
        "seq": state["seq"],
        "board": state["board"],
        "stages": stages,
        "lanes": lanes,
        "cards": cards,
        "personas": _sorted_live(state["personas"]),
    }
