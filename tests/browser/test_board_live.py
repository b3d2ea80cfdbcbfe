"""Two people on one board, in real browsers, through the real Daphne and WebSocket."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYNC_MS = 2000  # "appears in the other browser within a second", with slack for CI machines


def cell(page: Page, stage: int, lane: int):
    return page.locator(f'.cell[data-stage-index="{stage}"][data-lane-index="{lane}"]')


def add_card(page: Page, stage: int, lane: int, text: str) -> None:
    cell(page, stage, lane).focus()
    page.keyboard.press("n")
    editor = page.locator("textarea.editable-input")
    editor.fill(text)
    editor.press("Control+Enter")


def drag(page: Page, source, target) -> None:
    """A pointer drag in small steps: dnd-kit starts dragging only after the pointer moves."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + start["width"] / 2 + 10, start["y"] + start["height"] / 2 + 10)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
    page.mouse.up()


def test_a_card_created_edited_moved_and_deleted_shows_up_for_the_other_person(
    board, alice, bob, open_board
):
    alice_page = open_board(alice, board.id)
    bob_page = open_board(bob, board.id)

    add_card(alice_page, 0, 0, "Sees an ad for same-day delivery")
    bob_card = bob_page.locator(".card", has_text="Sees an ad for same-day delivery")
    expect(bob_card).to_be_visible(timeout=SYNC_MS)
    expect(cell(bob_page, 0, 0).locator(".card")).to_have_count(1)

    bob_card.locator(".editable").click()
    editor = bob_page.locator("textarea.editable-input")
    editor.fill("Sees an ad for delivery in two hours")
    editor.press("Control+Enter")
    expect(alice_page.locator(".card", has_text="delivery in two hours")).to_be_visible(
        timeout=SYNC_MS
    )

    card = alice_page.locator(".card", has_text="delivery in two hours")
    drag(alice_page, card, cell(alice_page, 2, 1))
    expect(cell(bob_page, 2, 1).locator(".card", has_text="two hours")).to_be_visible(
        timeout=SYNC_MS
    )
    expect(cell(bob_page, 0, 0).locator(".card")).to_have_count(0)

    moved = bob_page.locator(".card", has_text="two hours")
    moved.focus()
    bob_page.keyboard.press("Delete")
    expect(alice_page.locator(".card", has_text="two hours")).to_have_count(0, timeout=SYNC_MS)


def test_changes_made_offline_arrive_once_when_the_connection_returns(
    board, alice, bob, open_board
):
    alice_page = open_board(alice, board.id)
    bob_page = open_board(bob, board.id)

    alice_page.context.set_offline(True)
    expect(alice_page.locator("[data-connection]")).to_have_attribute(
        "data-connection", re.compile("offline|reconnecting"), timeout=SYNC_MS
    )
    add_card(alice_page, 1, 0, "Compares delivery fees")
    add_card(alice_page, 1, 0, "Asks a friend")
    expect(alice_page.locator(".card")).to_have_count(2)
    expect(bob_page.locator(".card")).to_have_count(0)

    alice_page.context.set_offline(False)
    expect(alice_page.locator(".connection-connected")).to_be_visible(timeout=10_000)
    expect(cell(bob_page, 1, 0).locator(".card")).to_have_count(2, timeout=SYNC_MS)
    expect(bob_page.locator(".card", has_text="Compares delivery fees")).to_have_count(1)
    expect(bob_page.locator(".card", has_text="Asks a friend")).to_have_count(1)

    # Nothing doubled on the author's side either, even after a reload from the server.
    alice_page.reload()
    expect(alice_page.locator(".connection-connected")).to_be_visible(timeout=5000)
    expect(alice_page.locator(".card")).to_have_count(2)
