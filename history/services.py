"""Writes of the history app: versions (by hand, at the end of a workshop, daily), periodic
snapshots, and a version brought back as a new board.

Restoring a version *in place* changes board content, so it is an op (`version.restore`, in
history/ops.py) and goes through `apply_op` like every other change.
"""

from __future__ import annotations

import datetime
import itertools
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from boards.models import Board, MapType, Membership, Role
from boards.ops import apply_op
from boards.permissions import Actor
from boards.services import CARD_COPIED_FIELDS, PERSONA_COPIED_FIELDS
from boards.visibility import without_hidden_cards
from history import selectors
from history.models import Snapshot, Version, VersionKind
from history.selectors import board_state_at
from history.state import capture, visible


def snapshot_store(*, board_id: uuid.UUID | str) -> Snapshot:
    """The board's state now, stored (or the one already stored at this seq)."""
    state = capture(board_id)
    snapshot, _created = Snapshot.objects.get_or_create(
        board_id=board_id, seq=state["seq"], defaults={"state": state}
    )
    return snapshot


def version_create(
    *,
    board_id: uuid.UUID | str,
    name: str,
    kind: str = VersionKind.MANUAL,
    user_id: int | None = None,
) -> Version:
    snapshot = snapshot_store(board_id=board_id)
    return Version.objects.create(
        board_id=board_id,
        snapshot=snapshot,
        name=name,
        kind=kind,
        created_by_id=user_id,
    )


def workshop_ended(*, board_id: uuid.UUID | str, user_id: int | None = None) -> Version:
    """The hook for whatever ends a workshop (a facilitator's button, a timer): keeps the
    board as the workshop left it. Calling it twice without changes in between keeps one."""
    board = Board.objects.get(pk=board_id)
    latest = Version.objects.filter(board=board, kind=VersionKind.WORKSHOP).order_by("-created_at")
    last = latest.select_related("snapshot").first()
    if last is not None and last.snapshot.seq == board.seq:
        return last
    # Automatic versions are named in the board's language, not the clicker's.
    with translation.override(board.language):
        when = formats.date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
        name = _("Workshop of %(when)s") % {"when": when}
    return version_create(board_id=board.pk, name=name, kind=VersionKind.WORKSHOP, user_id=user_id)


def daily_versions(*, now: datetime.datetime | None = None) -> list[Version]:
    """One automatic version per board changed since its last daily version (or ever): run
    once a day (`manage.py history_daily`)."""
    now = now or timezone.now()
    made = []
    last_daily = Max("versions__snapshot__seq", filter=Q(versions__kind=VersionKind.DAILY))
    for board in Board.objects.filter(archived=False, seq__gt=0).annotate(last_daily=last_daily):
        if board.last_daily is not None and board.last_daily >= board.seq:
            continue
        with translation.override(board.language):
            day = formats.date_format(timezone.localtime(now), "SHORT_DATE_FORMAT")
            name = _("Daily version of %(day)s") % {"day": day}
        made.append(version_create(board_id=board.pk, name=name, kind=VersionKind.DAILY))
    return made


def snapshots_refresh() -> list[Snapshot]:
    """Fill every stretch of a board's log longer than `SNAPSHOT_EVERY` ops without a
    snapshot, so time travel to any seq replays at most that many. Run daily with the
    versions (`manage.py history_daily`); a board already compacted costs one query."""
    stored = []
    every = selectors.SNAPSHOT_EVERY
    for board in Board.objects.filter(seq__gte=every):
        seqs = [
            0,
            *Snapshot.objects.filter(board=board).order_by("seq").values_list("seq", flat=True),
        ]
        for earlier, later in itertools.pairwise([*seqs, board.seq]):
            if later - earlier > every:
                # The replay stores a snapshot every SNAPSHOT_EVERY seqs on its way.
                board_state_at(board, later - 1)
        if board.seq - seqs[-1] >= every:
            # The present is read from the tables rather than replayed.
            stored.append(snapshot_store(board_id=board.pk))
    return stored


ITEM_FIELDS = {
    "stage": ("title", "description"),
    "lane": ("kind", "title"),
    "persona": PERSONA_COPIED_FIELDS,
}


def version_copy_as_board(*, version: Version, owner: AbstractBaseUser, title: str = "") -> Board:
    """A new board holding what `version` showed, owned by `owner`, built op by op so it has
    its own history from the first seq. The original board is left as it is."""
    actor = Actor.for_user(owner)
    # A card still private to someone else stays out of the copy (boards.visibility).
    state = visible(version.snapshot.state)
    shown = without_hidden_cards(state, version.board_id, actor.participant_id)
    source = shown["board"]
    with translation.override(source["language"]):
        default_title = _("%(title)s (%(version)s)") % {
            "title": source["title"],
            "version": version.name,
        }
    with transaction.atomic():
        board = Board.objects.create(
            title=(title or default_title)[:200],
            goal=source["goal"],
            language=source["language"],
            map_type=source["map_type"] or MapType.CURRENT_STATE,
            owner=owner,
            source_board_id=source["source_board_id"],
        )
        Membership.objects.create(board=board, user=owner, role=Role.OWNER)
        new_ids: dict[str, str] = {}
        for kind, plural in (("stage", "stages"), ("lane", "lanes"), ("persona", "personas")):
            for item in shown[plural]:  # type: ignore[literal-required]
                args = {field: item[field] for field in ITEM_FIELDS[kind]}
                args["position"] = item["position"]
                applied = apply_op(board_id=board.pk, actor=actor, name=f"{kind}.create", args=args)
                new_ids[item["id"]] = applied.result["id"]
        for card in shown["cards"]:
            args = {field: card[field] for field in CARD_COPIED_FIELDS}  # type: ignore[literal-required]
            args.update(
                stage_id=new_ids[card["stage_id"]],
                lane_id=new_ids[card["lane_id"]],
                position=card["position"],
            )
            apply_op(board_id=board.pk, actor=actor, name="card.create", args=args)
    board.refresh_from_db()
    return board
