"""The shapes of workshop state on the wire: op results, and the REST read a client makes when
it loads or re-snapshots the board. `frontend/src/protocol.ts` mirrors these TypedDicts and
tests/test_protocol_types.py keeps the two in step."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Literal, TypedDict

from boards.wire import CardData
from workshops.models import Insight, VoteSession, Workshop


class AgendaStepData(TypedDict):
    title: str
    minutes: int | None  # the step's time box
    instructions: str


class TimerData(TypedDict):
    """Running: it ends at `ends_at` (server time); paused: `remaining_ms` are left."""

    state: Literal["idle", "running", "paused"]
    duration_ms: int
    ends_at: str | None
    remaining_ms: int


class LocksData(TypedDict):
    structure: bool  # stages and lanes
    card_lanes: list[str] | None  # lanes where participants may add cards; null: all
    read_only: bool


class VoteTallyData(TypedDict):
    card_id: str
    votes: int


class VoteSessionData(TypedDict):
    id: str
    lane_ids: list[str] | None
    votes_per_participant: int
    hide_results: bool
    open: bool
    # Ranked, most votes first; null while the results are hidden.
    results: list[VoteTallyData] | None


class WorkshopData(TypedDict):
    agenda: list[AgendaStepData]
    step: int
    timer: TimerData
    locks: LocksData
    vote: VoteSessionData | None  # the open vote, else the last one closed
    private_writing: bool


class VoteData(TypedDict):
    """The result of vote.add / vote.remove."""

    session_id: str
    card_id: str
    voter_id: str
    mine: int  # the voter's dots on this card
    remaining: int  # the voter's dots left
    total: int | None  # everyone's dots on this card; null while the results are hidden


class RevealData(TypedDict):
    """The result of private.reveal: the cards everyone now sees."""

    workshop: WorkshopData
    cards: list[CardData]


class InsightData(TypedDict):
    """A key takeaway or an action item; the result of the insight.* ops."""

    id: str
    kind: Literal["takeaway", "action"]
    text: str
    owner: str
    due_date: str | None  # YYYY-MM-DD
    status: Literal["todo", "in_progress", "done"]
    card_ids: list[str]  # the pain-point and opportunity cards it answers
    position: str
    version: int
    deleted: bool


class WorkshopStateData(TypedDict):
    """GET /api/boards/<id>/workshop/: the state at `seq`, and the server's clock (`now`) so
    a client shows the timer right after a reload."""

    seq: int
    now: str
    workshop: WorkshopData
    my_votes: dict[str, int]  # card id -> the caller's dots in the current vote
    insights: list[InsightData]  # in display order


class SummarySentData(TypedDict):
    """POST /api/boards/<id>/workshop/summary/: how many emails went out."""

    sent: int


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def timer_data(workshop: Workshop) -> TimerData:
    return {
        "state": workshop.timer_state,  # type: ignore[typeddict-item]
        "duration_ms": _ms(workshop.timer_duration),
        "ends_at": workshop.timer_ends_at.isoformat() if workshop.timer_ends_at else None,
        "remaining_ms": _ms(workshop.timer_remaining),
    }


def ranked_tallies(session: VoteSession) -> list[VoteTallyData]:
    counts = Counter(str(card_id) for card_id in session.votes.values_list("card_id", flat=True))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"card_id": card_id, "votes": votes} for card_id, votes in ranked]


def vote_session_data(session: VoteSession) -> VoteSessionData:
    is_open = session.closed_at is None
    return {
        "id": str(session.id),
        "lane_ids": session.lane_ids,
        "votes_per_participant": session.votes_per_participant,
        "hide_results": session.hide_results,
        "open": is_open,
        "results": None if is_open and session.hide_results else ranked_tallies(session),
    }


def latest_vote(board_id: object) -> VoteSession | None:
    return VoteSession.objects.filter(board_id=board_id).order_by("-opened_at").first()


def workshop_data(workshop: Workshop) -> WorkshopData:
    session = latest_vote(workshop.board_id)
    return {
        "agenda": workshop.agenda,
        "step": workshop.current_step,
        "timer": timer_data(workshop),
        "locks": {
            "structure": workshop.structure_locked,
            "card_lanes": workshop.card_lanes,
            "read_only": workshop.read_only,
        },
        "vote": vote_session_data(session) if session else None,
        "private_writing": workshop.private_writing,
    }


def insight_data(insight: Insight) -> InsightData:
    return {
        "id": str(insight.id),
        "kind": insight.kind,  # type: ignore[typeddict-item]
        "text": insight.text,
        "owner": insight.owner,
        "due_date": str(insight.due_date) if insight.due_date else None,
        "status": insight.status,  # type: ignore[typeddict-item]
        "card_ids": insight.card_ids,
        "position": insight.position,
        "version": insight.version,
        "deleted": insight.deleted,
    }
