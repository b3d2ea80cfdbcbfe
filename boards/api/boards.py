"""Boards: list, create, read whole, update, archive; templates; the op log and any op."""

from __future__ import annotations

import uuid

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import (
    OP_RESULT,
    READ_ERRORS,
    WRITE_ERRORS,
    BoardAPIView,
    body_object,
    error_responses,
    schema_of,
)
from boards.api.serializers import (
    ArchivedQuery,
    BoardCreateInput,
    OpLogQuery,
    OpRequestInput,
    request_body,
)
from boards.models import Board, Language
from boards.protocol import OpMessage
from boards.selectors import board_snapshot, board_templates, boards_of_user, op_log_page
from boards.services import board_copy_as_future_state, board_create
from boards.wire import BoardData, SnapshotData, board_data

# Templates are plain dicts built here; this is their documented shape.
TEMPLATE_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "key": {"type": "string"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "map_type": {"type": "string"},
            "stages": {"type": "array", "items": {"type": "string"}},
            "lanes": {"type": "array", "items": {"type": "string"}},
        },
    },
}


class TemplateListView(BoardAPIView):
    @extend_schema(
        operation_id="templates_list",
        summary="Board templates, named in the request's language",
        responses={200: TEMPLATE_SCHEMA, **error_responses(401)},
        tags=["boards"],
    )
    def get(self, request: Request) -> Response:
        language = _request_language()
        return Response(
            [
                {
                    "key": template.key,
                    "name": template.name_in(language),
                    "description": getattr(template, f"description_{language}"),
                    "map_type": template.map_type,
                    "stages": [s.get(language, "") for s in template.structure.get("stages", [])],
                    "lanes": [la.get(language, "") for la in template.structure.get("lanes", [])],
                }
                for template in board_templates()
            ]
        )


class BoardListView(BoardAPIView):
    @extend_schema(
        operation_id="boards_list",
        summary="The boards you are a member of",
        parameters=[ArchivedQuery],
        responses={200: list[BoardData], **error_responses(400, 401)},
        tags=["boards"],
    )
    def get(self, request: Request) -> Response:
        query = ArchivedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        boards = boards_of_user(request.user.pk, archived=query.validated_data["archived"])
        return Response([board_data(board) for board in boards])

    @extend_schema(
        operation_id="boards_create",
        summary="Create a board, from a template or as the future state of another board",
        request=BoardCreateInput,
        responses={201: schema_of(SnapshotData), **WRITE_ERRORS},
        tags=["boards"],
    )
    def post(self, request: Request) -> Response:
        form = BoardCreateInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        data = form.validated_data
        if "copy_of" in data:
            self.role_or_404(data["copy_of"])
            board = board_copy_as_future_state(
                source=Board.objects.get(pk=data["copy_of"]),
                owner=request.user,
                title=data.get("title", ""),
            )
        else:
            board = board_create(
                owner=request.user,
                title=data["title"],
                language=data.get("language") or _request_language(),
                template=data.get("template"),
                goal=data.get("goal", ""),
                map_type=data.get("map_type"),
            )
        return Response(board_snapshot(board.pk), status=201)


def _request_language() -> str:
    return Language.FRENCH if get_language() == "fr" else Language.ENGLISH


class BoardDetailView(BoardAPIView):
    @extend_schema(
        operation_id="boards_retrieve",
        summary="The whole board in one request: stages, lanes, cards, personas, at one seq",
        responses={200: schema_of(SnapshotData), **READ_ERRORS},
        tags=["boards"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        return Response(board_snapshot(board_id, viewer=self.actor().participant_id))

    @extend_schema(
        operation_id="boards_update",
        summary="Change the title, goal, map type or language (op board.update)",
        request=request_body("board.update", "BoardUpdateBody"),
        responses={200: OP_RESULT, **WRITE_ERRORS},
        tags=["boards"],
    )
    def patch(self, request: Request, board_id: uuid.UUID) -> Response:
        return self.run_op(board_id, "board.update", body_object(request))


class BoardArchiveView(BoardAPIView):
    archived = True

    @extend_schema(
        summary="Archive or unarchive the board (op board.archive; owner only)",
        request=None,
        responses={200: OP_RESULT, **WRITE_ERRORS},
        tags=["boards"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        return self.run_op(board_id, "board.archive", {"archived": self.archived})


class BoardOpsView(BoardAPIView):
    @extend_schema(
        operation_id="ops_list",
        summary="The board's op log after `since`, oldest first",
        parameters=[
            OpenApiParameter("since", int, description="Last seq you have (0: from the start)."),
            OpenApiParameter("limit", int, description="At most this many ops (1-1000)."),
        ],
        responses={200: list[OpMessage], **error_responses(400, 401, 404)},
        tags=["ops"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        query = OpLogQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = op_log_page(board_id, viewer=self.actor().participant_id, **query.validated_data)
        return Response([applied.message for applied in page])

    @extend_schema(
        operation_id="ops_create",
        summary="Run any op, as the live protocol does (for integrations)",
        request=OpRequestInput,
        responses={200: OP_RESULT, **WRITE_ERRORS, **error_responses(409)},
        tags=["ops"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        form = OpRequestInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        data = form.validated_data
        op_id = str(data["id"]) if "id" in data else None
        return self.run_op(board_id, data["op"], data["args"], client_op_id=op_id)
