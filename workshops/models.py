"""Running a workshop on a board: the agenda, the timer, the facilitator's locks, dot votes and
private writing.

Like board content, these rows are written only by ops (workshops.ops, through
boards.ops.apply_op), so every change is sequenced, logged and broadcast. They live in their
own app, keyed by board and card ids, so the journey-map models stay as they are.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from boards.models import POSITION_MAX_LENGTH, Board, BoardObject


class TimerState(models.TextChoices):
    IDLE = "idle", _("Not started")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")


class Workshop(models.Model):
    """The facilitator's controls of one board, created with defaults on first use."""

    board = models.OneToOneField(
        Board, primary_key=True, on_delete=models.CASCADE, related_name="workshop"
    )
    # [{"title": str, "minutes": int | None, "instructions": str}, ...]
    agenda = models.JSONField(default=list)
    current_step = models.PositiveSmallIntegerField(default=0)

    # The timer is stored as server times, so every client (and a reload) shows the same
    # time: running -> it ends at `timer_ends_at`; paused -> `timer_remaining` is left.
    timer_state = models.CharField(
        max_length=8, choices=TimerState.choices, default=TimerState.IDLE
    )
    timer_duration = models.DurationField(default=timedelta)
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_remaining = models.DurationField(default=timedelta)

    # Locks bind participants below facilitator; facilitators set them and are never bound.
    structure_locked = models.BooleanField(_("structure locked"), default=False)
    # Lane ids where participants may add cards; null: every lane.
    card_lanes = models.JSONField(null=True, blank=True)
    read_only = models.BooleanField(_("read only"), default=False)

    private_writing = models.BooleanField(_("private writing"), default=False)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self) -> str:
        return str(self.board)

    def timer_left(self, now: datetime) -> timedelta:
        if self.timer_state == TimerState.RUNNING and self.timer_ends_at is not None:
            return max(self.timer_ends_at - now, timedelta())
        return self.timer_remaining


class VoteSession(models.Model):
    """One round of dot voting: on the whole board or on chosen lanes, with N dots each."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="vote_sessions")
    # Lane ids whose cards can be voted on; null: every lane.
    lane_ids = models.JSONField(null=True, blank=True)
    votes_per_participant = models.PositiveSmallIntegerField()
    hide_results = models.BooleanField(default=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dot vote")
        verbose_name_plural = _("dot votes")
        constraints = [
            # At most one vote open per board: `vote.add` never has to guess which.
            models.UniqueConstraint(
                fields=["board"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_vote_per_board",
            )
        ]

    def __str__(self) -> str:
        return f"{self.board} · {self.opened_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    """One dot on one card. A participant may put several of their dots on the same card."""

    session = models.ForeignKey(VoteSession, on_delete=models.CASCADE, related_name="votes")
    card_id = models.UUIDField(db_index=True)
    participant_id = models.CharField(max_length=64)  # "u:<id>" or "g:<uuid>"
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        indexes = [models.Index(fields=["session", "participant_id"])]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.card_id}"


class PrivateCard(models.Model):
    """A card written during private writing, visible to its author only until the reveal,
    which deletes the row."""

    card_id = models.UUIDField(primary_key=True)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    author_id = models.CharField(max_length=64)  # participant id

    class Meta:
        verbose_name = _("private card")
        verbose_name_plural = _("private cards")

    def __str__(self) -> str:
        return f"{self.card_id} ({self.author_id})"


class PrivateOp(models.Model):
    """An op of the board's log that only `audience` may see (a private card's creation or
    edit, a hidden vote). Everyone else reads it as a `hidden` op, forever: what it showed
    becomes public through the op that reveals it, not by rewriting history."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    audience = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("private op")
        verbose_name_plural = _("private ops")
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="private_op_once_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.board_id}#{self.seq} → {self.audience}"


class InsightKind(models.TextChoices):
    TAKEAWAY = "takeaway", _("Key takeaway")
    ACTION = "action", _("Action item")


class ActionStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Insight(BoardObject):
    """A key takeaway or an action item of the workshop, linked to the pain-point and
    opportunity cards it answers. Ordered like the other board lists, and written by ops."""

    kind = models.CharField(_("kind"), max_length=16, choices=InsightKind.choices)
    text = models.TextField(_("text"))
    owner = models.CharField(_("owner"), max_length=120, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    card_ids = models.JSONField(default=list)  # ids of the cards it answers
    position = models.CharField(max_length=POSITION_MAX_LENGTH)

    class Meta:
        default_related_name = "insights"
        verbose_name = _("insight")
        verbose_name_plural = _("insights")

    def __str__(self) -> str:
        return self.text[:60]


class ParticipantLanguage(models.Model):
    """The language a member last used Journeymap in, so the summary email speaks it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participant language")
        verbose_name_plural = _("participant languages")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
