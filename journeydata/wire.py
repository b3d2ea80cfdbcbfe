"""Metric samples on the wire (op results, REST bodies). `frontend/src/protocol.ts` mirrors
these TypedDicts, and tests/test_protocol_types.py keeps them in step."""

from __future__ import annotations

from typing import TypedDict

from journeydata.models import MetricSample


class MetricSampleData(TypedDict):
    id: str
    stage_id: str | None
    card_id: str | None
    kind: str
    name: str
    unit: str
    scale: int | None
    value: float | None
    counts: dict[str, int]
    date: str
    source: str
    version: int
    deleted: bool


def metric_sample_data(sample: MetricSample) -> MetricSampleData:
    return {
        "id": str(sample.id),
        "stage_id": str(sample.stage_id) if sample.stage_id else None,
        "card_id": str(sample.card_id) if sample.card_id else None,
        "kind": sample.kind,
        "name": sample.name,
        "unit": sample.unit,
        "scale": sample.scale,
        "value": sample.value,
        "counts": sample.counts,
        "date": sample.date.isoformat(),
        "source": sample.source,
        "version": sample.version,
        "deleted": sample.deleted,
    }
