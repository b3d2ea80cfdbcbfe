"""Pages of the journey data app."""

from django.urls import path

from journeydata import views

urlpatterns = [
    path("boards/<uuid:board_id>/data/", views.board_data, name="board-data"),
    path(
        "boards/<uuid:board_id>/data/samples/",
        views.board_data_sample,
        name="board-data-sample",
    ),
]
