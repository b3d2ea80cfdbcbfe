"""A board's content in plain, comparable terms (titles instead of ids), to check that an
export brought back into a new board is the same board."""

from __future__ import annotations

from typing import Any

from boards.models import Board
from journeydata.backup import CARD_FIELDS, PERSONA_FIELDS
from journeydata.exports.content import board_content


def comparable(board: Board) -> dict[str, Any]:
    content = board_content(board.pk)
    stage_titles = {s["id"]: s["title"] for s in content.stages}
    card_texts = {c["id"]: c["text"] for c in content.snapshot["cards"]}
    return {
        "stages": [s["title"] for s in content.stages],
        "lanes": [(la["kind"], la["title"]) for la in content.lanes],
        "cells": {
            (stage["title"], lane["title"]): [
                {key: card[key] for key in CARD_FIELDS} for card in content.cell(stage, lane)
            ]
            for stage in content.stages
            for lane in content.lanes
            if content.cell(stage, lane)
        },
        "personas": [{key: p[key] for key in PERSONA_FIELDS} for p in content.personas],
        "samples": sorted(
            (
                stage_titles.get(s["stage_id"] or "", ""),
                card_texts.get(s["card_id"] or "", ""),
                s["kind"],
                s["name"],
                s["unit"],
                s["scale"],
                s["value"],
                sorted(s["counts"].items()),
                s["date"],
                s["source"],
            )
            for s in content.samples
        ),
        "kpis": [
            {k: v for k, v in kpi.items() if k not in ("stage_id", "card_id")}
            for kpi in content.kpis
        ],
    }
