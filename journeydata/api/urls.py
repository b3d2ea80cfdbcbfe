"""Journey data under /api/ (namespace `data`): KPI samples, summaries, imports and exports.
Included before boards.api.urls, whose last pattern answers every unknown /api/ path."""

from __future__ import annotations

from django.urls import path

from journeydata.api import analysis, exports, imports, metrics

app_name = "data"

urlpatterns = [
    path("boards/<uuid:board_id>/metrics/", metrics.MetricListView.as_view(), name="metric-list"),
    path(
        "boards/<uuid:board_id>/metrics/batch/",
        metrics.MetricBatchView.as_view(),
        name="metric-batch",
    ),
    path("boards/<uuid:board_id>/kpis/", metrics.KpiSummaryView.as_view(), name="kpi-list"),
    path(
        "boards/<uuid:board_id>/export/<str:fmt>/",
        exports.BoardExportView.as_view(),
        name="board-export",
    ),
    path("boards/<uuid:board_id>/import/", imports.BoardImportView.as_view(), name="board-import"),
    path(
        "boards/<uuid:board_id>/analysis/",
        analysis.BoardAnalysisView.as_view(),
        name="board-analysis",
    ),
    path(
        "boards/<uuid:board_id>/compare/<uuid:other_id>/",
        analysis.BoardCompareView.as_view(),
        name="board-compare",
    ),
    path("boards/restore/", exports.BoardRestoreView.as_view(), name="board-restore"),
]
