"""What the shared op tests need to know about the workshop ops: the least role of each (stated
here, not read back from the code) and arguments that succeed, with the state each op needs
set up directly in the tables, so it works on an archived board too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from boards.models import Board, Guest, Membership, Role
from workshops.models import Insight, PrivateCard, TimerState, Vote, VoteSession, Workshop

WORKSHOP_LEAST_ROLE: dict[str, Role] = {
    "workshop.lock": Role.FACILITATOR,
    "agenda.update": Role.FACILITATOR,
    "agenda.go": Role.FACILITATOR,
    "timer.start": Role.FACILITATOR,
    "timer.pause": Role.FACILITATOR,
    "timer.resume": Role.FACILITATOR,
    "timer.extend": Role.FACILITATOR,
    "timer.stop": Role.FACILITATOR,
    "vote.open": Role.FACILITATOR,
    "vote.close": Role.FACILITATOR,
    "vote.add": Role.COMMENTER,
    "vote.remove": Role.COMMENTER,
    "private.start": Role.FACILITATOR,
    "private.reveal": Role.FACILITATOR,
    **{
        f"insight.{verb}": Role.EDITOR for verb in ("create", "update", "move", "delete", "restore")
    },
}


def _workshop(board: Board, **fields: Any) -> Workshop:
    workshop, _ = Workshop.objects.update_or_create(
        board=board, defaults={"agenda": [{"title": "Warm-up", "minutes": 5, "instructions": ""}]}
    )
    Workshop.objects.filter(pk=workshop.pk).update(**fields)
    return workshop


def _open_vote(board: Board) -> VoteSession:
    return VoteSession.objects.create(board=board, votes_per_participant=3, hide_results=False)


def _participant_ids(board: Board) -> list[str]:
    users = Membership.objects.filter(board=board).values_list("user_id", flat=True)
    guests = Guest.objects.filter(board=board).values_list("id", flat=True)
    return [f"u:{pk}" for pk in users] + [f"g:{pk}" for pk in guests]


def workshop_valid_args(name: str, board: Board, *, lane_id: str, card_id: str) -> dict[str, Any]:
    """Arguments that succeed for the workshop op `name`, its preconditions set up."""
    if name == "workshop.lock":
        return {"structure": True, "card_lanes": [lane_id]}
    if name == "agenda.update":
        return {"steps": [{"title": "Personas", "minutes": 20, "instructions": "Who?"}]}
    if name == "agenda.go":
        _workshop(board)
        return {"step": 0, "start_timer": True}
    if name == "timer.start":
        return {"seconds": 300}
    running = {
        "timer_state": TimerState.RUNNING,
        "timer_duration": timedelta(minutes=5),
        "timer_ends_at": timezone.now() + timedelta(minutes=5),
    }
    if name in ("timer.pause", "timer.extend", "timer.stop"):
        _workshop(board, **running)
        return {"seconds": 60} if name == "timer.extend" else {}
    if name == "timer.resume":
        _workshop(board, timer_state=TimerState.PAUSED, timer_remaining=timedelta(minutes=2))
        return {}
    if name == "vote.open":
        return {"votes_per_participant": 3, "lane_ids": [lane_id], "hide_results": True}
    if name == "vote.close":
        _open_vote(board)
        return {}
    if name == "vote.add":
        _open_vote(board)
        return {"card_id": card_id}
    if name == "vote.remove":
        session = _open_vote(board)
        for participant_id in _participant_ids(board):
            Vote.objects.create(session=session, card_id=card_id, participant_id=participant_id)
        return {"card_id": card_id}
    if name == "private.start":
        return {}
    if name == "private.reveal":
        _workshop(board, private_writing=True)
        PrivateCard.objects.create(card_id=card_id, board=board, author_id=f"u:{board.owner_id}")
        return {}
    if name.startswith("insight."):
        return _insight_args(name, board)
    raise AssertionError(f"workshop_valid_args does not know {name}: teach it")


def _insight_args(name: str, board: Board) -> dict[str, Any]:
    verb = name.split(".")[1]
    if verb == "create":
        return {"kind": "action", "text": "Show delivery fees first", "owner": "Dana"}
    insight = Insight.objects.create(
        board=board, kind="takeaway", text="Fees surprise", position="a0", deleted=verb == "restore"
    )
    return {
        "update": {"id": str(insight.pk), "status": "done"},
        "move": {"id": str(insight.pk), "after": None},
        "delete": {"id": str(insight.pk)},
        "restore": {"id": str(insight.pk)},
    }[verb]
