"""Django admin for operators.

Board content (the board's own fields, stages, lanes, cards, personas) changes only through
`apply_op`, so here it is read-only; the archive actions run the `board.archive` op. Access
(memberships, share links) and board templates are not board content and stay editable.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from boards.models import (
    Board,
    BoardTemplate,
    Guest,
    Lane,
    Membership,
    Op,
    ShareLink,
    Stage,
)
from boards.ops import OpError, apply_op
from boards.permissions import Actor


class ReadOnlyMixin:
    """Viewable, never added, changed or deleted from here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StageInline(ReadOnlyMixin, admin.TabularInline):
    model = Stage
    fields = ("title", "description", "position", "version", "deleted")
    ordering = ("position",)
    extra = 0


class LaneInline(ReadOnlyMixin, admin.TabularInline):
    model = Lane
    fields = ("kind", "title", "position", "version", "deleted")
    ordering = ("position",)
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("user",)
    extra = 0


def admin_actor(request: HttpRequest, board: Board) -> Actor:
    """Admin changes run as the board's owner, so the op passes the owner-only checks; the op
    log's actor name records which operator made them."""
    return Actor(
        user_id=board.owner_id, guest_id=None, name=f"{request.user.get_username()} (admin)"
    )


def _set_archived(
    modeladmin: admin.ModelAdmin, request: HttpRequest, boards: QuerySet[Board], archived: bool
) -> None:
    changed = 0
    for board in boards:
        if board.archived == archived:
            continue
        try:
            apply_op(
                board_id=board.pk,
                actor=admin_actor(request, board),
                name="board.archive",
                args={"archived": archived},
            )
        except OpError as error:
            modeladmin.message_user(request, f"{board}: {error.message}", messages.ERROR)
        else:
            changed += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d board changed.", "%(count)d boards changed.", changed)
        % {"count": changed},
    )


@admin.action(description=_("Archive the selected boards"))
def archive_boards(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet) -> None:
    _set_archived(modeladmin, request, qs, True)


@admin.action(description=_("Unarchive the selected boards"))
def unarchive_boards(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet) -> None:
    _set_archived(modeladmin, request, qs, False)


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "map_type", "language", "archived", "seq", "updated_at")
    list_filter = ("archived", "map_type", "language")
    search_fields = ("title", "owner__username", "id")
    actions = [archive_boards, unarchive_boards]
    readonly_fields = (
        "id",
        "title",
        "goal",
        "map_type",
        "language",
        "owner",
        "source_board",
        "archived",
        "seq",
        "created_at",
        "updated_at",
    )
    inlines = [MembershipInline, StageInline, LaneInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Boards are created from the home page or the API, with their owner's membership.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Archiving keeps the history; deleting would erase it outside the op log.
        return False


@admin.register(Op)
class OpAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("board", "seq", "name", "actor_name", "created_at")
    list_filter = ("name",)
    search_fields = ("board__title", "board__id", "actor_name")
    list_select_related = ("board",)
    ordering = ("board", "-seq")
    raw_id_fields = ("board",)


@admin.register(BoardTemplate)
class BoardTemplateAdmin(admin.ModelAdmin):
    list_display = ("key", "name_en", "name_fr", "map_type", "position")
    list_editable = ("position",)
    search_fields = ("key", "name_en", "name_fr")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("board", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("board__title", "user__username")
    raw_id_fields = ("board", "user")
    list_select_related = ("board", "user")


@admin.action(description=_("Revoke the selected share links"))
def revoke_links(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet) -> None:
    revoked = qs.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    modeladmin.message_user(
        request,
        ngettext("%(count)d link revoked.", "%(count)d links revoked.", revoked)
        % {"count": revoked},
    )


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Links are made on the board (only then is the token shown); here they can be revoked."""

    list_display = ("board", "role", "created_by", "created_at", "expires_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("board__title",)
    actions = [revoke_links]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Actions need change permission; the form itself stays read-only (no editable field).
        return obj is None and request.user.has_perm("boards.change_sharelink")


@admin.register(Guest)
class GuestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("display_name", "board", "user", "created_at")
    search_fields = ("display_name", "board__title")
