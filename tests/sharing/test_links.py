"""Share links: created by a manager with a role and an optional expiry, joined by guests with
only a display name, revoked at any time. Tokens are stored hashed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards.models import Card, Guest, Role, ShareLink
from boards.ops import apply_op
from boards.permissions import Actor
from boards.sharing.access import GUEST_SESSION_KEY
from boards.sharing.tokens import token_hash

pytestmark = pytest.mark.django_db


def share_page(client: Client, board) -> str:
    response = client.get(reverse("board-share", args=[board.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_owner_creates_a_link_and_sees_its_url_once(client, alice, board):
    client.force_login(alice)
    response = client.post(
        reverse("board-share-link-create", args=[board.pk]),
        {"link-role": "commenter", "link-expires_in": "7"},
    )

    assert response.status_code == 302
    page = share_page(client, board)
    url = re.search(r'id="new-link-url">([^<]+)<', page).group(1)
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get(board=board)
    assert link.role == Role.COMMENTER
    assert link.token_hash == token_hash(token)
    assert token not in link.token_hash
    assert timezone.now() + datetime.timedelta(days=6) < link.expires_at
    # Shown once: the next visit has no URL to copy any more.
    assert token not in share_page(client, board)


def test_a_guest_joins_with_only_a_display_name(client, board, make_link):
    token = make_link(Role.EDITOR)

    form = client.get(reverse("share-link-join", args=[token]))
    response = client.post(reverse("share-link-join", args=[token]), {"display_name": "  Zoé  "})

    assert form.status_code == 200
    assert "Online grocery journey" in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("board", args=[board.pk])
    guest = Guest.objects.get(board=board)
    assert guest.display_name == "Zoé"
    assert guest.color.startswith("#")
    assert client.session[GUEST_SESSION_KEY] == {str(board.pk): str(guest.pk)}
    page = client.get(reverse("board", args=[board.pk]))
    assert page.status_code == 200
    assert page.context["config"]["you"] == {"id": f"g:{guest.pk}", "name": "Zoé", "role": "editor"}
    assert page.context["config"]["canEdit"] is True
    assert "shareUrl" not in page.context["config"]


def test_a_guest_needs_a_name(client, board, make_link):
    token = make_link()

    response = client.post(reverse("share-link-join", args=[token]), {"display_name": "   "})

    assert response.status_code == 400
    assert not Guest.objects.exists()


def test_a_signed_in_user_joins_as_themselves_in_one_click(client, charlie, board, make_link):
    token = make_link(Role.VIEWER)
    client.force_login(charlie)

    response = client.post(reverse("share-link-join", args=[token]))

    assert response.status_code == 302
    page = client.get(reverse("board", args=[board.pk]))
    assert page.context["config"]["you"]["id"] == f"u:{charlie.pk}"
    assert page.context["config"]["you"]["role"] == "viewer"
    # Already on the board: the link leads straight there.
    again = client.get(reverse("share-link-join", args=[token]))
    assert again.status_code == 302


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"revoked_at": timezone.now()}, 410, "This link was revoked"),
        ({"expires_at": timezone.now() - datetime.timedelta(minutes=1)}, 410, "has expired"),
    ],
)
def test_a_revoked_or_expired_link_gets_a_clear_page_never_the_board(
    client, board, make_link, change, status, text
):
    token = make_link()
    client.post(reverse("share-link-join", args=[token]), {"display_name": "Zoé"})
    ShareLink.objects.update(**change)

    response = client.get(reverse("share-link-join", args=[token]))
    board_page = client.get(reverse("board", args=[board.pk]))
    joined = client.post(reverse("share-link-join", args=[token]), {"display_name": "Again"})

    assert response.status_code == status
    assert text in response.content.decode()
    assert "Online grocery journey" not in response.content.decode()
    assert board_page.status_code == status
    assert text in board_page.content.decode()
    assert "board-config" not in board_page.content.decode()
    assert joined.status_code == status
    assert Guest.objects.count() == 1


def test_an_unknown_token_gets_the_same_clear_page(client):
    response = client.get(reverse("share-link-join", args=["not-a-real-token"]))

    assert response.status_code == 404
    assert "copied whole" in response.content.decode()


def test_revoking_from_the_share_page_cuts_the_guest_off(client, alice, board, make_link):
    token = make_link()
    guest_client = Client()
    guest_client.post(reverse("share-link-join", args=[token]), {"display_name": "Zoé"})
    link = ShareLink.objects.get()
    client.force_login(alice)

    response = client.post(reverse("board-share-link-revoke", args=[board.pk, link.pk]))

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert guest_client.get(reverse("board", args=[board.pk])).status_code == 410


def test_a_link_cannot_give_more_than_editor(client, alice, board):
    client.force_login(alice)

    client.post(reverse("board-share-link-create", args=[board.pk]), {"link-role": "facilitator"})

    assert not ShareLink.objects.exists()
    assert "Select a valid choice" in share_page(client, board)


def test_a_guest_who_signs_up_keeps_their_cards(client, board, make_link):
    token = make_link(Role.EDITOR)
    client.post(reverse("share-link-join", args=[token]), {"display_name": "Zoé"})
    guest = Guest.objects.get()
    stage, lane = board.stages.first(), board.lanes.first()
    card = apply_op(
        board_id=board.pk,
        actor=Actor.for_guest(guest),
        name="card.create",
        args={"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "Delivery slot"},
    ).result

    response = client.post(
        reverse("signup"),
        {
            "username": "zoe",
            "email": "zoe@example.com",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "next": reverse("board", args=[board.pk]),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("board", args=[board.pk])
    stored = Card.objects.get(pk=card["id"])
    assert stored.author.username == "zoe"
    assert stored.author_guest == guest
    page = client.get(reverse("board", args=[board.pk]))
    assert page.context["config"]["you"]["id"] == f"u:{stored.author_id}"
    assert page.context["config"]["you"]["role"] == "editor"
    snapshot = client.get(f"/api/boards/{board.pk}/").json()
    [shown] = [c for c in snapshot["cards"] if c["id"] == card["id"]]
    assert (shown["author_id"], shown["author_name"]) == (f"u:{stored.author_id}", "zoe")


def test_a_removed_guest_cannot_come_back_with_the_same_browser(client, alice, board, make_link):
    token = make_link()
    client.post(reverse("share-link-join", args=[token]), {"display_name": "Zoé"})
    guest = Guest.objects.get()
    owner = Client()
    owner.force_login(alice)

    owner.post(reverse("board-share-guest-remove", args=[board.pk, guest.pk]))

    board_page = client.get(reverse("board", args=[board.pk]))
    assert board_page.status_code == 403
    assert "You were removed from this board." in board_page.content.decode()
    assert client.get(reverse("share-link-join", args=[token])).status_code == 403
