"""Sharing seen from the board socket: a guest who joined by link appears in presence with
their colour, and revoking their link or removing a member closes their sockets at once."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client
from django.urls import reverse

from boards.models import Board, Guest, Role, ShareLink
from boards.permissions import Actor
from boards.protocol import CLOSE_FORBIDDEN, CLOSE_REMOVED
from boards.sharing import services
from tests.live.conftest import Socket

pytestmark = pytest.mark.django_db(transaction=True)


def join_by_link(board: Board, alice, name: str, role: str = Role.EDITOR) -> str:
    """Create a link as alice, join it in a fresh browser; the guest's session cookie."""
    _link, token = services.share_link_create(
        board_id=board.pk, actor=Actor.for_user(alice), role=role
    )
    browser = Client()
    response = browser.post(reverse("share-link-join", args=[token]), {"display_name": name})
    assert response.status_code == 302
    return f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"


async def test_a_guest_who_joined_by_link_appears_in_presence_with_a_colour(board, alice, connect):
    watcher, _ = await connect(board, alice)
    await watcher.sync(board.seq)
    cookie = await sync_to_async(join_by_link)(board, alice, "Zoé")
    guest = await Guest.objects.aget()

    socket = Socket(board, cookie)
    welcome = await socket.open()
    joined = await watcher.receive_type("join")
    await socket.close()

    you = {"id": f"g:{guest.pk}", "name": "Zoé", "color": guest.color, "role": "editor"}
    assert welcome["you"] == you
    assert joined["participant"] == you
    assert guest.color.startswith("#")


async def test_revoking_a_link_closes_its_guests_sockets_at_once(board, alice, connect):
    cookie = await sync_to_async(join_by_link)(board, alice, "Zoé")
    socket = Socket(board, cookie)
    await socket.open()
    watcher, _ = await connect(board, alice)
    link = await ShareLink.objects.aget()

    await sync_to_async(services.share_link_revoke)(
        board_id=board.pk, actor=Actor.for_user(alice), link_id=link.pk
    )

    assert await socket.receive_type("<closed>", wait=10) == {
        "type": "<closed>",
        "code": CLOSE_REMOVED,
    }
    again = Socket(board, cookie)
    await again.communicator.connect()
    assert await again.receive(wait=10) == {"type": "<closed>", "code": CLOSE_FORBIDDEN}
    await watcher.send({"type": "ping", "seq": 0})
    assert (await watcher.receive_type("pong"))["type"] == "pong"


async def test_removing_a_member_closes_their_sockets_at_once(board, alice, bob, connect):
    socket, _ = await connect(board, bob)
    owner = await sync_to_async(Client)()
    await sync_to_async(owner.force_login)(alice)

    response = await sync_to_async(owner.post)(
        reverse("board-share-member", args=[board.pk, bob.pk]), {"remove": "1"}
    )

    assert response.status_code == 302
    assert await socket.receive_type("<closed>", wait=10) == {
        "type": "<closed>",
        "code": CLOSE_REMOVED,
    }


async def test_removing_a_guest_closes_their_sockets_at_once(board, alice, connect):
    cookie = await sync_to_async(join_by_link)(board, alice, "Zoé")
    socket = Socket(board, cookie)
    await socket.open()
    guest = await Guest.objects.aget()

    await sync_to_async(services.guest_remove)(
        board_id=board.pk, actor=Actor.for_user(alice), guest_id=guest.pk
    )

    assert await socket.receive_type("<closed>", wait=10) == {
        "type": "<closed>",
        "code": CLOSE_REMOVED,
    }
