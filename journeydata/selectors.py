"""Reads of journey data: the live samples of a board, and each KPI's summary (latest score,
history, trend and colour cue) as the board and the exports show it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import TypedDict

from django.db.models import Q, QuerySet

from journeydata import kpis
from journeydata.models import MetricKind, MetricSample

KIND_ORDER = {kind: index for index, kind in enumerate(MetricKind.values)}


class KpiPointData(TypedDict):
    date: str
    value: float


class KpiSummaryData(TypedDict):
    """One KPI at one stage or touchpoint card: its latest score and its history by date."""

    stage_id: str | None
    card_id: str | None
    kind: str
    name: str
    unit: str
    scale: int | None
    date: str
    value: float
    responses: int
    promoters: int
    passives: int
    detractors: int
    satisfied_pct: float | None
    trend: str
    tone: str
    samples: int
    history: list[KpiPointData]


def live_samples(board_id: uuid.UUID | str) -> QuerySet[MetricSample]:
    """Samples that count: not deleted, on a stage or a card that is still on the board."""
    on_live_stage = Q(stage__isnull=False, stage__deleted=False)
    on_live_card = Q(
        card__isnull=False,
        card__deleted=False,
        card__stage__deleted=False,
        card__lane__deleted=False,
    )
    return (
        MetricSample.objects.filter(board_id=board_id, deleted=False)
        .filter(on_live_stage | on_live_card)
        .order_by("date", "created_at")
    )


SeriesKey = tuple[str | None, str | None, str, str, int | None]


def _series_key(sample: MetricSample) -> SeriesKey:
    stage = str(sample.stage_id) if sample.stage_id else None
    card = str(sample.card_id) if sample.card_id else None
    return (stage, card, sample.kind, sample.name, sample.scale)


def summarise(samples: list[MetricSample]) -> list[KpiSummaryData]:
    """Samples (in date order) grouped into KPIs, each scored per date."""
    series: dict[SeriesKey, list[MetricSample]] = defaultdict(list)
    for sample in samples:
        series[_series_key(sample)].append(sample)
    summaries = [_summary(key, members) for key, members in series.items()]
    summaries.sort(key=lambda s: (KIND_ORDER.get(s["kind"], 99), s["name"].lower()))
    return summaries


def _summary(key: SeriesKey, samples: list[MetricSample]) -> KpiSummaryData:
    stage_id, card_id, kind, name, scale = key
    by_date: dict[str, list[MetricSample]] = defaultdict(list)
    for sample in samples:
        by_date[sample.date.isoformat()].append(sample)
    scores = [
        (
            date,
            kpis.score(
                kind,
                scale=scale,
                counts=[s.counts for s in day],
                values=[s.value for s in day if s.value is not None],
            ),
        )
        for date, day in sorted(by_date.items())
    ]
    date, latest = scores[-1]
    previous = scores[-2][1] if len(scores) > 1 else None
    return {
        "stage_id": stage_id,
        "card_id": card_id,
        "kind": kind,
        "name": name,
        "unit": samples[-1].unit,
        "scale": scale,
        "date": date,
        "value": latest.value,
        "responses": latest.responses,
        "promoters": latest.promoters,
        "passives": latest.passives,
        "detractors": latest.detractors,
        "satisfied_pct": latest.satisfied_pct,
        "trend": kpis.trend(previous.value if previous else None, latest.value),
        "tone": kpis.tone(kind, latest, previous),
        "samples": len(samples),
        "history": [{"date": day, "value": s.value} for day, s in scores],
    }


def board_kpis(board_id: uuid.UUID | str) -> list[KpiSummaryData]:
    return summarise(list(live_samples(board_id)))
