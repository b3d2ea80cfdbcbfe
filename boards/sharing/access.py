"""Who is asking, on pages: the signed-in user, else the board's guest this browser joined as.

The board socket reads the same session (boards.live.access), so a guest who joined by link
is the same participant on the page and on the socket.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from boards.models import Guest
from boards.permissions import Actor

# A dict of board id (str) -> guest id (str): one browser may join several boards as a guest.
GUEST_SESSION_KEY = "journeymap_guest_ids"


def session_guest(session: SessionBase | None, board_id: uuid.UUID | str) -> Guest | None:
    """The guest this session joined the board as, if any (removed or not: callers ask
    `role_on_board` whether they still have access)."""
    guest_ids: Any = session.get(GUEST_SESSION_KEY, {}) if session is not None else {}
    guest_id = guest_ids.get(str(board_id)) if isinstance(guest_ids, dict) else None
    if not guest_id:
        return None
    try:
        return Guest.objects.filter(id=uuid.UUID(str(guest_id)), board_id=board_id).first()
    except ValueError:
        return None


def session_remember_guest(session: SessionBase, guest: Guest) -> None:
    guest_ids = session.get(GUEST_SESSION_KEY)
    guest_ids = dict(guest_ids) if isinstance(guest_ids, dict) else {}
    guest_ids[str(guest.board_id)] = str(guest.id)
    session[GUEST_SESSION_KEY] = guest_ids


def session_guest_ids(session: SessionBase) -> list[uuid.UUID]:
    """Every guest this session joined as, on any board."""
    guest_ids = session.get(GUEST_SESSION_KEY)
    found = []
    for value in guest_ids.values() if isinstance(guest_ids, dict) else ():
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def request_actor(request: HttpRequest, board_id: uuid.UUID | str) -> Actor | None:
    if request.user.is_authenticated:
        return Actor.for_user(request.user)
    guest = session_guest(request.session, board_id)
    return Actor.for_guest(guest) if guest is not None else None
