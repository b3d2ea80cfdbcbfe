"""The home page: my boards, boards shared with me, and creating or archiving a board."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from boards.forms import BoardCreateForm
from boards.ops import OpError, apply_op
from boards.permissions import Actor
from boards.selectors import boards_of_user
from boards.services import board_create


@login_required
def home(request: HttpRequest) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    return _home_page(request, BoardCreateForm(), show_archived=show_archived)


def _home_page(request: HttpRequest, form: BoardCreateForm, *, show_archived: bool) -> HttpResponse:
    boards = list(boards_of_user(request.user.pk, archived=show_archived))
    context = {
        "form": form,
        "show_archived": show_archived,
        "my_boards": [board for board in boards if board.owner_id == request.user.pk],
        "shared_boards": [board for board in boards if board.owner_id != request.user.pk],
    }
    return render(request, "boards/home.html", context)


@require_POST
@login_required
def board_new(request: HttpRequest) -> HttpResponse:
    form = BoardCreateForm(request.POST)
    if not form.is_valid():
        return _home_page(request, form, show_archived=False)
    board = board_create(
        owner=request.user,
        title=form.cleaned_data["title"],
        language=form.cleaned_data["language"],
        template=form.cleaned_data["template"],
        map_type=form.cleaned_data["map_type"] or None,
    )
    return redirect("board", board_id=board.pk)


@require_POST
@login_required
def board_rename(request: HttpRequest, board_id: uuid.UUID) -> HttpResponse:
    try:
        apply_op(
            board_id=board_id,
            actor=Actor.for_user(request.user),
            name="board.update",
            args={"title": request.POST.get("title", "")},
        )
    except OpError as error:
        messages.error(
            request, _("The board was not renamed: %(reason)s") % {"reason": _reason(error)}
        )
    else:
        messages.success(request, _("Board renamed."))
    return redirect("home")


def _reason(error: OpError) -> str:
    """The op's message, with the title field's own complaint when there is one."""
    details = error.details or {}
    field = details.get("title") if isinstance(details, dict) else None
    if isinstance(field, list) and field:
        return str(field[0])
    return str(error.message)


@require_POST
@login_required
def board_archive(request: HttpRequest, board_id: uuid.UUID) -> HttpResponse:
    archived = request.POST.get("archived") == "1"
    try:
        apply_op(
            board_id=board_id,
            actor=Actor.for_user(request.user),
            name="board.archive",
            args={"archived": archived},
        )
    except OpError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Board archived.") if archived else _("Board restored."))
    return redirect("home")
