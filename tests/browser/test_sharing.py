"""Sharing in real browsers: the owner creates a link from the board, a guest joins with only a
name and shows up in the owner's presence, and revoking the link takes the guest off at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_MS = 5000


def test_a_guest_joins_by_link_appears_and_is_cut_off_when_the_link_is_revoked(
    board, alice, open_board, chromium, server_url
):
    owner = open_board(alice, board.id)
    owner.get_by_role("link", name="Share").click()
    owner.locator("#id_link-role").select_option("editor")
    owner.get_by_role("button", name="Create a link").click()
    link = owner.locator("#new-link-url").inner_text()
    assert "/join/" in link
    owner.goto(f"{server_url}/boards/{board.id}/")
    owner.locator(".connection-connected").wait_for(timeout=WAIT_MS)

    guest_context = chromium.new_context(locale="en")
    try:
        guest = guest_context.new_page()
        guest.goto(link.replace("http://127.0.0.1:8000", server_url))
        guest.get_by_label("Your name").fill("Zoé")
        guest.get_by_role("button", name="Join the board").click()
        expect(guest.locator(".connection-connected")).to_be_visible(timeout=WAIT_MS)
        expect(owner.locator('.avatars [aria-label="Zoé"]')).to_be_visible(timeout=WAIT_MS)

        share = owner.context.new_page()
        share.goto(f"{server_url}/boards/{board.id}/share/")
        share.get_by_role("button", name="Revoke").click()
        expect(share.locator(".message.success")).to_be_visible(timeout=WAIT_MS)

        expect(guest.locator(".connection-offline")).to_be_visible(timeout=WAIT_MS)
        expect(owner.locator('.avatars [aria-label="Zoé"]')).to_have_count(0, timeout=WAIT_MS)
        guest.reload()
        assert "Online grocery journey" not in guest.content()
    finally:
        guest_context.close()
