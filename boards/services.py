"""Board lifecycle: creating a board (from a template, or as the future state of another).

The board row and its owner's membership are created here; everything inside the board
(stages, lanes, cards, personas) is written through `apply_op`, so it has seqs and history.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from boards.models import (
    Board,
    BoardTemplate,
    Card,
    Lane,
    MapType,
    Membership,
    Persona,
    Role,
    Stage,
)
from boards.ops import apply_op
from boards.ordering import sort_by_position
from boards.permissions import Actor
from boards.visibility import hidden_card_ids


def board_create(
    *,
    owner: AbstractBaseUser,
    title: str,
    language: str,
    template: BoardTemplate | None = None,
    goal: str = "",
    map_type: str | None = None,
) -> Board:
    with transaction.atomic():
        board = Board.objects.create(
            title=title,
            goal=goal,
            language=language,
            owner=owner,
            map_type=map_type or (template.map_type if template else MapType.CURRENT_STATE),
        )
        Membership.objects.create(board=board, user=owner, role=Role.OWNER)
        if template is not None:
            template_apply(board=board, actor=Actor.for_user(owner), template=template)
    board.refresh_from_db()
    return board


def template_apply(*, board: Board, actor: Actor, template: BoardTemplate) -> None:
    """Add the template's stages and lanes, in the board's language, after what is there."""
    structure = template.structure
    language = board.language
    with transaction.atomic():
        for stage in structure.get("stages", []):
            args = {
                "title": stage[language],
                "description": stage.get(f"description_{language}", ""),
            }
            apply_op(board_id=board.pk, actor=actor, name="stage.create", args=args)
        for lane in structure.get("lanes", []):
            args = {"kind": lane["kind"], "title": lane[language]}
            apply_op(board_id=board.pk, actor=actor, name="lane.create", args=args)


CARD_COPIED_FIELDS = (
    "text",
    "color",
    "emotion_score",
    "channel",
    "brand_controlled",
    "touchpoint_state",
    "moment_of_truth",
)
PERSONA_COPIED_FIELDS = (
    "name",
    "role",
    "demographics",
    "goals",
    "needs",
    "frustrations",
    "behaviours",
    "quote",
)


def board_copy_as_future_state(*, source: Board, owner: AbstractBaseUser, title: str = "") -> Board:
    """A future-state board that starts as a copy of `source` (a current-state map), so the
    team redesigns the journey beside the one they observed."""
    actor = Actor.for_user(owner)
    # The suffix belongs to the board's language, not to whoever happens to click the button.
    with translation.override(source.language):
        default_title = _("%(title)s (future state)") % {"title": source.title}
    with transaction.atomic():
        board = Board.objects.create(
            title=title or default_title,
            goal=source.goal,
            language=source.language,
            owner=owner,
            map_type=MapType.FUTURE_STATE,
            source_board=source,
        )
        Membership.objects.create(board=board, user=owner, role=Role.OWNER)
        stage_ids = _copy_list(board, actor, "stage", Stage, source, ("title", "description"))
        lane_ids = _copy_list(board, actor, "lane", Lane, source, ("kind", "title"))
        _copy_list(board, actor, "persona", Persona, source, PERSONA_COPIED_FIELDS)
        # A card still private to someone else stays where it was written (boards.visibility).
        hidden = hidden_card_ids(source.pk, actor.participant_id)
        for card in sort_by_position(
            Card.objects.filter(
                board=source, deleted=False, stage__deleted=False, lane__deleted=False
            ).exclude(pk__in=hidden)
        ):
            args: dict[str, Any] = {field: getattr(card, field) for field in CARD_COPIED_FIELDS}
            args.update(
                stage_id=stage_ids[card.stage_id],
                lane_id=lane_ids[card.lane_id],
                position=card.position,
            )
            apply_op(board_id=board.pk, actor=actor, name="card.create", args=args)
    board.refresh_from_db()
    return board


def _copy_list(
    board: Board, actor: Actor, prefix: str, model: Any, source: Board, fields: tuple[str, ...]
) -> dict[Any, str]:
    """Copy one ordered list of `source` onto `board`; map old ids to new ones."""
    new_ids: dict[Any, str] = {}
    for item in sort_by_position(model.objects.filter(board=source, deleted=False)):
        args = {field: getattr(item, field) for field in fields}
        args["position"] = item.position
        applied = apply_op(board_id=board.pk, actor=actor, name=f"{prefix}.create", args=args)
        new_ids[item.pk] = applied.result["id"]
    return new_ids
