"""What the map says, computed from its content: where friction concentrates, how the
customer feels along the journey, which touchpoints are missing or unplanned, the moments of
truth, and two boards side by side. Pure functions of an exported BoardContent (plus the dot
votes, when the workshop app keeps them), so each is tested on plain data.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TypedDict

from django.apps import apps
from django.db.models import Count

from boards.models import LaneKind, TouchpointState
from boards.wire import CardData
from journeydata import tables
from journeydata.exports.content import BoardContent
from journeydata.exports.kpi_text import kpi_line


class HeatmapData(TypedDict):
    stages: list[str]
    lanes: list[str]
    # cells[lane][stage]: the friction weight of that cell
    cells: list[list[int]]
    stage_totals: list[int]
    max: int


class EmotionStageData(TypedDict):
    stage: str
    average: float | None
    count: int
    lowest: int | None
    highest: int | None


class GapStageData(TypedDict):
    stage: str
    desired_not_observed: list[str]
    observed_not_planned: list[str]


class MomentData(TypedDict):
    stage: str
    lane: str
    text: str
    emotion_score: int | None
    votes: int
    kpis: list[str]


class ComparedStageData(TypedDict):
    stage: str
    cards: list[int | None]
    pain_points: list[int | None]
    emotion: list[float | None]
    kpis: list[list[str]]


def card_votes(board_id: uuid.UUID | str, card_ids: list[str]) -> dict[str, int]:
    """Dot votes per card, when the workshop app (dot voting) is installed; else none."""
    if not apps.is_installed("workshops") or not card_ids:
        return {}
    vote = apps.get_model("workshops", "Vote")
    # The dots of a vote still open with hidden results are nobody's to read yet.
    shown = vote.objects.filter(card_id__in=card_ids).exclude(
        session__closed_at__isnull=True, session__hide_results=True
    )
    counted = shown.values("card_id").annotate(n=Count("id"))
    return {str(row["card_id"]): row["n"] for row in counted}


def is_friction(card: CardData, lane_kind: str) -> bool:
    """A pain point: a card in a pain-point lane, or one that records a negative emotion."""
    negative = card["emotion_score"] is not None and card["emotion_score"] < 0
    return lane_kind == LaneKind.PAIN_POINTS or negative


def friction_heatmap(content: BoardContent, votes: Mapping[str, int]) -> HeatmapData:
    """Pain points per stage x lane, each weighted by one plus its dot votes."""
    cells = [
        [
            sum(
                1 + votes.get(card["id"], 0)
                for card in content.cell(stage, lane)
                if is_friction(card, lane["kind"])
            )
            for stage in content.stages
        ]
        for lane in content.lanes
    ]
    totals = [sum(row[index] for row in cells) for index in range(len(content.stages))]
    return {
        "stages": [stage["title"] for stage in content.stages],
        "lanes": [lane["title"] for lane in content.lanes],
        "cells": cells,
        "stage_totals": totals,
        "max": max((value for row in cells for value in row), default=0),
    }


def emotion_curve(content: BoardContent) -> list[EmotionStageData]:
    """Per stage, the mean of its emotion scores (-2 to +2), with their count and range."""
    curve: list[EmotionStageData] = []
    for stage in content.stages:
        scores = [
            card["emotion_score"]
            for lane in content.lanes
            for card in content.cell(stage, lane)
            if card["emotion_score"] is not None
        ]
        curve.append(
            {
                "stage": stage["title"],
                "average": round(sum(scores) / len(scores), 2) if scores else None,
                "count": len(scores),
                "lowest": min(scores) if scores else None,
                "highest": max(scores) if scores else None,
            }
        )
    return curve


def _touchpoint_key(card: CardData) -> str:
    """Two touchpoint cards are the same touchpoint when they name the same channel, or,
    without a channel, when their text is the same."""
    return f"channel:{card['channel']}" if card["channel"] else tables.normalise(card["text"])


def touchpoint_gap(content: BoardContent) -> list[GapStageData]:
    """Per stage: touchpoints the team wants but did not observe, and those observed that the
    target journey does not plan."""
    gaps: list[GapStageData] = []
    for stage in content.stages:
        cards = [card for lane in content.lanes for card in content.cell(stage, lane)]
        desired = [c for c in cards if c["touchpoint_state"] == TouchpointState.DESIRED]
        observed = [c for c in cards if c["touchpoint_state"] == TouchpointState.OBSERVED]
        desired_keys = {_touchpoint_key(c) for c in desired}
        observed_keys = {_touchpoint_key(c) for c in observed}
        gaps.append(
            {
                "stage": stage["title"],
                "desired_not_observed": [
                    c["text"] for c in desired if _touchpoint_key(c) not in observed_keys
                ],
                "observed_not_planned": [
                    c["text"] for c in observed if _touchpoint_key(c) not in desired_keys
                ]
                if desired
                else [],
            }
        )
    return gaps


def moments_of_truth(content: BoardContent, votes: Mapping[str, int]) -> list[MomentData]:
    """The cards marked as moments of truth, in journey order, with what the map knows of
    them: the emotion, the votes, and the stage's KPIs."""
    return [
        {
            "stage": stage["title"],
            "lane": lane["title"],
            "text": card["text"],
            "emotion_score": card["emotion_score"],
            "votes": votes.get(card["id"], 0),
            "kpis": [kpi_line(kpi) for kpi in content.kpis_of_stage(stage)],
        }
        for stage in content.stages
        for lane in content.lanes
        for card in content.cell(stage, lane)
        if card["moment_of_truth"]
    ]


