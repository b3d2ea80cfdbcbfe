"""Who is on the other end of a board socket, read from the web session (sync code: call it
through database_sync_to_async)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from boards.permissions import Actor, role_on_board
from boards.protocol import ParticipantData
from boards.sharing.access import GUEST_SESSION_KEY, session_guest

__all__ = [
    "GUEST_SESSION_KEY",
    "actor_from_scope",
    "language_from_scope",
    "participant_color",
    "participant_on_board",
]

USER_COLORS = ("#e64980", "#7048e8", "#1c7ed6", "#0ca678", "#f59f00", "#e8590c", "#5c940d")


def participant_color(key: object) -> str:
    """A stable colour for a user (by id) or a guest (by uuid)."""
    digest = hashlib.blake2s(str(key).encode(), digest_size=2).digest()
    return USER_COLORS[int.from_bytes(digest, "big") % len(USER_COLORS)]


def actor_from_scope(scope: dict[str, Any], board_id: str) -> tuple[Actor, str] | None:
    """The signed-in user, else the board's guest remembered in the session, with a colour;
    None when the session carries neither."""
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return Actor.for_user(user), participant_color(user.pk)
    guest = session_guest(scope.get("session"), board_id)
    if guest is None:
        return None
    return Actor.for_guest(guest), guest.color


def participant_on_board(actor: Actor, color: str, board_id: str) -> ParticipantData | None:
    """The actor as the board's participants see them, or None when they have no access."""
    role = role_on_board(board_id, actor)
    if role is None:
        return None
    return {"id": actor.participant_id, "name": actor.name, "color": color, "role": role.value}


def language_from_scope(scope: dict[str, Any]) -> str:
    """The user's language as Django's LocaleMiddleware would pick it: the language cookie,
    then Accept-Language, then the site default."""
    supported = {code for code, _ in settings.LANGUAGES}
    cookie = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    for name, value in scope.get("headers", ()):
        if name == b"accept-language":
            for code, _ in parse_accept_lang_header(value.decode("latin-1")):
                try:
                    return translation.get_supported_language_variant(code)
                except LookupError:
                    continue
    return settings.LANGUAGE_CODE
