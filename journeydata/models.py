"""The journey's KPIs: samples measured at a stage or at a touchpoint card, each with its date
and source, so the board shows where a KPI stands and where it is going.

Samples are board content: they are written only by the `metric.*` ops (journeydata.ops),
through `boards.ops.apply_op`, like cards and stages.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from boards.models import BoardObject, Card, Stage


class MetricKind(models.TextChoices):
    NPS = "nps", _("NPS")
    CSAT = "csat", _("CSAT")
    CES = "ces", _("CES")
    CONVERSION_RATE = "conversion_rate", _("Conversion rate")
    DROP_OFF = "drop_off", _("Drop-off rate")
    SATISFACTION_RATE = "satisfaction_rate", _("Satisfaction rate")
    HANDLING_TIME = "handling_time", _("Handling time")
    CUSTOM = "custom", _("Custom metric")


# Kinds measured by survey answers (kept as counts per answer) rather than by one value.
SURVEY_KINDS = frozenset({MetricKind.NPS, MetricKind.CSAT, MetricKind.CES})


class MetricSample(BoardObject):
    """One measurement of one KPI at one stage (or touchpoint card) on one date.

    Survey KPIs keep the raw answers as counts per answer (`{"9": 12, "10": 30}`), so NPS,
    averages and shares are computed from the answers rather than trusted from a tool, and
    samples of the same day pool correctly. Other KPIs keep one `value`.
    """

    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE)
    card = models.ForeignKey(Card, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=32, choices=MetricKind.choices)
    # The name of a custom metric; empty for the built-in kinds.
    name = models.CharField(_("name"), max_length=120, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    # CSAT's answer scale: 5 (1-5) or 10 (1-10). Null for the other kinds.
    scale = models.PositiveSmallIntegerField(_("scale"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    counts = models.JSONField(_("answers"), default=dict, blank=True)
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        default_related_name = "metric_samples"
        verbose_name = _("metric sample")
        verbose_name_plural = _("metric samples")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__isnull=False, card__isnull=True)
                | models.Q(stage__isnull=True, card__isnull=False),
                name="metric_sample_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or self.kind} {self.date}"
