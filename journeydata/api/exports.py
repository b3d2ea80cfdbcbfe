"""Exports of a board (viewer and above) and the restore of a JSON backup as a new board."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import READ_ERRORS, WRITE_ERRORS, BoardAPIView, schema_of
from boards.ops import OpError
from boards.selectors import board_snapshot
from boards.wire import SnapshotData
from journeydata.backup import backup_restore, export_backup
from journeydata.exports.content import BoardContent, board_content
from journeydata.exports.csvfile import export_csv
from journeydata.exports.pdf import export_pdf
from journeydata.exports.png import export_png
from journeydata.exports.xlsx import export_xlsx


def _json(content: BoardContent, request: Request) -> bytes:
    return json.dumps(export_backup(content), ensure_ascii=False, indent=2).encode()


def _csv(content: BoardContent, request: Request) -> bytes:
    table = request.query_params.get("table", "cards")
    if table not in ("cards", "samples"):
        raise OpError("invalid", _("Export the cards or the samples."), details={"table": []})
    return export_csv(content, what=table)


FORMATS: dict[str, tuple[str, Callable[[BoardContent, Request], bytes]]] = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda content, request: export_xlsx(content),
    ),
    "csv": ("text/csv; charset=utf-8", _csv),
    "json": ("application/json", _json),
    "pdf": ("application/pdf", lambda content, request: export_pdf(content)),
    "png": ("image/png", lambda content, request: export_png(content)),
}


class BoardExportView(BoardAPIView):
    @extend_schema(
        operation_id="boards_export",
        summary="The board as .xlsx (map sheet + tables), CSV (?table=cards|samples), "
        "JSON backup, PDF or PNG",
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS)),
            OpenApiParameter("table", str, enum=["cards", "samples"]),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **READ_ERRORS},
        tags=["journey data"],
    )
    def get(self, request: Request, board_id: uuid.UUID, fmt: str) -> HttpResponse:
        self.role_or_404(board_id)
        if fmt not in FORMATS:
            raise OpError("not_found", _("There is no such export."))
        content_type, render = FORMATS[fmt]
        content = board_content(board_id)
        suffix = (
            f"-{request.query_params['table']}"
            if fmt == "csv" and "table" in request.query_params
            else ""
        )
        name = f"{slugify(content.title) or 'board'}{suffix}.{fmt}"
        response = HttpResponse(render(content, request), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


class BoardRestoreView(BoardAPIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="boards_restore",
        summary="Restore a JSON backup (body, or a `file` upload) as a new board you own",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={201: schema_of(SnapshotData), **WRITE_ERRORS},
        tags=["journey data"],
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        if upload is not None:
            try:
                document = json.loads(upload.read())
            except (ValueError, UnicodeDecodeError):
                raise OpError("invalid", _("The file is not JSON.")) from None
        else:
            document = request.data
        board = backup_restore(document=document, owner=request.user)
        return Response(board_snapshot(board.pk), status=201)
