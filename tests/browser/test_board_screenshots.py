"""The board as people see it, in English and French, saved under test-artifacts/ for review.

`UPDATE_SCREENSHOTS=1` also refreshes the README's picture in docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import expect

from boards.management.commands.seed_demo import demo_board_create
from boards.models import Membership, Role
from tests.browser.conftest import REPO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_filled_board_with_two_people_on_it(
    alice, bob, templates, open_board, artifacts, language
):
    board = demo_board_create(owner=alice)
    Membership.objects.create(board=board, user=bob, role=Role.EDITOR)
    page = open_board(alice, board.id, language=language, width=1600)
    bob_page = open_board(bob, board.id, language=language)

    # Bob points at a card and edits another: alice sees his cursor and who is editing.
    bob_page.locator(".card", has_text="Downloads the app").hover()
    bob_page.locator(".card", has_text="Fills a basket").locator(".editable").click()
    expect(page.locator(".card-editor-badge")).to_be_visible(timeout=3000)
    expect(page.locator(".cursor")).to_be_visible(timeout=3000)

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".stage-header")).to_have_count(6)
    expect(page.locator(".curve-dot")).to_have_count(6)
    page.mouse.move(5, 5)
    path = artifacts / f"board-{language}.png"
    page.screenshot(path=path)
    if language == "en" and os.environ.get("UPDATE_SCREENSHOTS"):
        (REPO / "docs" / "screenshots").mkdir(exist_ok=True)
        shutil.copyfile(path, REPO / "docs" / "screenshots" / "board-en.png")
