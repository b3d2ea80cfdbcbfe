"""How each KPI is computed from its samples. Pure functions on plain values, no database.

Definitions (docs/journey-data.md):
- NPS, from 0-10 answers: promoters 9-10, passives 7-8, detractors 0-6;
  NPS = % promoters - % detractors, from -100 to +100.
- CSAT, from 1-5 or 1-10 answers: the average, and the share of satisfied answers, those at
  80 % of the scale or above (4-5 on 1-5, 8-10 on 1-10).
- CES, from 1-5 answers: the average; lower is easier.
- Conversion, drop-off and satisfaction rates are percentages; handling time is in seconds;
  a custom metric is a number with its own name and unit.

Samples of one KPI on the same date are pooled: survey answers add up, values average.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from journeydata.models import SURVEY_KINDS, MetricKind

Tone = Literal["good", "warning", "bad", "neutral"]
Trend = Literal["up", "down", "flat", "none"]

# The answers each survey accepts.
NPS_RANGE = (0, 10)
CES_RANGE = (1, 5)
CSAT_SCALES = (5, 10)
SATISFIED_SHARE_OF_SCALE = 0.8

# KPIs where a lower number is the better one.
LOWER_IS_BETTER = frozenset({MetricKind.CES, MetricKind.DROP_OFF, MetricKind.HANDLING_TIME})

# Colour cues where practitioners share a rule of thumb: (good from, warning from); for the
# kinds in LOWER_IS_BETTER, (good up to, warning up to). The other kinds are judged by trend.
THRESHOLDS: dict[str, tuple[float, float]] = {
    MetricKind.NPS: (30.0, 0.0),
    MetricKind.CSAT: (80.0, 60.0),  # on the share of satisfied answers
    MetricKind.SATISFACTION_RATE: (80.0, 60.0),
    MetricKind.CES: (2.0, 3.0),
}


def answer_range(kind: str, scale: int | None) -> tuple[int, int]:
    if kind == MetricKind.NPS:
        return NPS_RANGE
    if kind == MetricKind.CES:
        return CES_RANGE
    return (1, scale or CSAT_SCALES[0])


@dataclass(frozen=True)
class Score:
    """A KPI at one date. `value` is the headline number (NPS, CSAT average, CES average, or
    the measured value); survey KPIs also carry their answer counts."""

    value: float
    responses: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    satisfied_pct: float | None = None


def _total(counts: Mapping[int, int]) -> int:
    return sum(counts.values())


def nps(counts: Mapping[int, int]) -> Score:
    total = _total(counts)
    promoters = sum(n for answer, n in counts.items() if answer >= 9)
    passives = sum(n for answer, n in counts.items() if 7 <= answer <= 8)
    detractors = total - promoters - passives
    return Score(
        value=round(100 * (promoters - detractors) / total, 1),
        responses=total,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
    )


def average(counts: Mapping[int, int]) -> float:
    return round(sum(answer * n for answer, n in counts.items()) / _total(counts), 2)


def csat(counts: Mapping[int, int], scale: int) -> Score:
    total = _total(counts)
    satisfied = sum(n for answer, n in counts.items() if answer >= SATISFIED_SHARE_OF_SCALE * scale)
    return Score(
        value=average(counts), responses=total, satisfied_pct=round(100 * satisfied / total, 1)
    )


def ces(counts: Mapping[int, int]) -> Score:
    return Score(value=average(counts), responses=_total(counts))


def pool_counts(samples: Iterable[Mapping[str, int]]) -> dict[int, int]:
    pooled: dict[int, int] = {}
    for counts in samples:
        for answer, n in counts.items():
            pooled[int(answer)] = pooled.get(int(answer), 0) + n
    return pooled


def score(
    kind: str, *, scale: int | None, counts: list[Mapping[str, int]], values: list[float]
) -> Score:
    """The KPI of one date from that date's samples (their answer counts or their values)."""
    if kind in SURVEY_KINDS:
        pooled = pool_counts(counts)
        if kind == MetricKind.NPS:
            return nps(pooled)
        if kind == MetricKind.CSAT:
            return csat(pooled, scale or CSAT_SCALES[0])
        return ces(pooled)
    return Score(value=round(sum(values) / len(values), 2))


def judged_value(kind: str, latest: Score) -> float:
    """The number the colour cue looks at: CSAT is judged by its share of satisfied answers."""
    if kind == MetricKind.CSAT and latest.satisfied_pct is not None:
        return latest.satisfied_pct
    return latest.value


def trend(previous: float | None, latest: float) -> Trend:
    if previous is None:
        return "none"
    if latest == previous:
        return "flat"
    return "up" if latest > previous else "down"


def tone(kind: str, latest: Score, previous: Score | None) -> Tone:
    """Green, amber or red: by the rule of thumb where there is one, else by the trend (a
    better number than last time is good news, a worse one bad)."""
    value = judged_value(kind, latest)
    lower_is_better = kind in LOWER_IS_BETTER
    if kind in THRESHOLDS:
        good, warning = THRESHOLDS[kind]
        if lower_is_better:
            return "good" if value <= good else "warning" if value <= warning else "bad"
        return "good" if value >= good else "warning" if value >= warning else "bad"
    if previous is None:
        return "neutral"
    before = judged_value(kind, previous)
    if value == before:
        return "neutral"
    improved = value < before if lower_is_better else value > before
    return "good" if improved else "bad"
