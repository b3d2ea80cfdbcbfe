"""The workshop ops, registered in the boards op registry: they run through the one write path
(`boards.ops.apply_op`), so each is permission-checked, sequenced, logged and broadcast like
any change of the board. Results are the whole workshop state (WorkshopData), except votes
(VoteData) and the reveal (RevealData)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from boards.models import Lane, LaneKind, Role
from boards.ops import fields
from boards.ops.common import CreateArgs, UpdateArgs, register_ordered_object_ops
from boards.ops.hooks import add_op_guard
from boards.ops.limits import LONG_TEXT_MAX_CHARS, NAME_MAX_CHARS, TITLE_MAX_CHARS
from boards.ops.registry import OpArgs, OpContext, OpError, Outcome, register
from boards.selectors import live_cards
from boards.visibility import hidden_card_ids
from boards.wire import card_data
from workshops.agenda import default_agenda
from workshops.models import (
    ActionStatus,
    Insight,
    InsightKind,
    PrivateCard,
    TimerState,
    Vote,
    VoteSession,
    Workshop,
)
from workshops.wire import VoteData, insight_data, workshop_data

AGENDA_MAX_STEPS = 20
STEP_MAX_MINUTES = 600
TIMER_MAX_SECONDS = 24 * 3600
VOTES_MAX_PER_PARTICIPANT = 50
LANES_MAX = 50


def workshop_of(ctx: OpContext) -> Workshop:
    """The board's workshop row, created with the default agenda on first use. The pipeline
    holds the board row lock, so two first uses cannot race."""
    workshop, _created = Workshop.objects.get_or_create(
        board=ctx.board, defaults={"agenda": default_agenda(ctx.board.language)}
    )
    return workshop


def _save(workshop: Workshop, before: dict[str, Any]) -> Outcome:
    workshop.save()
    return dict(workshop_data(workshop)), before


def _lane_ids(ctx: OpContext, lane_ids: list[Any] | None, field: str) -> list[str] | None:
    """Lane ids as strings, each a live lane of this board; None stays None (every lane)."""
    if lane_ids is None:
        return None
    wanted = list(dict.fromkeys(str(lane_id) for lane_id in lane_ids))
    found = {
        str(pk)
        for pk in Lane.objects.filter(board=ctx.board, deleted=False, pk__in=wanted).values_list(
            "pk", flat=True
        )
    }
    if len(found) != len(wanted):
        raise OpError(
            "invalid",
            _("Some fields are not valid."),
            details={field: [_("Every lane must be a lane of this board.")]},
        )
    return wanted


class IdText(fields.UUIDField):
    """A UUID kept as its text, so lists of ids go into the op log as JSON."""

    def to_internal_value(self, data: Any) -> str:
        return str(super().to_internal_value(data))


def _lane_list(*, required: bool = False) -> serializers.ListField:
    return serializers.ListField(
        child=IdText(),
        required=required,
        allow_null=True,
        allow_empty=False,
        max_length=LANES_MAX,
    )


# --- facilitator locks ---------------------------------------------------------------------


class LockArgs(OpArgs):
    structure = fields.BoolField(required=False)
    card_lanes = _lane_list()
    read_only = fields.BoolField(required=False)


@register("workshop.lock", min_role=Role.FACILITATOR, args=LockArgs)
def workshop_lock(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    before = dict(workshop_data(workshop))
    if "structure" in args:
        workshop.structure_locked = args["structure"]
    if "card_lanes" in args:
        workshop.card_lanes = _lane_ids(ctx, args["card_lanes"], "card_lanes")
    if "read_only" in args:
        workshop.read_only = args["read_only"]
    return _save(workshop, before)


# --- agenda ---------------------------------------------------------------------------------


class AgendaStepArgs(OpArgs):
    title = fields.TextField(max_length=TITLE_MAX_CHARS)
    minutes = fields.IntField(allow_null=True, min_value=1, max_value=STEP_MAX_MINUTES)
    instructions = fields.TextField(allow_blank=True, max_length=LONG_TEXT_MAX_CHARS)


class AgendaUpdateArgs(OpArgs):
    steps = AgendaStepArgs(many=True, allow_empty=False)

    def validate_steps(self, steps: list[Any]) -> list[Any]:
        if len(steps) > AGENDA_MAX_STEPS:
            raise serializers.ValidationError(
                _("An agenda has at most %(n)d steps.") % {"n": AGENDA_MAX_STEPS}
            )
        return steps


class AgendaGoArgs(OpArgs):
    step = fields.IntField(min_value=0, max_value=AGENDA_MAX_STEPS - 1)
    # Start the timer with the step's time box (when it has one).
    start_timer = fields.BoolField(required=False, default=False)


@register("agenda.update", min_role=Role.FACILITATOR, args=AgendaUpdateArgs)
def agenda_update(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    before = dict(workshop_data(workshop))
    workshop.agenda = [dict(step) for step in args["steps"]]
    workshop.current_step = min(workshop.current_step, len(workshop.agenda) - 1)
    return _save(workshop, before)


@register("agenda.go", min_role=Role.FACILITATOR, args=AgendaGoArgs)
def agenda_go(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    """Move everyone to a step of the agenda."""
    workshop = workshop_of(ctx)
    if args["step"] >= len(workshop.agenda):
        raise OpError(
            "invalid",
            _("Some fields are not valid."),
            details={"step": [_("The agenda has no such step.")]},
        )
    before = dict(workshop_data(workshop))
    workshop.current_step = args["step"]
    minutes = workshop.agenda[args["step"]].get("minutes")
    if args["start_timer"] and minutes:
        _start_timer(workshop, timedelta(minutes=minutes))
    return _save(workshop, before)


# --- timer ----------------------------------------------------------------------------------


class TimerStartArgs(OpArgs):
    seconds = fields.IntField(min_value=1, max_value=TIMER_MAX_SECONDS)


class TimerExtendArgs(OpArgs):
    seconds = fields.IntField(min_value=1, max_value=TIMER_MAX_SECONDS)


class NoArgs(OpArgs):
    pass


def _start_timer(workshop: Workshop, duration: timedelta) -> None:
    workshop.timer_state = TimerState.RUNNING
    workshop.timer_duration = duration
    workshop.timer_ends_at = timezone.now() + duration
    workshop.timer_remaining = duration


def _timer_refused(message: str) -> OpError:
    return OpError("invalid", message)


@register("timer.start", min_role=Role.FACILITATOR, args=TimerStartArgs)
def timer_start(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    before = dict(workshop_data(workshop))
    _start_timer(workshop, timedelta(seconds=args["seconds"]))
    return _save(workshop, before)


@register("timer.pause", min_role=Role.FACILITATOR, args=NoArgs)
def timer_pause(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    if workshop.timer_state != TimerState.RUNNING:
        raise _timer_refused(_("The timer is not running."))
    before = dict(workshop_data(workshop))
    workshop.timer_remaining = workshop.timer_left(timezone.now())
    workshop.timer_state = TimerState.PAUSED
    workshop.timer_ends_at = None
    return _save(workshop, before)


@register("timer.resume", min_role=Role.FACILITATOR, args=NoArgs)
def timer_resume(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    if workshop.timer_state != TimerState.PAUSED:
        raise _timer_refused(_("The timer is not paused."))
    before = dict(workshop_data(workshop))
    workshop.timer_state = TimerState.RUNNING
    workshop.timer_ends_at = timezone.now() + workshop.timer_remaining
    return _save(workshop, before)


@register("timer.extend", min_role=Role.FACILITATOR, args=TimerExtendArgs)
def timer_extend(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    """Add time; a timer that already rang starts again with the added time."""
    workshop = workshop_of(ctx)
    if workshop.timer_state == TimerState.IDLE:
        raise _timer_refused(_("Start the timer first."))
    before = dict(workshop_data(workshop))
    extra = timedelta(seconds=args["seconds"])
    now = timezone.now()
    workshop.timer_duration += extra
    if workshop.timer_state == TimerState.RUNNING:
        workshop.timer_ends_at = now + workshop.timer_left(now) + extra
    else:
        workshop.timer_remaining += extra
    return _save(workshop, before)


@register("timer.stop", min_role=Role.FACILITATOR, args=NoArgs)
def timer_stop(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    before = dict(workshop_data(workshop))
    workshop.timer_state = TimerState.IDLE
    workshop.timer_ends_at = None
    workshop.timer_remaining = timedelta()
    return _save(workshop, before)


# --- dot voting -----------------------------------------------------------------------------


class VoteOpenArgs(OpArgs):
    lane_ids = _lane_list()
    votes_per_participant = fields.IntField(min_value=1, max_value=VOTES_MAX_PER_PARTICIPANT)
    hide_results = fields.BoolField(required=False, default=True)


class VoteCardArgs(OpArgs):
    card_id = fields.UUIDField()


def open_vote(ctx: OpContext) -> VoteSession:
    session = VoteSession.objects.filter(board=ctx.board, closed_at__isnull=True).first()
    if session is None:
        raise OpError("invalid", _("No vote is open."))
    return session


@register("vote.open", min_role=Role.FACILITATOR, args=VoteOpenArgs)
def vote_open(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    if VoteSession.objects.filter(board=ctx.board, closed_at__isnull=True).exists():
        raise OpError("invalid", _("A vote is already open: close it first."))
    before = dict(workshop_data(workshop))
    VoteSession.objects.create(
        board=ctx.board,
        lane_ids=_lane_ids(ctx, args.get("lane_ids"), "lane_ids"),
        votes_per_participant=args["votes_per_participant"],
        hide_results=args["hide_results"],
    )
    return _save(workshop, before)


@register("vote.close", min_role=Role.FACILITATOR, args=NoArgs)
def vote_close(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    workshop = workshop_of(ctx)
    session = open_vote(ctx)
    before = dict(workshop_data(workshop))
    session.closed_at = timezone.now()
    session.save(update_fields=["closed_at"])
    return _save(workshop, before)


def _vote_result(session: VoteSession, card_id: str, voter: str) -> VoteData:
    votes = session.votes.filter(card_id=card_id)
    used = session.votes.filter(participant_id=voter).count()
    return {
        "session_id": str(session.id),
        "card_id": card_id,
        "voter_id": voter,
        "mine": votes.filter(participant_id=voter).count(),
        "remaining": session.votes_per_participant - used,
        "total": None if session.hide_results else votes.count(),
    }


@register("vote.add", min_role=Role.COMMENTER, args=VoteCardArgs, batchable=True)
def vote_add(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    session = open_vote(ctx)
    card = live_cards(ctx.board.pk).filter(pk=args["card_id"]).first()
    if card is None:
        raise OpError("not_found", _("This item does not exist or was deleted."))
    if session.lane_ids is not None and str(card.lane_id) not in session.lane_ids:
        raise OpError("invalid", _("This vote is not about the cards of this lane."))
    voter = ctx.actor.participant_id
    if session.votes.filter(participant_id=voter).count() >= session.votes_per_participant:
        raise OpError("invalid", _("You have no votes left."))
    Vote.objects.create(session=session, card_id=card.pk, participant_id=voter)
    return dict(_vote_result(session, str(card.pk), voter)), None


@register("vote.remove", min_role=Role.COMMENTER, args=VoteCardArgs, batchable=True)
def vote_remove(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    session = open_vote(ctx)
    voter = ctx.actor.participant_id
    vote = session.votes.filter(participant_id=voter, card_id=args["card_id"]).first()
    if vote is None:
        raise OpError("not_found", _("You have no vote on this card."))
    vote.delete()
    return dict(_vote_result(session, str(args["card_id"]), voter)), None


# --- private writing ------------------------------------------------------------------------


@register("private.start", min_role=Role.FACILITATOR, args=NoArgs)
def private_start(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    """From now on each participant's new cards are theirs alone until the reveal."""
    workshop = workshop_of(ctx)
    before = dict(workshop_data(workshop))
    workshop.private_writing = True
    return _save(workshop, before)


