"""Roles enforced everywhere a board is reached: the board page, the share page, the REST API
and the board socket, for every kind of participant. One table says what each may do; every
cell is checked through the real entry point.

Exports (journeydata) are a REST read: every role may export, outsiders get the 404. The only
import, `POST /api/boards/restore/`, creates a new board owned by the caller, so it reaches no
existing board and has no column here.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boards.models import Board, Membership, Role, ShareLink
from boards.permissions import Actor
from boards.services import board_create
from boards.sharing import services
from tests.live.conftest import Socket, first_cell

ACTIONS = (
    "board_page",
    "share_page",
    "rest_read",
    "rest_update_board",
    "rest_create_card",
    "rest_members",
    "rest_create_link",
    "rest_export",
    "socket",
    "socket_create_card",
)

# 302: sent to log in. 410: the guest's link was revoked (a page that says so, not the board).
# 401: the API wants a session or token (guests use the page and socket).
# For the socket: the role in `welcome`, or the close code; then "ok" or the error code of an op.
MATRIX: dict[str, tuple[Any, ...]] = {
    "owner": (200, 200, 200, 200, 201, 200, 201, 200, "owner", "ok"),
    "facilitator": (200, 200, 200, 200, 201, 200, 201, 200, "facilitator", "ok"),
    "editor": (200, 403, 200, 403, 201, 403, 403, 200, "editor", "ok"),
    "commenter": (200, 403, 200, 403, 403, 403, 403, 200, "commenter", "forbidden"),
    "viewer": (200, 403, 200, 403, 403, 403, 403, 200, "viewer", "forbidden"),
    "link_user_viewer": (200, 403, 200, 403, 403, 403, 403, 200, "viewer", "forbidden"),
    "guest_editor": (200, 302, 401, 401, 401, 401, 401, 401, "editor", "ok"),
    "guest_viewer": (200, 302, 401, 401, 401, 401, 401, 401, "viewer", "forbidden"),
    "guest_revoked": (410, 302, 401, 401, 401, 401, 401, 401, 4403, None),
    "outsider": (404, 404, 404, 404, 404, 404, 404, 404, 4403, None),
    "anonymous": (302, 302, 401, 401, 401, 401, 401, 401, 4401, None),
}


def browser_for(kind: str, board: Board, alice: User, charlie: User, make_user) -> Client:
    """A browser session of this kind of participant."""
    client = Client()
    if kind in ("owner", "outsider"):
        client.force_login(alice if kind == "owner" else charlie)
    elif kind in ("facilitator", "editor", "commenter", "viewer"):
        user = make_user(kind)
        Membership.objects.create(board=board, user=user, role=kind)
        client.force_login(user)
    elif kind.startswith("guest_") or kind == "link_user_viewer":
        role = Role.VIEWER if kind.endswith("viewer") else Role.EDITOR
        link, token = services.share_link_create(
            board_id=board.pk, actor=Actor.for_user(alice), role=role
        )
        if kind == "link_user_viewer":
            client.force_login(make_user("linkuser"))
        client.post(reverse("share-link-join", args=[token]), {"display_name": kind})
        if kind == "guest_revoked":
            ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())
    return client


def http_outcomes(client: Client, board: Board) -> tuple[int, ...]:
    stage_id, lane_id = first_cell(board)
    api = f"/api/boards/{board.pk}/"
    as_json = {"content_type": "application/json"}
    card = {"stage_id": stage_id, "lane_id": lane_id, "text": "Matrix"}
    return (
        client.get(reverse("board", args=[board.pk])).status_code,
        client.get(reverse("board-share", args=[board.pk])).status_code,
        client.get(api).status_code,
        client.patch(api, json.dumps({"title": "Renamed"}), **as_json).status_code,
        client.post(f"{api}cards/", json.dumps(card), **as_json).status_code,
        client.get(f"{api}members/").status_code,
        client.post(f"{api}share-links/", json.dumps({"role": "viewer"}), **as_json).status_code,
        client.get(f"{api}export/json/").status_code,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(MATRIX))
def test_pages_and_rest_follow_the_matrix(kind, board, alice, charlie, make_user):
    client = browser_for(kind, board, alice, charlie, make_user)

    outcomes = http_outcomes(client, board)

    assert dict(zip(ACTIONS, outcomes, strict=False)) == dict(
        zip(ACTIONS, MATRIX[kind][: len(outcomes)], strict=False)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["editor", "outsider", "anonymous"])
def test_a_missing_board_answers_exactly_like_a_hidden_one(kind, board, alice, charlie, make_user):
    client = browser_for(kind, board, alice, charlie, make_user)
    missing = Board(pk=uuid.uuid4())
    # For a member, the hidden board is another one they are not on.
    hidden = (
        board_create(owner=make_user("hidden"), title="Hidden", language="en")
        if kind == "editor"
        else board
    )

    for url in (
        lambda b: reverse("board", args=[b.pk]),
        lambda b: reverse("board-share", args=[b.pk]),
        lambda b: f"/api/boards/{b.pk}/",
        lambda b: f"/api/boards/{b.pk}/members/",
        lambda b: f"/api/boards/{b.pk}/export/json/",
    ):
        seen, absent = client.get(url(hidden)), client.get(url(missing))
        assert seen.status_code == absent.status_code
        assert seen.content.replace(str(hidden.pk).encode(), b"") == absent.content.replace(
            str(missing.pk).encode(), b""
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", list(MATRIX))
async def test_the_socket_follows_the_matrix(kind, board, alice, charlie, make_user):
    client = await sync_to_async(browser_for)(kind, board, alice, charlie, make_user)
    cookie_value = client.cookies.get(settings.SESSION_COOKIE_NAME)
    cookie = f"{settings.SESSION_COOKIE_NAME}={cookie_value.value}" if cookie_value else None
    stage_id, lane_id = await sync_to_async(first_cell)(board)
    expected_socket, expected_op = MATRIX[kind][-2:]
    socket = Socket(board, cookie)
    await socket.communicator.connect()
    try:
        first = await socket.receive(wait=10)
        if isinstance(expected_socket, int):
            assert first == {"type": "<closed>", "code": expected_socket}
            return
        assert first["you"]["role"] == expected_socket
        await socket.sync(first["seq"])
        await socket.send(
            {
                "type": "op",
                "id": str(uuid.uuid4()),
                "op": "card.create",
                "args": {"stage_id": stage_id, "lane_id": lane_id, "text": "Matrix"},
            }
        )
        answer = await socket.receive_type("op", wait=10) if expected_op == "ok" else None
        if answer is None:
            error = await socket.receive_type("error", wait=10)
            assert error["code"] == expected_op
        else:
            assert answer["result"]["text"] == "Matrix"
    finally:
        await socket.close()
