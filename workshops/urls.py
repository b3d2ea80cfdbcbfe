"""Workshop endpoints, mounted under /api/ before the boards API (whose catch-all answers
unknown paths)."""

from django.urls import path

from workshops import api

app_name = "workshops"

urlpatterns = [
    path(
        "boards/<uuid:board_id>/workshop/",
        api.WorkshopStateView.as_view(),
        name="workshop-state",
    ),
    path(
        "boards/<uuid:board_id>/workshop/summary/",
        api.WorkshopSummaryView.as_view(),
        name="workshop-summary",
    ),
]
