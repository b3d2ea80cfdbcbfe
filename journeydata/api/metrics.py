"""KPI samples over REST: read them, read each KPI's summary, and push new samples (one, or a
batch applied all or nothing) from a CRM or an analytics job with an API token."""

from __future__ import annotations

import uuid
from typing import Any, TypedDict

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import (
    OP_RESULT,
    READ_ERRORS,
    WRITE_ERRORS,
    BoardAPIView,
    OpResultData,
    body_object,
    op_result,
    schema_of,
)
from boards.api.errors import board_not_found
from boards.api.serializers import request_body
from boards.models import Board
from boards.ops import OpError, apply_op
from boards.permissions import role_on_board
from boards.selectors import consistent_read
from boards.sharing.access import request_actor
from journeydata.selectors import KpiSummaryData, board_kpis, live_samples
from journeydata.wire import MetricSampleData, metric_sample_data

# A batch is one transaction holding the board's lock; past this, split it.
MAX_BATCH = 1000


class KpisData(TypedDict):
    seq: int
    kpis: list[KpiSummaryData]


class BatchResultData(TypedDict):
    results: list[OpResultData]


class MetricListView(BoardAPIView):
    @extend_schema(
        operation_id="metrics_list",
        summary="The board's KPI samples, oldest date first",
        responses={200: list[MetricSampleData], **READ_ERRORS},
        tags=["journey data"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        return Response([metric_sample_data(sample) for sample in live_samples(board_id)])

    @extend_schema(
        operation_id="metrics_record",
        summary="Record a KPI sample at a stage or a touchpoint card (op metric.record)",
        request=request_body("metric.record", "MetricRecordBody"),
        responses={201: OP_RESULT, **WRITE_ERRORS},
        tags=["journey data"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        return self.run_op(board_id, "metric.record", body_object(request), created=True)


class MetricBatchView(BoardAPIView):
    @extend_schema(
        operation_id="metrics_record_batch",
        summary="Record many samples at once: all are applied, or none (errors name the index)",
        request={"application/json": {"type": "object", "properties": {"samples": {}}}},
        responses={201: schema_of(BatchResultData), **WRITE_ERRORS},
        tags=["journey data"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        samples = body_object(request).get("samples")
        if not isinstance(samples, list) or not samples:
            raise OpError("invalid", _("Send a non-empty list of samples."))
        if len(samples) > MAX_BATCH:
            raise OpError(
                "too_large", _("At most %(count)s samples per request.") % {"count": MAX_BATCH}
            )
        applied = apply_batch(board_id, self, [("metric.record", args) for args in samples])
        return Response({"results": applied}, status=201)


def apply_batch(
    board_id: uuid.UUID | str, view: BoardAPIView, ops: list[tuple[str, Any]]
) -> list[OpResultData]:
    """Apply ops in one transaction; the first refusal undoes them all and names its index."""
    results: list[OpResultData] = []
    with transaction.atomic():
        for index, (name, args) in enumerate(ops):
            try:
                applied = apply_op(board_id=board_id, actor=view.actor(), name=name, args=args)
            except OpError as error:
                raise OpError(
                    error.code,
                    _("Item %(index)s: %(message)s") % {"index": index, "message": error.message},
                    details={
                        f"{index}.{field}": msgs for field, msgs in (error.details or {}).items()
                    },
                ) from error
            results.append(op_result(applied))
    return results


class KpiSummaryView(BoardAPIView):
    # The board shows the KPIs under its stages to everyone on it, guests who joined by share
    # link included (their session names them); anyone else gets the usual not-found.
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="kpis_list",
        summary="Each KPI of the board: latest score, counts, trend, colour cue and history",
        responses={200: schema_of(KpisData), **READ_ERRORS},
        tags=["journey data"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        actor = request_actor(request, board_id)
        if actor is None or role_on_board(board_id, actor) is None:
            raise board_not_found()
        with consistent_read():
            seq = Board.objects.values_list("seq", flat=True).get(pk=board_id)
            kpis = board_kpis(board_id)
        return Response({"seq": seq, "kpis": kpis})
