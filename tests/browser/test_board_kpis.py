"""KPIs under the stages of the board in a real browser: a sample pushed by a script shows up
live for everyone, with its value, trend line and colour cue."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYNC_MS = 5000


def push(server_url: str, board, user, **sample) -> None:
    """What a CRM job does: POST the sample to the running server with an API token."""
    token, _ = Token.objects.get_or_create(user=user)
    request = urllib.request.Request(
        f"{server_url}/api/boards/{board.pk}/metrics/",
        data=json.dumps(sample).encode(),
        headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201


def test_a_pushed_kpi_appears_under_its_stage_for_everyone(
    board, alice, bob, open_board, server_url
):
    stages = list(board.stages.order_by("position"))
    push(
        server_url,
        board,
        alice,
        stage_id=str(stages[3].pk),
        kind="nps",
        responses=[2, 3],
        date="2026-01-31",
    )
    alice_page = open_board(alice, board.id)
    bob_page = open_board(bob, board.id, language="fr")
    first = alice_page.locator(".kpi-cell").nth(3).locator(".kpi")
    expect(first).to_have_count(1, timeout=SYNC_MS)
    expect(first).to_have_class("kpi kpi-bad")
    expect(first.locator(".kpi-value")).to_have_text("-100")

    # A CRM job pushes this month's answers.
    push(
        server_url,
        board,
        bob,
        stage_id=str(stages[3].pk),
        kind="nps",
        responses=[10, 9, 9, 8],
        date="2026-02-28",
    )

    for page in (alice_page, bob_page):
        chip = page.locator(".kpi-cell").nth(3).locator(".kpi")
        expect(chip.locator(".kpi-value")).to_have_text("75", timeout=SYNC_MS)
        expect(chip).to_have_class("kpi kpi-good")
        expect(chip.locator(".kpi-counts")).to_have_text("3 / 1 / 0")
        expect(chip.locator(".kpi-spark polyline")).to_have_count(1)
    expect(bob_page.locator(".kpi-header")).to_have_text("KPI")
    assert "promoteurs" in bob_page.locator(".kpi-cell").nth(3).locator(".kpi").get_attribute(
        "title"
    )
