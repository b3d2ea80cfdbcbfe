"""Pages of the boards app (the board editor itself is the front end's, in board_page)."""

from django.urls import include, path

from boards import board_page, views

urlpatterns = [
    path("", views.home, name="home"),
    path("boards/new/", views.board_new, name="board-new"),
    path("boards/<uuid:board_id>/archive/", views.board_archive, name="board-archive"),
    path("boards/<uuid:board_id>/rename/", views.board_rename, name="board-rename"),
    path("boards/<uuid:board_id>/", board_page.board_page, name="board"),
    path("", include("boards.sharing.urls")),
]
