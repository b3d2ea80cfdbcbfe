"""Who is on the other end of a board socket, read from the web session (sync code: call it
through database_sync_to_async)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from boards.models import Guest
from boards.permissions import Actor, role_on_board
from boards.protocol import ParticipantData

# The session key under which share-link guests are remembered: a dict of board id (str) ->
# guest id (str), because one browser may join several boards as a guest. The share-link view
# writes it when a guest picks a display name; the board socket reads it.
GUEST_SESSION_KEY = "journeymap_guest_ids"

USER_COLORS = ("#e64980", "#7048e8", "#1c7ed6", "#0ca678", "#f59f00", "#e8590c", "#5c940d")


def user_color(user_id: int) -> str:
    digest = hashlib.blake2s(str(user_id).encode(), digest_size=2).digest()
    return USER_COLORS[int.from_bytes(digest, "big") % len(USER_COLORS)]


def actor_from_scope(scope: dict[str, Any], board_id: str) -> tuple[Actor, str] | None:
    """The signed-in user, else the board's guest remembered in the session, with a colour;
    None when the session carries neither."""
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return Actor.for_user(user), user_color(user.pk)
    session = scope.get("session")
    guest_ids = session.get(GUEST_SESSION_KEY, {}) if session is not None else {}
    guest_id = guest_ids.get(board_id) if isinstance(guest_ids, dict) else None
    if not guest_id:
        return None
    try:
        guest = Guest.objects.filter(id=uuid.UUID(str(guest_id)), board_id=board_id).first()
    except ValueError:
        return None
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
