"""The board's journey data page: exports, import with preview, restore, KPIs, and the
analysis views (friction heatmap, emotion curve, touchpoint gaps, moments of truth,
comparison with another board). Viewers see it all; importing needs an editor."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from boards.models import Board, Role
from boards.permissions import Actor, role_on_board
from boards.selectors import boards_of_user
from journeydata.analysis import board_analysis, compare
from journeydata.exports.content import board_content
from journeydata.exports.kpi_text import kpi_label, kpi_value

# The emotion curve's drawing box: one column per stage, scores -2 (bottom) to +2 (top).
CURVE_STAGE_WIDTH = 120
CURVE_HEIGHT = 120


def _curve_points(curve: list[dict]) -> str:
    return " ".join(
        f"{index * CURVE_STAGE_WIDTH + CURVE_STAGE_WIDTH // 2},"
        f"{round((2 - point['average']) / 4 * CURVE_HEIGHT, 1)}"
        for index, point in enumerate(curve)
        if point["average"] is not None
    )


def _page_strings() -> dict[str, str]:
    """What the page's script shows, translated here like the rest of the page."""
    return {
        "uploading": _("Uploading… %(percent)s %%"),
        "processing": _("Reading the file and checking every row…"),
        "failed": _("The import failed."),
        "preview": _(
            "%(cards)s cards, %(personas)s personas and %(samples)s KPI samples would be imported."
        ),
        "new_stages": _("New stages: %(names)s"),
        "new_lanes": _("New lanes: %(names)s"),
        "errors": _("Fix these problems, then preview again:"),
        "row": _("Row"),
        "column": _("Column"),
        "problem": _("Problem"),
        "table": _("Table"),
        "done": _("Imported. The board now shows it."),
        "restored": _("Restored. Opening the new board…"),
    }


@login_required
def board_data(request: HttpRequest, board_id: uuid.UUID) -> HttpResponse:
    # Signed-in members only: the page's exports and imports are REST calls, which guests
    # who joined by share link cannot make.
    actor = Actor.for_user(request.user)
    role = role_on_board(board_id, actor)
    if role is None:
        raise Http404
    board = Board.objects.get(pk=board_id)
    content = board_content(board_id)
    analysis = board_analysis(board_id, content)
    other_id = request.GET.get("with", "")
    comparison = None
    other = None
    if other_id:
        try:
            other_uuid = uuid.UUID(other_id)
        except ValueError:
            raise Http404 from None
        if role_on_board(other_uuid, actor) is None:
            raise Http404
        other = Board.objects.get(pk=other_uuid)
        comparison = [
            {
                "stage": row["stage"],
                "sides": [
                    None
                    if row["cards"][side] is None
                    else {
                        "cards": row["cards"][side],
                        "pain_points": row["pain_points"][side],
                        "emotion": row["emotion"][side],
                        "kpis": row["kpis"][side],
                    }
                    for side in (0, 1)
                ],
            }
            for row in compare(content, board_content(other_uuid))
        ]
    heat = analysis["heatmap"]
    return render(
        request,
        "journeydata/data.html",
        {
            "board": board,
            "can_import": role.includes(Role.EDITOR) and not board.archived,
            "formats": ["xlsx", "pdf", "png", "json"],
            "kpis": [
                {
                    "stage": content.stage_title(
                        (content.card(kpi["card_id"]) or {}).get("stage_id") or kpi["stage_id"]
                    ),
                    "card": (content.card(kpi["card_id"]) or {}).get("text", ""),
                    "label": kpi_label(kpi),
                    "value": kpi_value(kpi),
                    **kpi,
                }
                for kpi in content.kpis
            ],
            "heatmap_rows": [
                {
                    "lane": lane,
                    "cells": [
                        {
                            "value": value,
                            "share": round(value / heat["max"], 2) if heat["max"] else 0,
                        }
                        for value in row
                    ],
                }
                for lane, row in zip(heat["lanes"], heat["cells"], strict=True)
            ],
            "heatmap": heat,
            "curve": analysis["emotion_curve"],
            "curve_points": _curve_points(analysis["emotion_curve"]),
            "curve_width": CURVE_STAGE_WIDTH * max(len(analysis["emotion_curve"]), 1),
            "curve_height": CURVE_HEIGHT,
            "gaps": analysis["touchpoint_gap"],
            "moments": analysis["moments_of_truth"],
            "other_boards": [b for b in boards_of_user(request.user.pk) if b.pk != board.pk],
            "other": other,
            "comparison": comparison,
            "page_strings": _page_strings(),
        },
    )
