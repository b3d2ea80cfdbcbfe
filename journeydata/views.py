"""The board's journey data page: exports, import with preview, restore, KPIs, and the
analysis views (friction heatmap, emotion curve, touchpoint gaps, moments of truth,
comparison with another board). Viewers see it all; importing needs an editor."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boards.models import Board, Role
from boards.ops import OpError, apply_op
from boards.permissions import Actor, role_on_board
from boards.selectors import boards_of_user
from journeydata.analysis import board_analysis, compare
from journeydata.exports.content import board_content
from journeydata.exports.kpi_text import kpi_label, kpi_value
from journeydata.imports import CellValueError, cell_number, cell_text
from journeydata.models import MetricKind
from journeydata.tables import parse_answers

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
            "metric_kinds": MetricKind.choices,
            "stages": content.stages,
            "samples": [
                {
                    **sample,
                    "stage": content.stage_title(sample["stage_id"]),
                    "card": (content.card(sample["card_id"]) or {}).get("text", ""),
                }
                for sample in reversed(content.samples)
            ],
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


def _sample_args(form: dict[str, str]) -> dict[str, object]:
    """The metric.record arguments of the page's form; the op validates them."""
    args: dict[str, object] = {"stage_id": form.get("stage_id", ""), "kind": form.get("kind", "")}
    for key in ("name", "unit", "source", "date"):
        if cell_text(form.get(key)):
            args[key] = cell_text(form.get(key))
    if cell_text(form.get("scale")):
        args["scale"] = int(cell_number(form["scale"]) or 0)
    if cell_text(form.get("value")):
        args["value"] = cell_number(form["value"])
    answers = parse_answers(cell_text(form.get("answers")))
    if answers:
        args["counts" if isinstance(answers, dict) else "responses"] = answers
    elif cell_text(form.get("answers")):
        raise CellValueError(_("Write answers as 10:12; 9:30 or 10 9 7."))
    return args


@login_required
@require_POST
def board_data_sample(request: HttpRequest, board_id: uuid.UUID) -> HttpResponse:
    """Record a KPI sample typed on the page, or delete one: one op, as everywhere."""
    actor = Actor.for_user(request.user)
    if role_on_board(board_id, actor) is None:
        raise Http404
    try:
        if "delete" in request.POST:
            name, args = "metric.delete", {"id": request.POST["delete"]}
        else:
            name, args = "metric.record", _sample_args(request.POST.dict())
        apply_op(board_id=board_id, actor=actor, name=name, args=args)
    except CellValueError as error:
        messages.error(request, str(error))
    except OpError as error:
        details = "; ".join(
            f"{field}: {' '.join(texts)}" for field, texts in (error.details or {}).items()
        )
        messages.error(request, f"{error.message} {details}".strip())
    else:
        messages.success(
            request, _("Sample deleted.") if name == "metric.delete" else _("Sample recorded.")
        )
    return redirect(f"{request.path.removesuffix('samples/')}#samples")
