"""The board page: a Django template that loads the front-end bundle and hands it everything
it needs to start (board id, who you are, what you may do, the UI strings in your language)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from boards.models import Board, CardColor, Channel, LaneKind, Role, TouchpointState
from boards.permissions import role_on_board
from boards.sharing.access import request_actor
from boards.sharing.views import guest_lost_access
from boards.ui_strings import ui_strings


def _choices(choices: type[Any]) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in choices.choices]


def board_page_config(*, board: Board, actor_id: str, name: str, role: Role) -> dict[str, Any]:
    return {
        "boardId": str(board.id),
        "language": get_language(),
        "you": {"id": actor_id, "name": name, "role": str(role)},
        "canEdit": role.includes(Role.EDITOR) and not board.archived,
        "canEditBoard": role.includes(Role.FACILITATOR) and not board.archived,
        "strings": ui_strings(),
        "choices": {
            "laneKinds": _choices(LaneKind),
            "colors": _choices(CardColor),
            "channels": _choices(Channel),
            "touchpointStates": _choices(TouchpointState),
        },
    }


def board_page(request: HttpRequest, board_id: str) -> HttpResponse:
    # Signed-in users, and guests who joined by a share link in this browser.
    actor = request_actor(request, board_id)
    if actor is None:
        return redirect_to_login(request.get_full_path())
    role = role_on_board(board_id, actor)
    if role is None and actor.guest_id is not None:
        return guest_lost_access(request, actor.guest_id)
    if role is None:
        raise Http404
    board = Board.objects.get(pk=board_id)
    config = board_page_config(
        board=board, actor_id=actor.participant_id, name=actor.name, role=role
    )
    if actor.user_id is not None and role.includes(Role.FACILITATOR):
        config["shareUrl"] = reverse("board-share", args=[board.pk])
    return render(request, "boards/board.html", {"board": board, "config": config})