@register("private.reveal", min_role=Role.FACILITATOR, args=NoArgs)
def private_reveal(ctx: OpContext, args: dict[str, Any]) -> Outcome:
    """Ends private writing and shows every private card to everyone at once: the result
    carries the cards, so clients that never saw them add them."""
    workshop = workshop_of(ctx)
    before = dict(workshop_data(workshop))
    private = PrivateCard.objects.filter(board=ctx.board)
    card_ids = list(private.values_list("card_id", flat=True))
    private.delete()
    workshop.private_writing = False
    workshop.save()
    cards = live_cards(ctx.board.pk).filter(pk__in=card_ids)
    revealed = sorted(
        cards, key=lambda card: (str(card.stage_id), str(card.lane_id), card.position)
    )
    return {"workshop": workshop_data(workshop), "cards": [card_data(c) for c in revealed]}, before


# --- insights and action items --------------------------------------------------------------

INSIGHT_CARD_LANES = (LaneKind.PAIN_POINTS, LaneKind.OPPORTUNITIES)


class DateText(serializers.DateField):
    """A date as YYYY-MM-DD text, kept as text so it goes into the op log as JSON."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(data).isoformat()


class InsightFields(serializers.Serializer):
    owner = fields.TextField(required=False, allow_blank=True, max_length=NAME_MAX_CHARS)
    due_date = DateText(required=False, allow_null=True, input_formats=["iso-8601"])
    status = fields.ChoiceField(required=False, choices=ActionStatus.choices)
    card_ids = serializers.ListField(child=IdText(), required=False, max_length=LANES_MAX)


class InsightCreateArgs(CreateArgs, InsightFields):
    kind = fields.ChoiceField(choices=InsightKind.choices)
    text = fields.TextField(max_length=LONG_TEXT_MAX_CHARS)


class InsightUpdateArgs(UpdateArgs, InsightFields):
    kind = fields.ChoiceField(required=False, choices=InsightKind.choices)
    text = fields.TextField(required=False, max_length=LONG_TEXT_MAX_CHARS)


def insight_cards_guard(ctx: OpContext, name: str, args: dict[str, Any]) -> None:
    """An insight answers pain points and opportunities the author can see on this board."""
    if name not in ("insight.create", "insight.update") or not args.get("card_ids"):
        return
    wanted = set(args["card_ids"])
    found = {
        str(pk)
        for pk in live_cards(ctx.board.pk)
        .filter(pk__in=wanted, lane__kind__in=INSIGHT_CARD_LANES)
        .values_list("pk", flat=True)
    }
    found -= hidden_card_ids(ctx.board.pk, ctx.actor.participant_id)
    if found != wanted:
        raise OpError(
            "invalid",
            _("Some fields are not valid."),
            details={"card_ids": [_("Link only pain points and opportunities of this board.")]},
        )


register_ordered_object_ops(
    "insight",
    model=Insight,
    to_data=insight_data,  # type: ignore[arg-type]
    create_args=InsightCreateArgs,
    update_args=InsightUpdateArgs,
    min_role=Role.EDITOR,
)
add_op_guard(insight_cards_guard)
