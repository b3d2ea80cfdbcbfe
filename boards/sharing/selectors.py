"""Reads of sharing: who is on a board and how, and what a token leads to."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.models import ROLE_RANKS, Guest, Invitation, Membership, ShareLink
from boards.sharing.tokens import token_hash


def board_members(board_id: uuid.UUID | str) -> list[Membership]:
    """Members, highest role first, then by name."""
    members = Membership.objects.filter(board_id=board_id).select_related("user")
    return sorted(members, key=lambda m: (-ROLE_RANKS[m.role], m.user.get_username().lower()))


def board_share_links(board_id: uuid.UUID | str) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(board_id=board_id).order_by("-created_at")


def board_guests(board_id: uuid.UUID | str) -> QuerySet[Guest]:
    """Guests who joined by a link that still works and who were not removed."""
    now = timezone.now()
    return (
        Guest.objects.filter(board_id=board_id, removed_at=None, share_link__revoked_at=None)
        .exclude(share_link__expires_at__lte=now)
        .select_related("share_link", "user")
        .order_by("display_name")
    )


def board_pending_invitations(board_id: uuid.UUID | str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        board_id=board_id, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def share_link_by_token(token: str) -> ShareLink | None:
    return ShareLink.objects.filter(token_hash=token_hash(token)).select_related("board").first()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("board", "invited_by")
        .first()
    )


def share_link_problem(link: ShareLink) -> str | None:
    """Why the link no longer opens the board, in the user's language; None when it does."""
    if link.revoked_at is not None:
        return _("This link was revoked by the board's facilitator.")
    if link.expires_at is not None and link.expires_at <= timezone.now():
        return _("This link has expired.")
    return None


def invitation_problem(invitation: Invitation) -> str | None:
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn.")
    if invitation.accepted_at is not None:
        return _("This invitation was already accepted.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired.")
    return None
