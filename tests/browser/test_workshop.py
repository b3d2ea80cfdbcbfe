"""The workshop in real browsers through the real Daphne: a timed dot vote with two
participants (the facilitator opens the vote and starts the timer, both vote with hidden
results, everyone sees the time run out, also after a reload, and the close shows the same
ranked result to both), follow and summon, and private writing with its reveal."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_board_live import add_card
from tests.workshops.conftest import run_op

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SYNC_MS = 5000  # generous: other test runs share these two cores
TIMER_MS = 30_000


def vote_on(page: Page, text: str, *, mine_after: int) -> None:
    card = page.locator(".card", has_text=text)
    card.get_by_role("button", name="Add a vote to this card").click()
    # The server's answer to this participant alone (results are hidden from the others).
    expect(card.locator("[data-my-votes]")).to_have_attribute(
        "data-my-votes", str(mine_after), timeout=SYNC_MS
    )


def test_a_timed_dot_vote_with_two_participants(board, alice, bob, open_board):
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    cell = {"stage_id": str(stage.pk), "lane_id": str(lane.pk)}
    for text in ("Slots sold out", "Fees shown late"):
        run_op(board, alice, "card.create", {**cell, "text": text})
    alice_page = open_board(alice, board.id)
    bob_page = open_board(bob, board.id)

    alice_page.locator("summary", has_text="Dot vote").click()
    alice_page.get_by_label("Votes per participant").fill("2")
    alice_page.get_by_role("button", name="Open the vote").click()
    alice_page.get_by_label("Minutes").fill("0.1")
    alice_page.get_by_role("button", name="Start timer").click()

    expect(bob_page.locator("[data-votes-left]")).to_have_text("Votes left: 2", timeout=SYNC_MS)
    expect(bob_page.get_by_role("timer")).not_to_have_attribute(
        "data-timer-state", "idle", timeout=SYNC_MS
    )
    vote_on(bob_page, "Fees shown late", mine_after=1)
    vote_on(bob_page, "Fees shown late", mine_after=2)
    vote_on(alice_page, "Slots sold out", mine_after=1)
    vote_on(alice_page, "Fees shown late", mine_after=1)

    expect(bob_page.locator("[data-votes-left]")).to_have_text("Votes left: 0")
    expect(bob_page.get_by_role("button", name="Add a vote to this card").first).to_be_disabled()
    # While the vote is open nobody sees the others' dots.
    expect(alice_page.locator(".vote-total")).to_have_count(0)
    expect(bob_page.locator(".vote-total")).to_have_count(0)

    # A reload reads the timer and the dots back from the server.
    bob_page.reload()
    expect(
        bob_page.locator(".card", has_text="Fees shown late").locator("[data-my-votes]")
    ).to_have_attribute("data-my-votes", "2", timeout=SYNC_MS)
    for page in (alice_page, bob_page):
        expect(page.locator(".timer-ended")).to_have_text("Time is up!", timeout=TIMER_MS)
        expect(page.get_by_role("timer")).to_have_text("00:00")

    alice_page.get_by_role("button", name="Close the vote").click()

    for page in (alice_page, bob_page):
        results = page.get_by_role("region", name="Vote results").locator("li")
        expect(results).to_have_count(2, timeout=SYNC_MS)
        expect(results.nth(0)).to_have_text("Votes: 3 Fees shown late")
        expect(results.nth(1)).to_have_text("Votes: 1 Slots sold out")


def scroll_left(page: Page) -> int:
    return page.locator(".grid-scroll").evaluate("element => element.scrollLeft")


def test_participants_follow_the_facilitator_and_come_when_summoned(board, alice, bob, open_board):
    alice_page = open_board(alice, board.id, width=700)
    bob_page = open_board(bob, board.id, width=700)
    expect(bob_page.get_by_role("button", name="Follow alice")).to_be_visible(timeout=SYNC_MS)

    alice_page.locator(".grid-scroll").evaluate("element => element.scrollTo({left: 400})")
    alice_page.get_by_role("button", name="Bring everyone here").click()
    bob_page.wait_for_function(
        "() => document.querySelector('.grid-scroll').scrollLeft >= 390", timeout=SYNC_MS
    )

    bob_page.get_by_role("button", name="Follow alice").click()
    alice_page.locator(".grid-scroll").evaluate("element => element.scrollTo({left: 150})")
    bob_page.wait_for_function(
        "() => Math.abs(document.querySelector('.grid-scroll').scrollLeft - 150) < 10",
        timeout=SYNC_MS,
    )
    assert abs(scroll_left(bob_page) - scroll_left(alice_page)) < 10


def test_private_cards_appear_for_the_others_only_when_revealed(board, alice, bob, open_board):
    alice_page = open_board(alice, board.id)
    bob_page = open_board(bob, board.id)

    alice_page.get_by_role("button", name="Private writing").click()
    expect(bob_page.locator(".workshop-notice", has_text="Private writing")).to_be_visible(
        timeout=SYNC_MS
    )
    add_card(bob_page, 0, 0, "Bob's secret idea")
    expect(bob_page.locator(".card", has_text="Bob's secret idea")).to_be_visible()
    add_card(alice_page, 1, 0, "Alice's own idea")
    expect(bob_page.locator(".card", has_text="Alice's own idea")).to_have_count(0)
    expect(alice_page.locator(".card", has_text="Bob's secret idea")).to_have_count(0)

    alice_page.get_by_role("button", name="Reveal all cards").click()

    expect(alice_page.locator(".card", has_text="Bob's secret idea")).to_be_visible(timeout=SYNC_MS)
    expect(bob_page.locator(".card", has_text="Alice's own idea")).to_be_visible(timeout=SYNC_MS)
    expect(bob_page.locator(".workshop-notice", has_text="Private writing")).to_have_count(0)
