"""Insights: key takeaways and action items (owner, due date, status) linked to the
pain-point and opportunity cards they answer, written by ops like the rest of the board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from boards.ops import OpError
from tests.api_client import client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db


def card_in(board, user, lane_kind: str, text: str = "x") -> str:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.get(kind=lane_kind)
    args = {"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": text}
    return run_op(board, user, "card.create", args).result["id"]


def refused(board, user, name, args) -> OpError:
    with pytest.raises(OpError) as error:
        run_op(board, user, name, args)
    return error.value


def test_an_action_item_has_an_owner_a_due_date_a_status_and_the_cards_it_answers(
    board, alice, bob
):
    pain = card_in(board, alice, "pain_points", "Fees shown late")
    idea = card_in(board, alice, "opportunities", "Show fees on the product page")

    created = run_op(
        board,
        bob,
        "insight.create",
        {
            "kind": "action",
            "text": "Show delivery fees before the basket",
            "owner": "Dana (product)",
            "due_date": "2026-04-30",
            "card_ids": [pain, idea],
        },
    ).result
    done = run_op(board, alice, "insight.update", {"id": created["id"], "status": "done"}).result

    assert created["status"] == "todo"
    assert done["status"] == "done"
    assert done["due_date"] == "2026-04-30"
    assert done["card_ids"] == [pain, idea]
    state = client_for(bob).get(reverse("workshops:workshop-state", args=[board.pk])).json()
    assert [insight["text"] for insight in state["insights"]] == [
        "Show delivery fees before the basket"
    ]


def test_it_links_only_pain_points_and_opportunities_the_author_can_see(board, alice, bob):
    action = card_in(board, alice, "actions")
    run_op(board, alice, "private.start")
    private_pain = card_in(board, alice, "pain_points")
    takeaway = {"kind": "takeaway", "text": "Fees surprise people"}

    for card_ids in ([action], [private_pain], ["9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"]):
        error = refused(board, bob, "insight.create", {**takeaway, "card_ids": card_ids})
        assert error.details == {
            "card_ids": ["Link only pain points and opportunities of this board."]
        }
    run_op(board, alice, "insight.create", {**takeaway, "card_ids": [private_pain]})


def test_bad_insight_fields_are_refused(board, bob):
    for args in (
        {"kind": "action", "text": "x", "due_date": "30/04/2026"},
        {"kind": "action", "text": "x", "status": "someday"},
        {"kind": "wish", "text": "x"},
        {"kind": "action"},
    ):
        assert refused(board, bob, "insight.create", args).code == "invalid"
