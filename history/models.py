"""A board's past: stored states (snapshots) and the named or automatic versions that point
at them.

The op log (`boards.Op`) is the history itself; a snapshot is only a shortcut into it, so time
travel replays a bounded number of ops instead of the whole log. Snapshots keep tombstoned
objects too: a later `stage.restore` brings back cards the snapshot must still know about.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from boards.models import Board


class Snapshot(models.Model):
    """The whole content of a board at one seq, deleted objects included, in the wire shape
    (`boards.wire.SnapshotData`). Written by versions, by time travel as it replays long
    stretches of the log, and by the periodic `history_snapshots` command."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="history_snapshots")
    seq = models.BigIntegerField()
    state = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        constraints = [
            models.UniqueConstraint(fields=["board", "seq"], name="history_snapshot_once_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.board_id}@{self.seq}"


class VersionKind(models.TextChoices):
    MANUAL = "manual", _("Named by hand")
    WORKSHOP = "workshop", _("End of a workshop")
    DAILY = "daily", _("Daily")
    BEFORE_RESTORE = "before_restore", _("Before a restore")


class Version(models.Model):
    """A point of the board's history worth a name ("Q1 review"), kept for good."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="versions")
    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="versions")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=VersionKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return self.name

    @property
    def seq(self) -> int:
        return self.snapshot.seq
