"""The shapes of board objects on the wire (WebSocket frames, REST bodies, the op log's results).

One function per model turns a row into its wire dict; the same dicts go everywhere, so a REST
read, a snapshot and an op's result never disagree. They are plain dicts built by hand because
they sit on the hot path of every op. `frontend/src/protocol.ts` mirrors these TypedDicts and a
test keeps the two in step.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import QuerySet

from boards.models import Board, Card, Lane, Persona, Stage


class BoardData(TypedDict):
    id: str
    title: str
    goal: str
    map_type: str
    language: str
    owner_id: str
    source_board_id: str | None
    archived: bool
    seq: int
    created_at: str
    updated_at: str


class StageData(TypedDict):
    id: str
    title: str
    description: str
    position: str
    version: int
    deleted: bool


class LaneData(TypedDict):
    id: str
    kind: str
    title: str
    position: str
    version: int
    deleted: bool


class CardData(TypedDict):
    id: str
    stage_id: str
    lane_id: str
    text: str
    color: str
    position: str
    version: int
    deleted: bool
    author_id: str | None
    author_name: str
    emotion_score: int | None
    channel: str
    brand_controlled: bool | None
    touchpoint_state: str
    moment_of_truth: bool


class PersonaData(TypedDict):
    id: str
    name: str
    role: str
    demographics: str
    goals: str
    needs: str
    frustrations: str
    behaviours: str
    quote: str
    avatar_url: str
    position: str
    version: int
    deleted: bool


class SnapshotData(TypedDict):
    seq: int
    board: BoardData
    stages: list[StageData]
    lanes: list[LaneData]
    cards: list[CardData]
    personas: list[PersonaData]


def user_participant_id(user_id: int) -> str:
    return f"u:{user_id}"


def guest_participant_id(guest_id: object) -> str:
    return f"g:{guest_id}"


def board_data(board: Board) -> BoardData:
    return {
        "id": str(board.id),
        "title": board.title,
        "goal": board.goal,
        "map_type": board.map_type,
        "language": board.language,
        "owner_id": user_participant_id(board.owner_id),
        "source_board_id": str(board.source_board_id) if board.source_board_id else None,
        "archived": board.archived,
        "seq": board.seq,
        "created_at": board.created_at.isoformat(),
        "updated_at": board.updated_at.isoformat(),
    }


def stage_data(stage: Stage) -> StageData:
    return {
        "id": str(stage.id),
        "title": stage.title,
        "description": stage.description,
        "position": stage.position,
        "version": stage.version,
        "deleted": stage.deleted,
    }


def lane_data(lane: Lane) -> LaneData:
    return {
        "id": str(lane.id),
        "kind": lane.kind,
        "title": lane.title,
        "position": lane.position,
        "version": lane.version,
        "deleted": lane.deleted,
    }


# A card read with its author's name (the write path does, boards.ops.cards) carries it under
# this name, so that showing the card costs no query for its author.
AUTHOR_NAME = "author_name"


def _card_author(card: Card) -> tuple[str | None, str]:
    name: str | None = getattr(card, AUTHOR_NAME, None)
    if card.author_id is not None:
        if name is None:
            name = card.author.get_username()
        return user_participant_id(card.author_id), name
    if card.author_guest_id is not None:
        if name is None:
            name = card.author_guest.display_name
        return guest_participant_id(card.author_guest_id), name
    return None, ""


def card_data(card: Card) -> CardData:
    author_id, author_name = _card_author(card)
    return {
        "id": str(card.id),
        "stage_id": str(card.stage_id),
        "lane_id": str(card.lane_id),
        "text": card.text,
        "color": card.color,
        "position": card.position,
        "version": card.version,
        "deleted": card.deleted,
        "author_id": author_id,
        "author_name": author_name,
        "emotion_score": card.emotion_score,
        "channel": card.channel,
        "brand_controlled": card.brand_controlled,
        "touchpoint_state": card.touchpoint_state,
        "moment_of_truth": card.moment_of_truth,
    }


# What `card_data` reads of a card, as columns: `cards_data` reads many cards without building
# model instances, which was most of the time of a 5,000-card snapshot (bench.dbbench).
_CARD_COLUMNS = (
    "id",
    "stage_id",
    "lane_id",
    "text",
    "color",
    "position",
    "version",
    "deleted",
    "author_id",
    "author__username",
    "author_guest_id",
    "author_guest__display_name",
    "emotion_score",
    "channel",
    "brand_controlled",
    "touchpoint_state",
    "moment_of_truth",
)


def cards_data(cards: QuerySet[Card]) -> list[CardData]:
    """`card_data` of every card of the queryset (the same dicts, tests/test_wire.py), read as
    plain values."""
    return [_card_row_data(row) for row in cards.values_list(*_CARD_COLUMNS)]


def _card_row_data(row: tuple[Any, ...]) -> CardData:
    (
        card_id,
        stage_id,
        lane_id,
        text,
        color,
        position,
        version,
        deleted,
        user_id,
        username,
        guest_id,
        guest_name,
        emotion_score,
        channel,
        brand_controlled,
        touchpoint_state,
        moment_of_truth,
    ) = row
    if user_id is not None:
        author_id, author_name = user_participant_id(user_id), username
    elif guest_id is not None:
        author_id, author_name = guest_participant_id(guest_id), guest_name
    else:
        author_id, author_name = None, ""
    return {
        "id": str(card_id),
        "stage_id": str(stage_id),
        "lane_id": str(lane_id),
        "text": text,
        "color": color,
        "position": position,
        "version": version,
        "deleted": deleted,
        "author_id": author_id,
        "author_name": author_name,
        "emotion_score": emotion_score,
        "channel": channel,
        "brand_controlled": brand_controlled,
        "touchpoint_state": touchpoint_state,
        "moment_of_truth": moment_of_truth,
    }


def persona_data(persona: Persona) -> PersonaData:
    return {
        "id": str(persona.id),
        "name": persona.name,
        "role": persona.role,
        "demographics": persona.demographics,
        "goals": persona.goals,
        "needs": persona.needs,
        "frustrations": persona.frustrations,
        "behaviours": persona.behaviours,
        "quote": persona.quote,
        "avatar_url": persona.avatar.url if persona.avatar else "",
        "position": persona.position,
        "version": persona.version,
        "deleted": persona.deleted,
    }
