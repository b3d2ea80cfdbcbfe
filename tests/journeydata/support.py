"""What the shared op tests need to know about the metric ops: the least role of each (stated
here, not read back from the code) and arguments that succeed, with the sample each op needs
set up directly in the table, so it works on an archived board too."""

from __future__ import annotations

import datetime
from typing import Any

from boards.models import Board, Role
from journeydata.models import MetricSample

METRIC_LEAST_ROLE: dict[str, Role] = {
    "metric.record": Role.EDITOR,
    "metric.delete": Role.EDITOR,
    "metric.restore": Role.EDITOR,
}


def metric_valid_args(name: str, board: Board, *, stage_id: str) -> dict[str, Any]:
    if name == "metric.record":
        return {"stage_id": stage_id, "kind": "nps", "responses": [9, 10], "date": "2026-03-31"}
    sample = MetricSample.objects.create(
        board=board,
        stage_id=stage_id,
        kind="drop_off",
        value=12.0,
        date=datetime.date(2026, 3, 31),
        deleted=name == "metric.restore",
    )
    return {"id": str(sample.pk)}
