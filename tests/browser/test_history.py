"""The history panel in a real browser: scrub back to an earlier seq, save a version, bring
back a deleted card, restore the version in place and undo that."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from boards.ops import apply_op
from boards.permissions import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 15_000  # generous: other test runs share this machine


def test_scrubbing_back_shows_the_board_as_it_was_and_a_deleted_card_comes_back(
    board, alice, open_board
):
    actor = Actor.for_user(alice)
    stage = sorted(board.stages.all(), key=lambda s: s.position)[0]
    lane = sorted(board.lanes.all(), key=lambda s: s.position)[0]

    def edit(name, **args):
        return apply_op(board_id=board.pk, actor=actor, name=name, args=args)

    draft = edit("card.create", stage_id=str(stage.pk), lane_id=str(lane.pk), text="Draft idea")
    edit("card.update", id=draft.result["id"], text="Final idea")
    edit("card.delete", id=draft.result["id"])
    page = open_board(alice, board.id)
    # Connected is not yet synced: the scrubber's range ends at the board's seq as the page
    # knows it, and a seq typed before the board arrived would be clamped to 0.
    expect(page.locator(".stage-header")).to_have_count(6, timeout=WAIT_MS)
    expect(page.locator(".card")).to_have_count(0, timeout=WAIT_MS)

    page.get_by_role("button", name="History").click()
    page.locator(".history-scrubber input").fill(str(draft.seq))
    preview = page.locator(".history-preview")
    expect(preview.locator(".past-card")).to_have_text(["Draft idea"], timeout=WAIT_MS)

    page.get_by_role("tab", name="Versions").click()
    page.get_by_label("Version name, e.g. Q1 review").fill("Q1 review")
    page.get_by_role("button", name="Save this version").click()
    expect(page.locator(".history-item", has_text="Q1 review")).to_be_visible(timeout=WAIT_MS)

    page.get_by_role("tab", name="Deleted").click()
    deleted = page.locator(".history-item", has_text="Final idea")
    deleted.get_by_role("button", name="Restore").click()
    expect(page.locator(".history-item", has_text="Final idea")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator(".card", has_text="Final idea")).to_have_count(1, timeout=WAIT_MS)

    # Back to Q1 (the card was deleted then), in place, then undone.
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("tab", name="Versions").click()
    q1 = page.locator(".history-item", has_text="Q1 review")
    q1.get_by_role("button", name="Restore on this board").click()
    expect(page.locator(".card", has_text="Final idea")).to_have_count(0, timeout=WAIT_MS)
    page.get_by_role("button", name="Undo the restore").click()
    expect(page.locator(".card", has_text="Final idea")).to_have_count(1, timeout=WAIT_MS)
    page.get_by_role("dialog", name="History").get_by_role("button", name="Close").click()
    expect(page.locator(".card", has_text="Final idea")).to_be_visible(timeout=WAIT_MS)


def test_the_history_panel_compares_a_version_with_now(alice, templates, open_board, artifacts):
    from boards.management.commands.seed_demo import demo_board_create
    from history.services import version_create

    board = demo_board_create(owner=alice)
    version_create(board_id=board.pk, name="Q1 review")
    card = board.cards.filter(deleted=False).order_by("created_at").first()
    actor = Actor.for_user(alice)
    apply_op(
        board_id=board.pk,
        actor=actor,
        name="card.update",
        args={"id": str(card.pk), "text": "Rewritten after Q1"},
    )
    page = open_board(alice, board.id, width=1600)

    page.get_by_role("button", name="History").click()
    page.get_by_role("tab", name="Compare").click()
    page.get_by_role("button", name="Compare").last.click()

    # Side by side: the version and now, the changed card pointed out on both.
    boards = page.locator(".history-preview .past-board")
    expect(boards).to_have_count(2, timeout=WAIT_MS)
    expect(boards.nth(1).locator(".diff-changed")).to_have_text("Rewritten after Q1")
    expect(boards.nth(0).locator(".diff-changed")).to_have_text(card.text)
    expect(
        page.locator(".history-diff .diff-changed", has_text="Rewritten after Q1")
    ).to_be_visible()

    page.screenshot(path=str(artifacts / "history-compare-en.png"))

    page.get_by_role("tab", name="Activity").click()
    page.get_by_label("Person", exact=True).select_option(label="alice")
    page.get_by_label("Kind of change").select_option(label="Cards")
    entries = page.locator(".history-list.activity .history-item")
    expect(entries.first).to_contain_text("card.update", timeout=WAIT_MS)
    expect(entries.first).to_contain_text("Rewritten after Q1")
    csv_link = page.get_by_role("link", name="Export CSV")
    expect(csv_link).to_have_attribute(
        "href", f"/api/boards/{board.pk}/activity.csv?actor=u%3A{alice.pk}&kind=card"
    )
