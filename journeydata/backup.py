"""A whole board as one JSON document with a versioned schema, and its restore into a new
board through the write path (so the restored board has a normal op log from seq 1).

Schema version 1:
    {"format": "journeymap.board", "version": 1, "exported_at": "<ISO time>",
     "board": {"title", "goal", "map_type", "language"},
     "stages": [{"id", "title", "description"}], "lanes": [{"id", "kind", "title"}],
     "cards": [{"id", "stage_id", "lane_id", "text", "color", "emotion_score", "channel",
                "brand_controlled", "touchpoint_state", "moment_of_truth"}],
     "personas": [{"name", "role", "demographics", "goals", "needs", "frustrations",
                   "behaviours", "quote"}],
     "metric_samples": [{"stage_id" | "card_id", "kind", "name", "unit", "scale", "value",
                         "counts", "date", "source"}]}
Lists are in board order; ids only link the objects of one document and are not reused.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boards.models import Board
from boards.ops import OpError, apply_op
from boards.permissions import Actor
from boards.services import board_create
from journeydata.exports.content import BoardContent

BACKUP_FORMAT = "journeymap.board"
BACKUP_VERSION = 1
CARD_FIELDS = (
    "text",
    "color",
    "emotion_score",
    "channel",
    "brand_controlled",
    "touchpoint_state",
    "moment_of_truth",
)
PERSONA_FIELDS = (
    "name",
    "role",
    "demographics",
    "goals",
    "needs",
    "frustrations",
    "behaviours",
    "quote",
)
SAMPLE_FIELDS = ("kind", "name", "unit", "scale", "value", "counts", "date", "source")


def export_backup(content: BoardContent) -> dict[str, Any]:
    board = content.snapshot["board"]
    return {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "exported_at": timezone.now().isoformat(),
        "board": {key: board[key] for key in ("title", "goal", "map_type", "language")},
        "stages": [
            {"id": s["id"], "title": s["title"], "description": s["description"]}
            for s in content.stages
        ],
        "lanes": [
            {"id": la["id"], "kind": la["kind"], "title": la["title"]} for la in content.lanes
        ],
        "cards": [
            {
                "id": card["id"],
                "stage_id": stage["id"],
                "lane_id": lane["id"],
                **{key: card[key] for key in CARD_FIELDS},
            }
            for stage in content.stages
            for lane in content.lanes
            for card in content.cell(stage, lane)
        ],
        "personas": [{key: p[key] for key in PERSONA_FIELDS} for p in content.personas],
        "metric_samples": [
            {
                **({"card_id": s["card_id"]} if s["card_id"] else {"stage_id": s["stage_id"]}),
                **{key: s[key] for key in SAMPLE_FIELDS},
            }
            for s in content.samples
        ],
    }


def _invalid(path: str, message: str) -> OpError:
    return OpError("invalid", _("The backup is not valid."), details={path: [message]})


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = document.get(key, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _invalid(key, _("Must be a list of objects."))
    return items


class _Restorer:
    """Replays a backup as ops on a new board, mapping the document's ids to new ones."""

    def __init__(self, board: Board, actor: Actor) -> None:
        self.board, self.actor = board, actor
        self.ids: dict[str, str] = {}

    def op(self, path: str, name: str, args: dict[str, Any]) -> str:
        try:
            applied = apply_op(board_id=self.board.pk, actor=self.actor, name=name, args=args)
        except OpError as error:
            details = {f"{path}.{field}": msgs for field, msgs in (error.details or {}).items()}
            raise OpError(
                error.code, f"{path}: {error.message}", details=details or {path: [error.message]}
            ) from error
        return applied.result["id"]

    def ref(self, path: str, item: dict[str, Any], key: str) -> str:
        new_id = self.ids.get(str(item.get(key)))
        if new_id is None:
            raise _invalid(f"{path}.{key}", _("This refers to nothing in the backup."))
        return new_id

    def remember(self, item: dict[str, Any], new_id: str) -> None:
        if "id" in item:
            self.ids[str(item["id"])] = new_id


def backup_restore(*, document: object, owner: AbstractBaseUser) -> Board:
    """A new board, owned by `owner`, with the backup's content; all of it, or nothing."""
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise _invalid("format", _("This is not a Journeymap board backup."))
    if document.get("version") != BACKUP_VERSION:
        raise _invalid(
            "version",
            _("Backups of version %(version)s can be restored here.") % {"version": BACKUP_VERSION},
        )
    meta = document.get("board")
    if not isinstance(meta, dict):
        raise _invalid("board", _("Must be an object."))
    with transaction.atomic():
        board = board_create(
            owner=owner,
            title=str(meta.get("title") or _("Restored board")),
            language=str(meta.get("language") or "en"),
            goal=str(meta.get("goal") or ""),
            map_type=meta.get("map_type") or None,
        )
        restorer = _Restorer(board, Actor.for_user(owner))
        for index, stage in enumerate(_list(document, "stages")):
            args = {key: stage[key] for key in ("title", "description") if key in stage}
            restorer.remember(stage, restorer.op(f"stages.{index}", "stage.create", args))
        for index, lane in enumerate(_list(document, "lanes")):
            args = {key: lane[key] for key in ("kind", "title") if key in lane}
            restorer.remember(lane, restorer.op(f"lanes.{index}", "lane.create", args))
        for index, card in enumerate(_list(document, "cards")):
            path = f"cards.{index}"
            args = {key: card[key] for key in CARD_FIELDS if key in card}
            args["stage_id"] = restorer.ref(path, card, "stage_id")
            args["lane_id"] = restorer.ref(path, card, "lane_id")
            restorer.remember(card, restorer.op(path, "card.create", args))
        for index, persona in enumerate(_list(document, "personas")):
            args = {key: persona[key] for key in PERSONA_FIELDS if key in persona}
            restorer.op(f"personas.{index}", "persona.create", args)
        for index, sample in enumerate(_list(document, "metric_samples")):
            path = f"metric_samples.{index}"
            # Survey samples carry counts, the others a value; the empty one is left out.
            args = {key: sample[key] for key in SAMPLE_FIELDS if sample.get(key) not in (None, {})}
            target = "card_id" if "card_id" in sample else "stage_id"
            args[target] = restorer.ref(path, sample, target)
            restorer.op(path, "metric.record", args)
    board.refresh_from_db()
    return board
