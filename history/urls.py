"""History endpoints, mounted under /api/ beside the board API."""

from __future__ import annotations

from django.urls import path

from history import api

app_name = "history"

board = "boards/<uuid:board_id>/"
version = f"{board}versions/<uuid:version_id>/"

urlpatterns = [
    path(f"{board}versions/", api.VersionListView.as_view(), name="version-list"),
    path(version, api.VersionDetailView.as_view(), name="version-detail"),
    path(f"{version}restore/", api.VersionRestoreView.as_view(), name="version-restore"),
    path(f"{version}copy/", api.VersionCopyView.as_view(), name="version-copy"),
    path(f"{board}history/", api.TimeTravelView.as_view(), name="time-travel"),
    path(f"{board}deleted/", api.DeletedListView.as_view(), name="deleted"),
    path(f"{board}compare/", api.CompareView.as_view(), name="compare"),
    path(f"{board}activity/", api.ActivityView.as_view(), name="activity"),
    path(f"{board}activity.csv", api.ActivityCsvView.as_view(), name="activity-csv"),
]
