"""The REST API, mounted at /api/. Board content is written only by ops, so every write
endpoint here is one op; `POST boards/<id>/ops/` runs any op by name."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from boards.api import boards, objects
from boards.api.views import unknown_endpoint
from boards.sharing import api as sharing

app_name = "api"


def object_urls(plural: str, views: objects.ObjectViews) -> list[URLPattern]:
    prefix = f"boards/<uuid:board_id>/{plural}/"
    item = f"{prefix}<uuid:object_id>/"
    singular = plural.removesuffix("s")
    return [
        path(prefix, views.collection.as_view(), name=f"{singular}-list"),
        path(item, views.detail.as_view(), name=f"{singular}-detail"),
        path(f"{item}move/", views.move.as_view(), name=f"{singular}-move"),
        path(f"{item}restore/", views.restore.as_view(), name=f"{singular}-restore"),
    ]


urlpatterns = [
    path("templates/", boards.TemplateListView.as_view(), name="template-list"),
    path("boards/", boards.BoardListView.as_view(), name="board-list"),
    path("boards/<uuid:board_id>/", boards.BoardDetailView.as_view(), name="board-detail"),
    path(
        "boards/<uuid:board_id>/archive/",
        boards.BoardArchiveView.as_view(archived=True),
        name="board-archive",
    ),
    path(
        "boards/<uuid:board_id>/unarchive/",
        boards.BoardArchiveView.as_view(archived=False),
        name="board-unarchive",
    ),
    path("boards/<uuid:board_id>/ops/", boards.BoardOpsView.as_view(), name="board-ops"),
    *object_urls("stages", objects.STAGE_VIEWS),
    *object_urls("lanes", objects.LANE_VIEWS),
    *object_urls("cards", objects.CARD_VIEWS),
    *object_urls("personas", objects.PERSONA_VIEWS),
    path(
        "boards/<uuid:board_id>/personas/<uuid:object_id>/avatar/",
        objects.PersonaAvatarView.as_view(),
        name="persona-avatar",
    ),
    path("boards/<uuid:board_id>/members/", sharing.MemberListView.as_view(), name="member-list"),
    path(
        "boards/<uuid:board_id>/members/<int:user_id>/",
        sharing.MemberDetailView.as_view(),
        name="member-detail",
    ),
    path(
        "boards/<uuid:board_id>/share-links/",
        sharing.ShareLinkListView.as_view(),
        name="share-link-list",
    ),
    path(
        "boards/<uuid:board_id>/share-links/<uuid:link_id>/",
        sharing.ShareLinkDetailView.as_view(),
        name="share-link-detail",
    ),
    path(
        "boards/<uuid:board_id>/invitations/",
        sharing.InvitationListView.as_view(),
        name="invitation-list",
    ),
    path(
        "boards/<uuid:board_id>/invitations/<uuid:invitation_id>/",
        sharing.InvitationDetailView.as_view(),
        name="invitation-detail",
    ),
    path("boards/<uuid:board_id>/guests/", sharing.GuestListView.as_view(), name="guest-list"),
    path(
        "boards/<uuid:board_id>/guests/<uuid:guest_id>/",
        sharing.GuestDetailView.as_view(),
        name="guest-detail",
    ),
    # Anything else under /api/ answers in the API's JSON error shape, not an HTML page. The
    # schema and its docs are mounted beside this module, so they are left to match there.
    re_path(r"^(?!schema/|docs/).*$", unknown_endpoint),
]
