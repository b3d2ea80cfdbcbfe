"""Import cards, personas and KPI samples from a CSV or .xlsx upload: preview first (what
would be created, and every error by row and column), then apply, all or nothing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import WRITE_ERRORS, BoardAPIView, error_responses
from boards.models import Board, Role
from boards.ops import OpError
from journeydata.imports import ImportFileError, import_apply, import_plan, read_tables


class ImportUpload(serializers.Serializer):
    file = serializers.FileField(help_text="A .csv or .xlsx file.")
    apply = serializers.BooleanField(
        default=False, help_text="false: preview only; true: import (only when error-free)."
    )


class BoardImportView(BoardAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="boards_import",
        summary="Preview or apply an import of cards, personas and KPI samples (.csv, .xlsx)",
        request={"multipart/form-data": ImportUpload},
        responses={200: dict, **WRITE_ERRORS, **error_responses(413)},
        tags=["journey data"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        role = self.role_or_404(board_id)
        if not role.includes(Role.EDITOR):
            raise OpError("forbidden", _("Your role on this board does not allow this change."))
        form = ImportUpload(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise OpError("too_large", _("The file is too large."))
        board = Board.objects.get(pk=board_id)
        try:
            plan = import_plan(board, read_tables(upload.name, upload.read()))
        except ImportFileError as error:
            raise OpError("invalid", str(error), details={"file": [str(error)]}) from error
        preview = plan.preview()
        if not form.validated_data["apply"]:
            return Response({**preview, "applied": False})
        seq = import_apply(board, self.actor(), plan)
        return Response({**preview, "applied": True, "seq": seq})
