"""Who may do what on a board.

Every entry point (pages, REST, WebSocket, exports) asks `role_on_board`; an outsider gets no
role at all, and callers answer them exactly as they would for a board that does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from boards.models import Guest, Membership, Role
from boards.wire import guest_participant_id, user_participant_id


@dataclass(frozen=True)
class Actor:
    """Who is making a change: a signed-in user or a share-link guest."""

    user_id: int | None
    guest_id: uuid.UUID | None
    name: str

    @classmethod
    def for_user(cls, user: AbstractBaseUser) -> Actor:
        return cls(user_id=user.pk, guest_id=None, name=user.get_username())

    @classmethod
    def for_guest(cls, guest: Guest) -> Actor:
        return cls(user_id=None, guest_id=guest.id, name=guest.display_name)

    @property
    def participant_id(self) -> str:
        if self.user_id is not None:
            return user_participant_id(self.user_id)
        return guest_participant_id(self.guest_id)


def actor_for_request_user(user: AbstractBaseUser | AnonymousUser) -> Actor | None:
    if not user.is_authenticated:
        return None
    return Actor.for_user(user)


def role_on_board(board_id: uuid.UUID | str, actor: Actor) -> Role | None:
    """The actor's role on the board, or None when they may not see it at all."""
    if actor.user_id is not None:
        role = (
            Membership.objects.filter(board_id=board_id, user_id=actor.user_id)
            .values_list("role", flat=True)
            .first()
        )
        return Role(role) if role else None
    guest = (
        Guest.objects.filter(id=actor.guest_id, board_id=board_id)
        .select_related("share_link")
        .first()
    )
    if guest is None:
        return None
    link = guest.share_link
    if link.revoked_at is not None or (link.expires_at and link.expires_at <= timezone.now()):
        return None
    return Role(link.role)
