"""Sharing pages: the share page of a board (invite, links, members, guests), joining by link,
and accepting an invitation. Outsiders get the same 404 as for a board that does not exist;
members who may not manage sharing get 403."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from boards.models import Board, Guest, Role, ShareLink
from boards.ops import OpError
from boards.permissions import Actor, role_on_board
from boards.sharing import selectors, services
from boards.sharing.access import session_guest, session_remember_guest
from boards.sharing.addresses import share_link_url
from boards.sharing.forms import GuestJoinForm, InvitationForm, RoleForm, ShareLinkForm
from boards.sharing.ratelimits import limit_invitations, limit_link_joins

# The link just created, shown once on the share page: its token is not stored anywhere else.
NEW_LINK_SESSION_KEY = "journeymap_new_share_link"

ManageView = Callable[..., HttpResponse]


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit's refusal page (RATELIMIT_VIEW)."""
    context = {
        "title": _("Too many attempts"),
        "message": _("Too many attempts. Please wait a moment and try again."),
    }
    return render(request, "boards/sharing/problem.html", context, status=429)


def _problem(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """A link or invitation that does not open the board, and why: never the board itself."""
    context = {
        "title": _("This link cannot be used"),
        "message": message,
        "hint": _("Ask the person who shared it with you for a new one."),
    }
    return render(request, "boards/sharing/problem.html", context, status=status)


def _manager(request: HttpRequest, board_id: uuid.UUID) -> tuple[Actor, Role]:
    actor = Actor.for_user(request.user)
    try:
        return actor, services.manager_role(board_id=board_id, actor=actor)
    except OpError as error:
        if error.code == "not_found":
            raise Http404 from error
        raise PermissionDenied(error.message) from error


def manage_action(view: ManageView) -> ManageView:
    """A POST of the share page by a manager: refusals come back as a message on the page."""

    @require_POST
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, board_id: uuid.UUID, **kwargs: Any) -> HttpResponse:
        actor, _role = _manager(request, board_id)
        try:
            view(request, board_id, actor=actor, **kwargs)
        except OpError as error:
            messages.error(request, error.message)
        return redirect("board-share", board_id=board_id)

    return wrapper


@login_required
def share_page(request: HttpRequest, board_id: uuid.UUID) -> HttpResponse:
    actor, role = _manager(request, board_id)
    grantable = services.grantable_roles(role)
    new_link = request.session.pop(NEW_LINK_SESSION_KEY, None)
    members = [
        {
            "membership": membership,
            "manageable": membership.role != Role.OWNER
            and membership.user_id != actor.user_id
            and role.includes(Role(membership.role)),
        }
        for membership in selectors.board_members(board_id)
    ]
    board = Board.objects.get(pk=board_id)
    context = {
        "board": board,
        "role": role,
        "grantable": grantable,
        "invitation_form": InvitationForm(roles=grantable, initial={"language": board.language}),
        "link_form": ShareLinkForm(),
        "new_link": new_link,
        "members": members,
        "links": [
            {"link": link, "problem": selectors.share_link_problem(link)}
            for link in selectors.board_share_links(board_id)
        ],
        "guests": selectors.board_guests(board_id),
        "invitations": selectors.board_pending_invitations(board_id),
    }
    return render(request, "boards/sharing/share.html", context)


@manage_action
def invite(request: HttpRequest, board_id: uuid.UUID, *, actor: Actor) -> None:
    form = InvitationForm(request.POST, roles=list(Role))
    if not form.is_valid():
        raise OpError("invalid", " ".join(m for errors in form.errors.values() for m in errors))
    limit_invitations(request, user_id=request.user.pk)
    services.invitation_create(board_id=board_id, actor=actor, **form.cleaned_data)
    messages.success(
        request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
    )


@manage_action
def link_create(request: HttpRequest, board_id: uuid.UUID, *, actor: Actor) -> None:
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        raise OpError("invalid", " ".join(m for errors in form.errors.values() for m in errors))
    link, token = services.share_link_create(
        board_id=board_id, actor=actor, role=form.cleaned_data["role"], expires_at=form.expires_at()
    )
    request.session[NEW_LINK_SESSION_KEY] = {
        "id": str(link.id),
        "url": share_link_url(token),
    }