def compare(first: BoardContent, second: BoardContent) -> list[ComparedStageData]:
    """Two boards stage by stage (matched by title, in the first board's order, then the
    second's own stages): cards, pain points, mean emotion and KPIs of each."""
    titles: list[str] = []
    for content in (first, second):
        for stage in content.stages:
            if tables.normalise(stage["title"]) not in map(tables.normalise, titles):
                titles.append(stage["title"])
    rows: list[ComparedStageData] = []
    for title in titles:
        row: ComparedStageData = {
            "stage": title,
            "cards": [],
            "pain_points": [],
            "emotion": [],
            "kpis": [],
        }
        for content in (first, second):
            stage = next(
                (
                    s
                    for s in content.stages
                    if tables.normalise(s["title"]) == tables.normalise(title)
                ),
                None,
            )
            if stage is None:
                row["cards"].append(None)
                row["pain_points"].append(None)
                row["emotion"].append(None)
                row["kpis"].append([])
                continue
            in_stage = [
                (card, lane) for lane in content.lanes for card in content.cell(stage, lane)
            ]
            scores = [c["emotion_score"] for c, _ in in_stage if c["emotion_score"] is not None]
            row["cards"].append(len(in_stage))
            row["pain_points"].append(
                sum(1 for c, lane in in_stage if is_friction(c, lane["kind"]))
            )
            row["emotion"].append(round(sum(scores) / len(scores), 2) if scores else None)
            row["kpis"].append([kpi_line(kpi) for kpi in content.kpis_of_stage(stage)])
        rows.append(row)
    return rows


class AnalysisData(TypedDict):
    heatmap: HeatmapData
    emotion_curve: list[EmotionStageData]
    touchpoint_gap: list[GapStageData]
    moments_of_truth: list[MomentData]


def board_analysis(board_id: uuid.UUID | str, content: BoardContent) -> AnalysisData:
    votes = card_votes(board_id, [card["id"] for card in content.snapshot["cards"]])
    return {
        "heatmap": friction_heatmap(content, votes),
        "emotion_curve": emotion_curve(content),
        "touchpoint_gap": touchpoint_gap(content),
        "moments_of_truth": moments_of_truth(content, votes),
    }
