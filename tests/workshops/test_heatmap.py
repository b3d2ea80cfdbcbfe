"""Dot votes feed the friction heatmap of the data page (journeydata.analysis)."""

from __future__ import annotations

import pytest

from journeydata.analysis import board_analysis
from journeydata.exports.content import board_content
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db


def test_each_dot_on_a_pain_point_weighs_in_its_heatmap_cell(board, alice, bob):
    stage = board.stages.order_by("position").first()
    lane = board.lanes.get(kind="pain_points")
    args = {"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "Fees shown late"}
    card_id = run_op(board, alice, "card.create", args).result["id"]
    run_op(board, alice, "vote.open", {"votes_per_participant": 3, "hide_results": False})
    for user in (alice, bob, bob):
        run_op(board, user, "vote.add", {"card_id": card_id})

    heatmap = board_analysis(board.pk, board_content(board.pk))["heatmap"]

    row = heatmap["lanes"].index(lane.title)
    column = heatmap["stages"].index(stage.title)
    assert heatmap["cells"][row][column] == 1 + 3


def test_the_dots_of_a_hidden_vote_weigh_only_once_it_closes(board, alice, bob):
    stage = board.stages.order_by("position").first()
    lane = board.lanes.get(kind="pain_points")
    args = {"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "No slots"}
    card_id = run_op(board, alice, "card.create", args).result["id"]
    run_op(board, alice, "vote.open", {"votes_per_participant": 3, "hide_results": True})
    run_op(board, bob, "vote.add", {"card_id": card_id})

    def weight() -> int:
        heatmap = board_analysis(board.pk, board_content(board.pk))["heatmap"]
        row = heatmap["lanes"].index(lane.title)
        return heatmap["cells"][row][heatmap["stages"].index(stage.title)]

    assert weight() == 1
    run_op(board, alice, "vote.close")
    assert weight() == 2
