"""How a workshop constrains the board's write path and reads (registered at start-up by
WorkshopsConfig.ready):

- the facilitator's locks refuse participants' changes (guard);
- a card written during private writing, and every later op on it until the reveal, reaches
  its author only; a vote with hidden results reaches its voter only (audience rule);
- snapshots, catch-up and the REST reads leave out what the reader may not see (visibility).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from boards.models import Role
from boards.ops.hooks import add_audience_rule, add_board_relation, add_op_guard
from boards.ops.registry import OpContext, OpError
from boards.unique import unique_row
from boards.visibility import BoardId, add_hidden_cards_provider, add_hidden_ops_provider
from workshops.models import PrivateCard, PrivateOp, VoteSession, Workshop

STRUCTURE_OPS = ("stage.", "lane.")
CARD_TARGET_OPS = ("card.update", "card.move", "card.delete", "card.restore")
VOTE_OPS = ("vote.add", "vote.remove")


def _card_ids_named(name: str, args: dict[str, Any]) -> list[uuid.UUID]:
    """The existing cards an op refers to (its target, or the card it goes after)."""
    ids = []
    if name in CARD_TARGET_OPS:
        ids.append(args["id"])
    if name in VOTE_OPS:
        ids.append(args["card_id"])
    if name in ("card.create", "card.move") and args.get("after"):
        ids.append(args["after"])
    return ids


def _workshop(ctx: OpContext) -> Workshop | None:
    """The board's workshop, read with the locked board row (add_board_relation below); a
    board that never had one has no locks and no private cards either."""
    return getattr(ctx.board, "workshop", None)


def workshop_guard(ctx: OpContext, name: str, args: dict[str, Any]) -> None:
    workshop = _workshop(ctx)
    if workshop is None:
        return
    if workshop.private_writing:
        card_ids = _card_ids_named(name, args)
        others = PrivateCard.objects.filter(card_id__in=card_ids).exclude(
            author_id=ctx.actor.participant_id
        )
        if card_ids and others.exists():
            # The same answer as for a card that does not exist: nothing leaks.
            raise OpError("not_found", _("This item does not exist or was deleted."))
    if ctx.role.includes(Role.FACILITATOR):
        return
    if workshop.read_only:
        raise OpError("forbidden", _("The facilitator made this board read-only."))
    if workshop.structure_locked and name.startswith(STRUCTURE_OPS):
        raise OpError("forbidden", _("The facilitator locked the stages and lanes."))
    if workshop.card_lanes is not None and name in ("card.create", "card.move"):
        lane_id = args.get("lane_id")
        if lane_id is not None and str(lane_id) not in workshop.card_lanes:
            raise OpError("forbidden", _("The facilitator opened other lanes for cards."))


def private_audience(
    ctx: OpContext, name: str, args: dict[str, Any], result: dict[str, Any]
) -> str | None:
    audience = None
    workshop = _workshop(ctx)
    if name == "card.create":
        if workshop is not None and workshop.private_writing:
            audience = ctx.actor.participant_id
            PrivateCard.objects.create(card_id=result["id"], board=ctx.board, author_id=audience)
    elif name in CARD_TARGET_OPS and workshop is not None:
        private = unique_row(PrivateCard.objects.filter(card_id=args["id"]))
        audience = private.author_id if private else None
    elif name in VOTE_OPS:
        hidden = VoteSession.objects.filter(pk=result["session_id"], hide_results=True).exists()
        audience = result["voter_id"] if hidden else None
    if audience is not None:
        PrivateOp.objects.create(board=ctx.board, seq=ctx.board.seq, audience=audience)
    return audience


def hidden_cards(board_id: BoardId, viewer: str | None) -> set[str]:
    private = PrivateCard.objects.filter(board_id=board_id)
    if viewer is not None:
        private = private.exclude(author_id=viewer)
    return {str(card_id) for card_id in private.values_list("card_id", flat=True)}


def hidden_ops(board_id: BoardId, first: int, last: int, viewer: str | None) -> set[int]:
    private = PrivateOp.objects.filter(board_id=board_id, seq__gte=first, seq__lte=last)
    if viewer is not None:
        private = private.exclude(audience=viewer)
    return set(private.values_list("seq", flat=True))


add_board_relation("workshop")
add_op_guard(workshop_guard)
add_audience_rule(private_audience)
add_hidden_cards_provider(hidden_cards)
add_hidden_ops_provider(hidden_ops)
