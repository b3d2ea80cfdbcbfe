"""The board page: a Django template that loads the front-end bundle and hands it everything
it needs to start (board id, who you are, what you may do, the UI strings in your language)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from boards.models import Board, CardColor, Channel, LaneKind, Role, TouchpointState
from boards.permissions import actor_for_request_user, role_on_board
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


@login_required
def board_page(request: HttpRequest, board_id: str) -> HttpResponse:
    actor = actor_for_request_user(request.user)
    role = role_on_board(board_id, actor) if actor else None
    if actor is None or role is None:
        raise Http404
    board = Board.objects.get(pk=board_id)
    config = board_page_config(
        board=board, actor_id=actor.participant_id, name=actor.name, role=role
    )
    return render(request, "boards/board.html", {"board": board, "config": config})
