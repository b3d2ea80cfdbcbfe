"""Two states of a journey side by side: which cards were added, removed or changed, cell by
cell (stage x lane).

Two states of one board match their objects by id, so a moved card is one change. A
current-state board and its future-state copy share no ids (the copy made new objects), so
there stages match by title, lanes by kind and title, and cards by text within a cell.

KPI deltas compare each stage's KPIs (journeydata) as each side knew them: the latest score of
every KPI recorded by then, matched by stage as above and by kind and name.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TypedDict

from boards.wire import CardData, SnapshotData
from journeydata.kpis import LOWER_IS_BETTER

CARD_FIELDS = (
    "text",
    "color",
    "emotion_score",
    "channel",
    "brand_controlled",
    "touchpoint_state",
    "moment_of_truth",
)


class CardChange(TypedDict):
    before: CardData
    after: CardData
    fields: list[str]


class CellDiff(TypedDict):
    stage: str
    lane: str
    added: list[CardData]
    removed: list[CardData]
    changed: list[CardChange]
    unchanged: int


class Totals(TypedDict):
    added: int
    removed: int
    changed: int
    unchanged: int


class KpiDelta(TypedDict):
    stage: str
    kind: str
    name: str
    unit: str
    left: float | None
    right: float | None
    delta: float | None
    better: bool | None  # whether the change is an improvement (lower is better for CES...)


class Diff(TypedDict):
    cells: list[CellDiff]
    totals: Totals
    kpis: list[KpiDelta]


def _keys_by_title(items: list[dict[str, Any]], title: Any) -> dict[str, str]:
    """id -> a key shared by same-titled items of both sides ("#2" for a repeated title)."""
    seen: Counter[str] = Counter()
    keys = {}
    for item in items:
        base = title(item)
        seen[base] += 1
        keys[item["id"]] = base if seen[base] == 1 else f"{base}#{seen[base]}"
    return keys


def _stage_title(stage: dict[str, Any]) -> str:
    return stage["title"].strip().casefold()


def _lane_title(lane: dict[str, Any]) -> str:
    return f"{lane['kind']}:{lane['title'].strip().casefold()}"


def _stage_keys(side: SnapshotData, same_board: bool) -> dict[str, str]:
    if same_board:
        return {stage["id"]: stage["id"] for stage in side["stages"]}
    return _keys_by_title(side["stages"], _stage_title)  # type: ignore[arg-type]


def _lane_keys(side: SnapshotData, same_board: bool) -> dict[str, str]:
    if same_board:
        return {lane["id"]: lane["id"] for lane in side["lanes"]}
    return _keys_by_title(side["lanes"], _lane_title)  # type: ignore[arg-type]


def compare(
    left: SnapshotData,
    right: SnapshotData,
    *,
    same_board: bool,
    kpis: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], []),
) -> Diff:
    """`kpis`: each side's KPI summaries (journeydata.selectors.summarise), if any."""
    sides = (left, right)
    stage_keys = [_stage_keys(side, same_board) for side in sides]
    lane_keys = [_lane_keys(side, same_board) for side in sides]

    # Cells in display order: the right side's stages and lanes, then what only the left had.
    stage_titles: dict[str, str] = {}
    lane_titles: dict[str, str] = {}
    for index in (1, 0):
        for stage in sides[index]["stages"]:
            stage_titles.setdefault(stage_keys[index][stage["id"]], stage["title"])
        for lane in sides[index]["lanes"]:
            lane_titles.setdefault(lane_keys[index][lane["id"]], lane["title"])

    def cell_of(index: int, card: CardData) -> tuple[str, str]:
        return stage_keys[index][card["stage_id"]], lane_keys[index][card["lane_id"]]

    def identity(index: int, card: CardData) -> Any:
        return card["id"] if same_board else (*cell_of(index, card), card["text"].strip())

    cells: dict[tuple[str, str], CellDiff] = {
        (stage, lane): {
            "stage": stage_titles[stage],
            "lane": lane_titles[lane],
            "added": [],
            "removed": [],
            "changed": [],
            "unchanged": 0,
        }
        for stage in stage_titles
        for lane in lane_titles
    }
    before = {identity(0, card): card for card in left["cards"]}
    for card in right["cards"]:
        cell = cells[cell_of(1, card)]
        old = before.pop(identity(1, card), None)
        if old is None:
            cell["added"].append(card)
            continue
        fields = [name for name in CARD_FIELDS if old[name] != card[name]]  # type: ignore[literal-required]
        if cell_of(0, old) != cell_of(1, card):
            fields.append("cell")
        if fields:
            cell["changed"].append({"before": old, "after": card, "fields": fields})
        else:
            cell["unchanged"] += 1
    for card in before.values():
        cells[cell_of(0, card)]["removed"].append(card)

    kept = [cell for cell in cells.values() if cell["added"] or cell["removed"] or cell["changed"]]
    totals: Totals = {
        "added": sum(len(cell["added"]) for cell in cells.values()),
        "removed": sum(len(cell["removed"]) for cell in cells.values()),
        "changed": sum(len(cell["changed"]) for cell in cells.values()),
        "unchanged": sum(cell["unchanged"] for cell in cells.values()),
    }
    deltas = _kpi_deltas(kpis, stage_keys, stage_titles)
    return {"cells": kept, "totals": totals, "kpis": deltas}


def _kpi_deltas(
    kpis: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    stage_keys: list[dict[str, str]],
    stage_titles: dict[str, str],
) -> list[KpiDelta]:
    """Stage KPIs of both sides, paired by stage, kind and name, in the stages' order."""
    values: dict[tuple[str, str, str], list[Any]] = {}
    for index, summaries in enumerate(kpis):
        for kpi in summaries:
            stage = stage_keys[index].get(kpi["stage_id"] or "")
            if stage is None:
                continue  # a touchpoint card's KPI, or a stage this side no longer shows
            pair = values.setdefault((stage, kpi["kind"], kpi["name"]), [None, None, kpi["unit"]])
            pair[index] = kpi["value"]
    order = {stage: position for position, stage in enumerate(stage_titles)}
    deltas: list[KpiDelta] = []
    for (stage, kind, name), (before, after, unit) in sorted(
        values.items(), key=lambda item: (order.get(item[0][0], 0), item[0][1], item[0][2])
    ):
        delta = round(after - before, 2) if before is not None and after is not None else None
        deltas.append(
            {
                "stage": stage_titles.get(stage, ""),
                "kind": kind,
                "name": name,
                "unit": unit,
                "left": before,
                "right": after,
                "delta": delta,
                "better": None if not delta else (delta < 0) == (kind in LOWER_IS_BETTER),
            }
        )
    return deltas
