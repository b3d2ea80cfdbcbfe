"""The analysis views as JSON: friction, emotions, touchpoint gaps, moments of truth, and a
comparison of two boards (the caller must see both)."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import READ_ERRORS, BoardAPIView, schema_of
from journeydata.analysis import AnalysisData, ComparedStageData, board_analysis, compare
from journeydata.exports.content import board_content


class BoardAnalysisView(BoardAPIView):
    @extend_schema(
        operation_id="boards_analysis",
        summary="Friction heatmap, emotion curve, touchpoint gaps and moments of truth",
        responses={200: schema_of(AnalysisData), **READ_ERRORS},
        tags=["journey data"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        return Response(board_analysis(board_id, board_content(board_id)))


class BoardCompareView(BoardAPIView):
    @extend_schema(
        operation_id="boards_compare",
        summary="Two boards stage by stage (e.g. two personas' journeys)",
        responses={200: schema_of(list[ComparedStageData]), **READ_ERRORS},
        tags=["journey data"],
    )
    def get(self, request: Request, board_id: uuid.UUID, other_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        self.role_or_404(other_id)
        return Response(compare(board_content(board_id), board_content(other_id)))
