"""The summary email: sent by a facilitator to every member with an address, each in the
language they use Journeymap in, with the goals, takeaways, actions and owners, the top-voted
pain points and the link to the board."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api_client import client_for
from tests.workshops.conftest import run_op

pytestmark = pytest.mark.django_db


def pain_point(board, user, text: str) -> str:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.get(kind="pain_points")
    args = {"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": text}
    return run_op(board, user, "card.create", args).result["id"]


def summary_url(board) -> str:
    return reverse("workshops:workshop-summary", args=[board.pk])


def test_each_member_gets_the_summary_in_their_language(board, alice, bob, mailoutbox, settings):
    settings.SITE_URL = "https://maps.example.org"
    fees, slots = pain_point(board, alice, "Fees shown late"), pain_point(board, bob, "No slots")
    run_op(board, alice, "vote.open", {"votes_per_participant": 3})
    for user, card in [(alice, fees), (bob, fees), (bob, slots)]:
        run_op(board, user, "vote.add", {"card_id": card})
    run_op(board, alice, "vote.close")
    run_op(board, bob, "insight.create", {"kind": "takeaway", "text": "Fees surprise people"})
    action = {"kind": "action", "text": "Show fees first", "owner": "Dana", "card_ids": [fees]}
    run_op(board, bob, "insight.create", {**action, "due_date": "2026-04-30"})
    # Bob reads the board in French (the board page's REST read remembers it).
    client_for(bob).get(
        reverse("workshops:workshop-state", args=[board.pk]), headers={"accept-language": "fr"}
    )

    response = client_for(alice).post(summary_url(board))

    assert response.status_code == 200
    assert response.json() == {"sent": 2}
    by_address = {message.to[0]: message for message in mailoutbox}
    english, french = by_address["alice@example.com"], by_address["bob@example.com"]
    assert english.subject == "Workshop summary: “Online grocery journey”"
    assert french.subject == "Synthèse de l\u2019atelier : « Online grocery journey »"
    assert french.extra_headers["Content-Language"] == "fr"
    text = english.body
    assert "Understand why first orders are abandoned" in text
    assert "- Fees surprise people" in text
    assert "- Show fees first — Dana (due April 30, 2026) [To do]" in text
    assert text.index("1. Fees shown late (2 votes)") < text.index("2. No slots (1 vote)")
    assert f"https://maps.example.org/boards/{board.pk}/" in text
    assert "Irritants les plus votés" in french.body
    assert "1. Fees shown late (2 votes)" in french.body
    assert "Show fees first" in french.alternatives[0][0]


def test_only_a_facilitator_sends_it_and_outsiders_learn_nothing(board, bob, charlie, mailoutbox):
    refused = client_for(bob).post(summary_url(board))
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert client_for(charlie).post(summary_url(board)).status_code == 404
    assert mailoutbox == []
