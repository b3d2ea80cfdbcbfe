"""The metric ops: record a KPI sample at a stage or a touchpoint card, delete it, restore it.

They join the boards op catalogue (`boards.ops.registry`), so a sample pushed by a CRM job, typed
on the board or imported from a spreadsheet gets a seq, a line in the op log and a live
broadcast like any other change.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from boards.models import Card, Role, Stage
from boards.ops import fields
from boards.ops.common import TargetArgs, ensure_new_id, get_live, set_deleted
from boards.ops.limits import NAME_MAX_CHARS, TITLE_MAX_CHARS
from boards.ops.registry import OpArgs, OpContext, Outcome, register
from journeydata.kpis import CSAT_SCALES, answer_range
from journeydata.models import SURVEY_KINDS, MetricKind, MetricSample
from journeydata.wire import metric_sample_data

# One sample holds the answers of one survey wave; a bigger one is split by date or source.
MAX_RESPONSES = 1_000_000
MAX_RAW_RESPONSES = 5_000  # a raw list longer than this must be sent as `counts`
PERCENT_KINDS = frozenset(
    {MetricKind.CONVERSION_RATE, MetricKind.DROP_OFF, MetricKind.SATISFACTION_RATE}
)


class NumberField(serializers.FloatField):
    """A JSON number (not a string, not a boolean), finite."""

    default_error_messages = {"not_number": gettext_lazy("Must be a number.")}

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
            self.fail("not_number")
        return super().to_internal_value(data)


class DateField(fields.TextField):
    """An ISO date, "2026-03-31", kept as that string in the op log."""

    default_error_messages = {"bad_date": gettext_lazy("Must be a date written YYYY-MM-DD.")}

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            self.fail("bad_date")


class MetricRecordArgs(OpArgs):
    id = fields.UUIDField(required=False)
    stage_id = fields.UUIDField(required=False)
    card_id = fields.UUIDField(required=False)
    kind = fields.ChoiceField(choices=MetricKind.choices)
    name = fields.TextField(required=False, allow_blank=True, max_length=NAME_MAX_CHARS)
    unit = fields.TextField(required=False, allow_blank=True, max_length=20)
    scale = fields.IntField(required=False, allow_null=True)
    value = NumberField(required=False, allow_null=True)
    responses = serializers.ListField(
        child=fields.IntField(), required=False, max_length=MAX_RAW_RESPONSES
    )
    counts = serializers.DictField(child=fields.IntField(min_value=0), required=False)
    date = DateField()
    source = fields.TextField(required=False, allow_blank=True, max_length=TITLE_MAX_CHARS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("stage_id" in attrs) == ("card_id" in attrs):
            raise serializers.ValidationError(
                {"stage_id": [_("Give either a stage or a touchpoint card, not both.")]}
            )
        kind = attrs["kind"]
        if kind in SURVEY_KINDS:
            attrs["counts"] = _survey_counts(kind, attrs)
            attrs.pop("responses", None)
        else:
            _check_value(kind, attrs)
        if kind == MetricKind.CUSTOM and not attrs.get("name", "").strip():
            raise serializers.ValidationError({"name": [_("A custom metric needs a name.")]})
        return attrs


def _survey_counts(kind: str, attrs: dict[str, Any]) -> dict[str, int]:
    """The answers as counts per answer, from a raw list or from counts, checked in range."""
    if attrs.get("value") is not None:
        raise serializers.ValidationError(
            {"value": [_("This KPI is computed from its answers: send responses or counts.")]}
        )
    scale = attrs.get("scale")
    if kind == MetricKind.CSAT:
        scale = attrs["scale"] = scale or CSAT_SCALES[0]
        if scale not in CSAT_SCALES:
            raise serializers.ValidationError({"scale": [_("CSAT is answered on 1-5 or 1-10.")]})
    elif scale is not None:
        raise serializers.ValidationError({"scale": [_("Only CSAT has a choice of scale.")]})
    if ("responses" in attrs) == ("counts" in attrs):
        raise serializers.ValidationError(
            {"responses": [_("Send the answers as either responses or counts.")]}
        )
    low, high = answer_range(kind, scale)
    field = "responses" if "responses" in attrs else "counts"
    pairs = (
        [(a, 1) for a in attrs["responses"]] if field == "responses" else attrs["counts"].items()
    )
    counts: dict[str, int] = {}
    for answer, n in pairs:
        number = _whole_number(answer)
        if number is None or not low <= number <= high:
            message = _("Answers must be whole numbers from %(low)s to %(high)s.")
            raise serializers.ValidationError({field: [message % {"low": low, "high": high}]})
        if n:
            counts[str(number)] = counts.get(str(number), 0) + n
    total = sum(counts.values())
    if total == 0:
        raise serializers.ValidationError({field: [_("At least one answer is needed.")]})
    if total > MAX_RESPONSES:
        raise serializers.ValidationError({field: [_("Too many answers in one sample.")]})
    return dict(sorted(counts.items(), key=lambda item: int(item[0])))


def _whole_number(answer: int | str) -> int | None:
    """An answer as a number: raw lists hold ints, counts are keyed by their text."""
    if isinstance(answer, int):
        return answer
    try:
        return int(answer)
    except ValueError:
        return None


def _check_value(kind: str, attrs: dict[str, Any]) -> None:
    if "responses" in attrs or "counts" in attrs:
        raise serializers.ValidationError(
            {"value": [_("This KPI is one number: send value, not answers.")]}
        )
    if attrs.get("scale") is not None:
        raise serializers.ValidationError({"scale": [_("Only CSAT has a choice of scale.")]})
    value = attrs.get("value")
    if value is None:
        raise serializers.ValidationError({"value": [_("This field is required.")]})
    if kind in PERCENT_KINDS and not 0 <= value <= 100:
        raise serializers.ValidationError({"value": [_("A rate is a percentage from 0 to 100.")]})
    if kind == MetricKind.HANDLING_TIME and value < 0:
        raise serializers.ValidationError({"value": [_("A duration cannot be negative.")]})


@register("metric.record", min_role=Role.EDITOR, args=MetricRecordArgs, batchable=True)
def metric_record(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    stage = get_live(Stage, ctx, args["stage_id"]) if "stage_id" in args else None
    card = get_live(Card, ctx, args["card_id"]) if "card_id" in args else None
    sample = MetricSample(
        id=ensure_new_id(MetricSample, args),
        board=ctx.board,
        stage=stage,
        card=card,
        kind=args["kind"],
        name=args.get("name", "").strip(),
        unit=args.get("unit", ""),
        scale=args.get("scale"),
        value=args.get("value"),
        counts=args.get("counts", {}),
        date=datetime.date.fromisoformat(args["date"]),
        source=args.get("source", ""),
    )
    sample.save(force_insert=True)
    return dict(metric_sample_data(sample)), None


@register("metric.delete", min_role=Role.EDITOR, args=TargetArgs, batchable=True)
def metric_delete(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    return set_deleted(get_live(MetricSample, ctx, args["id"]), True, metric_sample_data)


@register("metric.restore", min_role=Role.EDITOR, args=TargetArgs, batchable=True)
def metric_restore(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    sample = get_live(MetricSample, ctx, args["id"], deleted=True)
    return set_deleted(sample, False, metric_sample_data)