@manage_action
def link_revoke(
    request: HttpRequest, board_id: uuid.UUID, *, actor: Actor, link_id: uuid.UUID
) -> None:
    services.share_link_revoke(board_id=board_id, actor=actor, link_id=link_id)
    messages.success(request, _("The link was revoked; whoever joined by it was disconnected."))


@manage_action
def member_update(request: HttpRequest, board_id: uuid.UUID, *, actor: Actor, user_id: int) -> None:
    if request.POST.get("remove"):
        services.membership_remove(board_id=board_id, actor=actor, user_id=user_id)
        messages.success(request, _("The member was removed and disconnected."))
        return
    form = RoleForm(request.POST)
    if not form.is_valid():
        raise OpError("invalid", _("Choose a role."))
    services.membership_change_role(
        board_id=board_id, actor=actor, user_id=user_id, role=form.cleaned_data["role"]
    )
    messages.success(request, _("The role was changed."))


@manage_action
def guest_remove(
    request: HttpRequest, board_id: uuid.UUID, *, actor: Actor, guest_id: uuid.UUID
) -> None:
    services.guest_remove(board_id=board_id, actor=actor, guest_id=guest_id)
    messages.success(request, _("The guest was removed and disconnected."))


@manage_action
def invitation_revoke(
    request: HttpRequest, board_id: uuid.UUID, *, actor: Actor, invitation_id: uuid.UUID
) -> None:
    services.invitation_revoke(board_id=board_id, actor=actor, invitation_id=invitation_id)
    messages.success(request, _("The invitation was withdrawn."))


def guest_lost_access(request: HttpRequest, guest_id: uuid.UUID) -> HttpResponse:
    """What a guest sees on the board page once their link was revoked or expired, or they
    were removed: why, never the board. They held the link, so the reason leaks nothing."""
    guest = Guest.objects.select_related("share_link").get(pk=guest_id)
    if guest.removed_at is not None:
        return _problem(request, _("You were removed from this board."), status=403)
    problem = selectors.share_link_problem(guest.share_link)
    return _problem(request, problem or _("You were removed from this board."), status=410)


# --- Joining by link ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.share_link_by_token(token)
    if link is None:
        return _problem(
            request, _("This link does not work. Check that it was copied whole."), status=404
        )
    problem = selectors.share_link_problem(link)
    if problem is not None:
        return _problem(request, problem, status=410)
    if _already_on_board(request, link):
        return redirect("board", board_id=link.board_id)
    if not request.user.is_authenticated:
        earlier = session_guest(request.session, link.board_id)
        if earlier is not None and earlier.removed_at is not None:
            return _problem(request, _("You were removed from this board."), status=403)
    form = GuestJoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            limit_link_joins(request)
        except OpError as error:
            form.add_error(None, error.message)
            status = 429
        else:
            if request.user.is_authenticated:
                services.guest_join(
                    link=link, display_name=request.user.get_username(), user=request.user
                )
                return redirect("board", board_id=link.board_id)
            if form.is_valid():
                guest = services.guest_join(
                    link=link, display_name=form.cleaned_data["display_name"]
                )
                session_remember_guest(request.session, guest)
                return redirect("board", board_id=link.board_id)
            status = 400
    context = {"board": link.board, "role": Role(link.role), "form": form}
    return render(request, "boards/sharing/join.html", context, status=status)


def _already_on_board(request: HttpRequest, link: ShareLink) -> bool:
    if request.user.is_authenticated:
        actor: Actor | None = Actor.for_user(request.user)
    else:
        guest = session_guest(request.session, link.board_id)
        actor = Actor.for_guest(guest) if guest is not None else None
    return actor is not None and role_on_board(link.board_id, actor) is not None


# --- Invitations ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.invitation_by_token(token)
    if found is None:
        return _problem(request, _("This invitation does not exist."), status=404)
    if request.user.is_authenticated and found.accepted_by_id == request.user.pk:
        return redirect("board", board_id=found.board_id)
    problem = selectors.invitation_problem(found)
    if problem is not None:
        return _problem(request, problem, status=410)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.invitation_accept(token=token, user=request.user)
        except OpError as error:
            return _problem(request, error.message, status=410)
        messages.success(request, _("Welcome to the board!"))
        return redirect("board", board_id=found.board_id)
    return render(
        request,
        "boards/sharing/invitation.html",
        {"invitation": found, "role": Role(found.role), "next": request.get_full_path()},
    )
