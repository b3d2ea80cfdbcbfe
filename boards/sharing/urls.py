"""Pages of sharing, included by boards/urls.py."""

from django.urls import path

from boards.sharing import views

urlpatterns = [
    path("boards/<uuid:board_id>/share/", views.share_page, name="board-share"),
    path("boards/<uuid:board_id>/share/invite/", views.invite, name="board-share-invite"),
    path("boards/<uuid:board_id>/share/links/", views.link_create, name="board-share-link-create"),
    path(
        "boards/<uuid:board_id>/share/links/<uuid:link_id>/revoke/",
        views.link_revoke,
        name="board-share-link-revoke",
    ),
    path(
        "boards/<uuid:board_id>/share/members/<int:user_id>/",
        views.member_update,
        name="board-share-member",
    ),
    path(
        "boards/<uuid:board_id>/share/guests/<uuid:guest_id>/remove/",
        views.guest_remove,
        name="board-share-guest-remove",
    ),
    path(
        "boards/<uuid:board_id>/share/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="board-share-invitation-revoke",
    ),
    path("join/<str:token>/", views.join, name="share-link-join"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
