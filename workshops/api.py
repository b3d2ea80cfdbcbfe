"""REST reads of a workshop. Writes are ops: `POST /api/boards/<id>/ops/` or the socket."""

from __future__ import annotations

import uuid
from collections import Counter

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from boards.api.common import READ_ERRORS, WRITE_ERRORS, BoardAPIView, schema_of
from boards.api.errors import board_not_found
from boards.models import Board, Role
from boards.ops import OpError
from boards.ordering import sort_by_position
from boards.permissions import Actor
from boards.selectors import consistent_read
from boards.sharing.access import request_actor
from workshops.agenda import default_agenda
from workshops.models import Insight, VoteSession, Workshop
from workshops.summary import participant_language_remember, workshop_summary_send
from workshops.wire import SummarySentData, WorkshopStateData, insight_data, workshop_data


def workshop_state(board_id: uuid.UUID, viewer: str) -> WorkshopStateData:
    """The workshop at the board's current seq, with the viewer's own votes."""
    with consistent_read():
        board = Board.objects.get(pk=board_id)
        workshop = Workshop.objects.filter(board=board).first() or Workshop(
            board=board, agenda=default_agenda(board.language)
        )
        data = workshop_data(workshop)
        session = VoteSession.objects.filter(board=board, closed_at__isnull=True).first()
        mine = (
            session.votes.filter(participant_id=viewer).values_list("card_id", flat=True)
            if session
            else []
        )
        my_votes = dict(Counter(str(card_id) for card_id in mine))
        insights = sort_by_position(Insight.objects.filter(board=board, deleted=False))
    return {
        "seq": board.seq,
        "now": timezone.now().isoformat(),
        "workshop": data,
        "my_votes": my_votes,
        "insights": [insight_data(insight) for insight in insights],
    }


class WorkshopStateView(BoardAPIView):
    """Read by the board page of members and of share-link guests alike: a guest has a
    session, not an account, so the board access decides, as for the board socket."""

    permission_classes: list[type] = []

    def actor(self) -> Actor:
        found = request_actor(self.request, self.board_id)
        if found is None:
            raise board_not_found()
        return found

    @extend_schema(
        operation_id="workshop_retrieve",
        summary="The workshop (agenda, timer, locks, vote) at the board's seq, and server time",
        responses={200: schema_of(WorkshopStateData), **READ_ERRORS},
        tags=["workshop"],
    )
    def get(self, request: Request, board_id: uuid.UUID) -> Response:
        self.board_id = board_id
        self.role_or_404(board_id)
        if request.user.is_authenticated:
            # The language this member reads Journeymap in, for the summary email.
            participant_language_remember(user_id=request.user.pk, language=get_language())
        return Response(workshop_state(board_id, self.actor().participant_id))


class WorkshopSummaryView(BoardAPIView):
    @extend_schema(
        operation_id="workshop_summary_send",
        summary="Email the workshop summary to every member with an address (facilitators)",
        request=None,
        responses={200: schema_of(SummarySentData), **WRITE_ERRORS},
        tags=["workshop"],
    )
    def post(self, request: Request, board_id: uuid.UUID) -> Response:
        if not self.role_or_404(board_id).includes(Role.FACILITATOR):
            raise OpError("forbidden", _("Only a facilitator can send the summary."))
        board = Board.objects.get(pk=board_id)
        sent = workshop_summary_send(board=board, sender_name=request.user.get_username())
        return Response({"sent": sent})
