"""Stages, lanes, cards and personas: create, update, delete, move, restore, each one op.

The four kinds behave alike, so one set of views serves them; `object_views` makes the
per-kind subclasses only so that the schema documents each kind's own bodies and results.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from PIL import Image, UnidentifiedImageError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import WRITE_ERRORS, BoardAPIView, body_object, error_responses, schema_of
from boards.api.serializers import AvatarUpload, request_body
from boards.ops import OpError
from boards.protocol import ActorData
from boards.wire import CardData, LaneData, PersonaData, StageData


class ObjectCollectionView(BoardAPIView):
    kind = ""

    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        return self.run_op(board_id, f"{self.kind}.create", body_object(request), created=True)


class ObjectDetailView(BoardAPIView):
    kind = ""

    def patch(self, request: Request, board_id: uuid.UUID, object_id: uuid.UUID) -> Response:
        args = {**body_object(request), "id": str(object_id)}
        return self.run_op(board_id, f"{self.kind}.update", args)

    def delete(self, request: Request, board_id: uuid.UUID, object_id: uuid.UUID) -> Response:
        return self.run_op(board_id, f"{self.kind}.delete", {"id": str(object_id)})


class ObjectMoveView(BoardAPIView):
    kind = ""

    def post(self, request: Request, board_id: uuid.UUID, object_id: uuid.UUID) -> Response:
        args = {**body_object(request), "id": str(object_id)}
        return self.run_op(board_id, f"{self.kind}.move", args)


class ObjectRestoreView(BoardAPIView):
    kind = ""

    def post(self, request: Request, board_id: uuid.UUID, object_id: uuid.UUID) -> Response:
        return self.run_op(board_id, f"{self.kind}.restore", {"id": str(object_id)})


@dataclass(frozen=True)
class ObjectViews:
    collection: type[ObjectCollectionView]
    detail: type[ObjectDetailView]
    move: type[ObjectMoveView]
    restore: type[ObjectRestoreView]
    result: dict[str, Any]  # the schema of this kind's op results


def object_views(kind: str, data: type) -> ObjectViews:
    """The four views of one kind, with the schema of its op bodies and of its wire dict."""
    title = kind.capitalize()
    result = schema_of(
        TypedDict(  # type: ignore[misc]  # the op result with this kind's wire dict
            f"{title}OpResult",
            {
                "seq": int,
                "id": str,
                "op": str,
                "actor": ActorData,
                "result": data,
                "duplicate": bool,
            },
        )
    )
    conflict = error_responses(409)

    def schema(verb: str, summary: str, *, body: bool = True, **extra: Any) -> Any:
        return extend_schema(
            operation_id=f"{kind}s_{verb}",
            summary=f"{summary} (op {kind}.{verb})",
            request=request_body(f"{kind}.{verb}", f"{title}{verb.capitalize()}Body")
            if body
            else None,
            tags=[f"{kind}s"],
            **extra,
        )

    responses = {200: result, **WRITE_ERRORS}

    @extend_schema_view(
        post=schema("create", f"Add a {kind}", responses={201: result, **WRITE_ERRORS})
    )
    class Collection(ObjectCollectionView):
        pass

    @extend_schema_view(
        patch=schema("update", f"Change a {kind}", responses={**responses, **conflict}),
        delete=schema("delete", f"Delete a {kind} (restorable)", body=False, responses=responses),
    )
    class Detail(ObjectDetailView):
        pass

    @extend_schema_view(post=schema("move", f"Move a {kind}", responses=responses))
    class Move(ObjectMoveView):
        pass

    @extend_schema_view(
        post=schema("restore", f"Bring back a deleted {kind}", body=False, responses=responses)
    )
    class Restore(ObjectRestoreView):
        pass

    for view in (Collection, Detail, Move, Restore):
        view.kind = kind
        view.__name__ = view.__qualname__ = f"{title}{view.__name__}View"
    return ObjectViews(Collection, Detail, Move, Restore, result)


STAGE_VIEWS = object_views("stage", StageData)
LANE_VIEWS = object_views("lane", LaneData)
CARD_VIEWS = object_views("card", CardData)
PERSONA_VIEWS = object_views("persona", PersonaData)


# Avatars are shown small; a bigger picture is scaled down rather than refused.
AVATAR_SIZE = (512, 512)
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def avatar_image(upload: Any) -> ContentFile:
    """Decode the upload with Pillow and re-encode it, so what is stored is a plain image of
    ours: no embedded metadata, no file that is also something else."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        raise OpError(
            "too_large",
            _("The image is larger than %(size)s MB.")
            % {"size": settings.AVATAR_MAX_BYTES // (1024 * 1024) or 1},
        )
    not_an_image = OpError(
        "invalid",
        _("This file is not an image we can use."),
        details={"avatar": [_("Upload a PNG, JPEG, GIF or WebP image.")]},
    )
    try:
        image = Image.open(upload)
        if image.format not in AVATAR_FORMATS:
            raise not_an_image
        if image.width * image.height > AVATAR_MAX_PIXELS:
            raise OpError("too_large", _("The image has too many pixels."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise not_an_image from None
    image.thumbnail(AVATAR_SIZE)
    photo = image.format == "JPEG"
    out = io.BytesIO()
    if photo:
        image.convert("RGB").save(out, "JPEG", quality=88)
    else:
        image.convert("RGBA").save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{'jpg' if photo else 'png'}")


class PersonaAvatarView(BoardAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="personas_avatar",
        summary="Upload a persona's picture (stored, then set by op persona.update)",
        request={"multipart/form-data": AvatarUpload},
        responses={200: PERSONA_VIEWS.result, **WRITE_ERRORS, **error_responses(413)},
        tags=["personas"],
    )
    def post(self, request: Request, board_id: uuid.UUID, object_id: uuid.UUID) -> Response:
        # Outsiders are turned away before anything reaches the disk.
        self.role_or_404(board_id)
        upload = request.FILES.get("avatar")
        if upload is None:
            raise OpError(
                "invalid",
                _("Some fields are not valid."),
                details={"avatar": [_("Upload a PNG, JPEG, GIF or WebP image.")]},
            )
        image = avatar_image(upload)
        stored = default_storage.save(f"avatars/{board_id}/{image.name}", image)
        try:
            return self.run_op(board_id, "persona.update", {"id": str(object_id), "avatar": stored})
        except OpError:
            default_storage.delete(stored)
            raise
