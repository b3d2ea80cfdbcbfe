"""The history REST endpoints: versions, time travel, deleted items, compare, activity log.

Reading any of it needs only a role on the board (viewers included, and share-link guests);
outsiders get the same 404 as for a board that does not exist. Writes need a signed-in user:
naming a version or copying one into a new board needs editor; restoring a version in place
is the op `version.restore` (facilitator).
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterator
from typing import Any, TypedDict

from django.db.models import Subquery
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
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
from boards.models import Board, Op, Role
from boards.ops import REGISTRY, OpError
from boards.ops.limits import TITLE_MAX_CHARS
from boards.ops.pipeline import HIDDEN_OP_NAME
from boards.permissions import Actor, role_on_board
from boards.protocol import ActorData
from boards.selectors import board_snapshot
from boards.sharing.access import request_actor
from boards.visibility import hidden_card_ids, hidden_op_seqs, without_hidden_cards
from boards.wire import SnapshotData
from history.compare import Diff, compare
from history.models import Version
from history.selectors import (
    ActivityFilter,
    Deleted,
    activity,
    actors_of,
    board_at,
    deleted_items,
    seq_at,
    version_of,
    versions_of,
)
from history.services import version_copy_as_board, version_create
from history.state import visible
from journeydata.selectors import live_samples, summarise


class VersionData(TypedDict):
    id: str
    name: str
    kind: str
    seq: int
    created_at: str
    created_by: str


class VersionDetailData(TypedDict):
    version: VersionData
    snapshot: SnapshotData


class TimeTravelData(TypedDict):
    seq: int
    at: str | None  # when op `seq` was applied (None at seq 0)
    snapshot: SnapshotData


class DeletedData(TypedDict):
    kind: str
    item: dict[str, Any]
    seq: int | None
    deleted_at: str | None
    deleted_by: str
    cards: int


class SideData(TypedDict):
    board_id: str
    title: str
    label: str
    seq: int
    snapshot: SnapshotData


class CompareData(TypedDict):
    left: SideData
    right: SideData
    diff: Diff


class ActivityEntry(TypedDict):
    seq: int
    at: str
    actor: ActorData
    op: str
    kind: str
    object_id: str | None
    stage_id: str | None
    summary: str


class ActivityPage(TypedDict):
    entries: list[ActivityEntry]
    next_before: int | None
    people: list[ActorData]  # everyone who ever changed the board, to filter by


def version_data(version: Version) -> VersionData:
    return {
        "id": str(version.id),
        "name": version.name,
        "kind": version.kind,
        "seq": version.snapshot.seq,
        "created_at": version.created_at.isoformat(),
        "created_by": version.created_by.get_username() if version.created_by else "",
    }


class HistoryReadView(BoardAPIView):
    """Reads that a share-link guest may make too, with the role their link gives them: the
    history panel is part of the board page, which guests open. Writes stay with signed-in
    users (their requests carry CSRF protection; a guest's session is not a login)."""

    permission_classes = [AllowAny]

    def actor(self) -> Actor:
        found = request_actor(self.request, self.kwargs["board_id"])
        if found is None:
            raise NotAuthenticated()
        return found

    def seen(self, snapshot: SnapshotData) -> SnapshotData:
        """A past or present state without the cards still private to someone else."""
        board_id = self.kwargs["board_id"]
        return without_hidden_cards(snapshot, board_id, self.actor().participant_id)

    def seen_side(self, side: SideData) -> SideData:
        return {**side, "snapshot": self.seen(side["snapshot"])}

    def signed_in_actor(self) -> Actor:
        if not self.request.user.is_authenticated:
            raise NotAuthenticated()
        return Actor.for_user(self.request.user)


def _forbidden() -> OpError:
    return OpError("forbidden", _("Your role on this board does not allow this change."))


def _version_or_404(board_id: uuid.UUID, version_id: uuid.UUID) -> Version:
    version = version_of(board_id, version_id)
    if version is None:
        raise OpError("not_found", _("This version does not exist."))
    return version


class VersionInput(serializers.Serializer):
    name = serializers.CharField(max_length=TITLE_MAX_CHARS)


class VersionCopyInput(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX_CHARS, required=False)


class VersionListView(HistoryReadView):
    @extend_schema(
        operation_id="versions_list",
        summary="The board's versions, newest first",
        responses={200: list[VersionData], **READ_ERRORS},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        return Response([version_data(version) for version in versions_of(board_id)])

    @extend_schema(
        operation_id="versions_create",
        summary="Keep the board as it is now under a name (editor)",
        request=VersionInput,
        responses={201: schema_of(VersionData), **WRITE_ERRORS},
        tags=["history"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        self.signed_in_actor()
        if not self.role_or_404(board_id).includes(Role.EDITOR):
            raise _forbidden()
        form = VersionInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        version = version_create(
            board_id=board_id, name=form.validated_data["name"], user_id=request.user.pk
        )
        return Response(version_data(version), status=201)


class VersionDetailView(HistoryReadView):
    @extend_schema(
        operation_id="versions_retrieve",
        summary="A version: the board as it showed then",
        responses={200: schema_of(VersionDetailData), **READ_ERRORS},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID, version_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        version = _version_or_404(board_id, version_id)
        snapshot = self.seen(visible(version.snapshot.state))
        return Response({"version": version_data(version), "snapshot": snapshot})


class VersionRestoreView(BoardAPIView):
    @extend_schema(
        operation_id="versions_restore",
        summary="Bring the board back to a version, as one op (version.restore; facilitator)",
        request=None,
        responses={200: OP_RESULT, **WRITE_ERRORS},
        tags=["history"],
    )
    def post(self, request: Request, board_id: uuid.UUID, version_id: uuid.UUID) -> Response:
        return self.run_op(board_id, "version.restore", {"version_id": str(version_id)})


class VersionCopyView(BoardAPIView):
    @extend_schema(
        operation_id="versions_copy",
        summary="A new board holding a version (editor on this board; you own the new one)",
        request=VersionCopyInput,
        responses={201: schema_of(SnapshotData), **WRITE_ERRORS},
        tags=["history"],
    )
    def post(self, request: Request, board_id: uuid.UUID, version_id: uuid.UUID) -> Response:
        if not self.role_or_404(board_id).includes(Role.EDITOR):
            raise _forbidden()
        version = _version_or_404(board_id, version_id)
        form = VersionCopyInput(data=body_object(request))
        form.is_valid(raise_exception=True)
        board = version_copy_as_board(
            version=version, owner=request.user, title=form.validated_data.get("title", "")
        )
        return Response(board_snapshot(board.pk), status=201)


class TimeTravelQuery(serializers.Serializer):
    seq = serializers.IntegerField(min_value=0, required=False)
    at = serializers.DateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("seq" in attrs) == ("at" in attrs):
            raise serializers.ValidationError({"seq": [_("Give either a seq or a date (at).")]})
        return attrs


class TimeTravelView(HistoryReadView):
    @extend_schema(
        operation_id="history_at",
        summary="The board as it was after op `seq`, or at a date (read only)",
        parameters=[
            OpenApiParameter("seq", int, description="A seq between 0 and the board's seq."),
            OpenApiParameter("at", str, description="An ISO 8601 date and time."),
        ],
        responses={200: schema_of(TimeTravelData), **error_responses(400, 401, 404)},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        query = TimeTravelQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        board = Board.objects.get(pk=board_id)
        if "at" in query.validated_data:
            seq = seq_at(board, query.validated_data["at"])
        else:
            seq = query.validated_data["seq"]
            if seq > board.seq:
                raise OpError(
                    "invalid",
                    _("Some fields are not valid."),
                    details={"seq": [_("This board has not reached that seq.")]},
                )
        at = Op.objects.filter(board=board, seq=seq).values_list("created_at", flat=True).first()
        return Response(
            {
                "seq": seq,
                "at": at.isoformat() if at else None,
                "snapshot": self.seen(board_at(board, seq)),
            }
        )


def deleted_data(item: Deleted) -> DeletedData:
    return {
        "kind": item.kind,
        "item": item.data,
        "seq": item.seq,
        "deleted_at": item.deleted_at.isoformat() if item.deleted_at else None,
        "deleted_by": item.deleted_by,
        "cards": item.cards,
    }


class DeletedListView(HistoryReadView):
    @extend_schema(
        operation_id="history_deleted",
        summary="Deleted stages and cards that can be restored (ops stage/card.restore)",
        responses={200: list[DeletedData], **READ_ERRORS},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        board = Board.objects.get(pk=board_id)
        hidden = hidden_card_ids(board_id, self.actor().participant_id)
        items = [item for item in deleted_items(board) if item.data.get("id") not in hidden]
        return Response([deleted_data(item) for item in items])


class CompareQuery(serializers.Serializer):
    left = serializers.CharField(help_text="current | seq:<n> | version:<id> | board:<id>")
    right = serializers.CharField(default="current")


class CompareView(HistoryReadView):
    @extend_schema(
        operation_id="history_compare",
        summary="Cards added, removed and changed per cell between two states",
        parameters=[
            OpenApiParameter("left", str, description="current, seq:<n>, version:<id> or "),
            OpenApiParameter("right", str, description="board:<id> (its future/current state)"),
        ],
        responses={200: schema_of(CompareData), **error_responses(400, 401, 404)},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        query = CompareQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        board = Board.objects.get(pk=board_id)
        left = self.seen_side(self.side(board, query.validated_data["left"], "left"))
        right = self.seen_side(self.side(board, query.validated_data["right"], "right"))
        diff = compare(
            left["snapshot"],
            right["snapshot"],
            same_board=left["board_id"] == right["board_id"],
            kpis=(kpis_known_at(left), kpis_known_at(right)),
        )
        return Response({"left": left, "right": right, "diff": diff})

    def side(self, board: Board, ref: str, field: str) -> SideData:
        """`ref` as a snapshot: this board now, at a seq, at a version, or a linked board."""
        kind, _sep, value = ref.partition(":")

        def refused() -> OpError:
            return OpError(
                "invalid",
                _("Some fields are not valid."),
                details={field: [_("Not something this board can be compared with.")]},
            )

        if kind == "current":
            snapshot = board_snapshot(board.pk)
            return _side(board, _("Now"), snapshot)
        if kind == "seq" and value.isdigit() and int(value) <= board.seq:
            return _side(board, f"#{value}", board_at(board, int(value)))
        try:
            ident = uuid.UUID(value)
        except ValueError:
            raise refused() from None
        if kind == "version":
            version = _version_or_404(board.pk, ident)
            return _side(board, version.name, visible(version.snapshot.state))
        if kind == "board":
            other = Board.objects.filter(pk=ident).first()
            linked = (other is not None and board.pk in (other.source_board_id, other.pk)) or (
                other is not None and other.pk == board.source_board_id
            )
            if other is None or not linked or role_on_board(other.pk, self.actor()) is None:
                raise refused()
            return _side(other, other.title, board_snapshot(other.pk))
        raise refused()


def kpis_known_at(side: SideData) -> list[dict[str, Any]]:
    """The side's KPIs as recorded by the time of its seq (all of them for a board now)."""
    samples = live_samples(side["board_id"])
    board_seq = Board.objects.filter(pk=side["board_id"]).values_list("seq", flat=True).first()
    if side["seq"] != board_seq:
        moment = Op.objects.filter(board_id=side["board_id"], seq=side["seq"]).values_list(
            "created_at", flat=True
        )
        samples = samples.filter(created_at__lte=Subquery(moment[:1]))
    return [dict(kpi) for kpi in summarise(list(samples))]


def _side(board: Board, label: str, snapshot: SnapshotData) -> SideData:
    return {
        "board_id": str(board.pk),
        "title": snapshot["board"]["title"],
        "label": label,
        "seq": snapshot["seq"],
        "snapshot": snapshot,
    }


class ActivityQuery(serializers.Serializer):
    actor = serializers.RegexField(r"^(u:\d+|g:[0-9a-f-]{36})$", required=False)
    stage = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=[], required=False)
    before = serializers.IntegerField(min_value=1, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted({name.split(".", 1)[0] for name in REGISTRY})

    def filters(self) -> ActivityFilter:
        data = self.validated_data
        return ActivityFilter(
            actor=data.get("actor"), stage=data.get("stage"), kind=data.get("kind")
        )


def _participant_id(user_id: int | None, guest_id: uuid.UUID | None) -> str | None:
    if user_id is not None:
        return f"u:{user_id}"
    return f"g:{guest_id}" if guest_id is not None else None


def hidden_entry(op: Op) -> ActivityEntry:
    """An op private to someone else (boards.visibility): its place, nothing of it."""
    return {
        "seq": op.seq,
        "at": op.created_at.isoformat(),
        "actor": {"id": None, "name": ""},
        "op": HIDDEN_OP_NAME,
        "kind": HIDDEN_OP_NAME,
        "object_id": None,
        "stage_id": None,
        "summary": "",
    }


def activity_entry(op: Op) -> ActivityEntry:
    result = op.result or {}
    kind = op.name.split(".", 1)[0]
    object_id = result.get("id") if isinstance(result.get("id"), str) else None
    stage_id = object_id if kind == "stage" else result.get("stage_id")
    summary = next((str(result[key]) for key in ("text", "title", "name") if result.get(key)), "")
    actor_id = _participant_id(op.actor_id, op.actor_guest_id)
    return {
        "seq": op.seq,
        "at": op.created_at.isoformat(),
        "actor": {"id": actor_id, "name": op.actor_name},
        "op": op.name,
        "kind": kind,
        "object_id": object_id,
        "stage_id": stage_id if isinstance(stage_id, str) else None,
        "summary": summary[:200],
    }


ACTIVITY_PARAMETERS = [
    OpenApiParameter("actor", str, description="A participant id: u:<user id> or g:<guest id>."),
    OpenApiParameter("stage", str, description="Changes in this stage (its id)."),
    OpenApiParameter("kind", str, description="board, stage, lane, card, persona, version…"),
]


class ActivityView(HistoryReadView):
    @extend_schema(
        operation_id="history_activity",
        summary="Who changed what and when, newest first",
        parameters=[
            *ACTIVITY_PARAMETERS,
            OpenApiParameter("before", int, description="Entries before this seq (paging)."),
            OpenApiParameter("limit", int, description="At most this many (1-1000)."),
        ],
        responses={200: schema_of(ActivityPage), **error_responses(400, 401, 404)},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.role_or_404(board_id)
        query = ActivityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        log = activity(Board.objects.get(pk=board_id), query.filters())
        if "before" in query.validated_data:
            log = log.filter(seq__lt=query.validated_data["before"])
        limit = query.validated_data["limit"]
        ops = list(log[: limit + 1])
        viewer = self.actor().participant_id
        hidden = hidden_op_seqs(board_id, ops[-1].seq, ops[0].seq, viewer) if ops else set()
        entries = [hidden_entry(op) if op.seq in hidden else activity_entry(op) for op in ops]
        more = len(entries) > limit
        page: ActivityPage = {
            "entries": entries[:limit],
            "next_before": entries[limit - 1]["seq"] if more else None,
            "people": [
                {"id": _participant_id(user, guest), "name": name}
                for user, guest, name in actors_of(board_id)
            ],
        }
        return Response(page)


class Echo:
    """csv.writer writes into whatever has `write`; this hands each line back to stream it."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: quote it as text."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ActivityCsvView(HistoryReadView):
    @extend_schema(
        operation_id="history_activity_csv",
        summary="The activity log as CSV, for audit (same filters)",
        parameters=ACTIVITY_PARAMETERS,
        responses={(200, "text/csv"): str, **error_responses(400, 401, 404)},
        tags=["history"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> StreamingHttpResponse:
        self.role_or_404(board_id)
        query = ActivityQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        log = activity(Board.objects.get(pk=board_id), query.filters())
        header = [_("seq"), _("time"), _("person"), _("change"), _("object"), _("stage"), _("text")]
        writer = csv.writer(Echo())
        hidden = hidden_op_seqs(board_id, 0, 2**62, self.actor().participant_id)

        def lines() -> Iterator[str]:
            yield writer.writerow(header)
            for op in log.iterator(chunk_size=1000):
                entry = hidden_entry(op) if op.seq in hidden else activity_entry(op)
                row = [
                    entry["seq"],
                    entry["at"],
                    entry["actor"]["name"],
                    entry["op"],
                    entry["object_id"],
                    entry["stage_id"],
                    entry["summary"],
                ]
                yield writer.writerow([_cell(value) for value in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="activity-{board_id}.csv"'
        return response
