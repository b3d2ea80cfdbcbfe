"""How other apps take part in the one write path without editing it.

- A *guard* may refuse an op after its arguments are validated and before it is applied (the
  workshop's facilitator locks, cards other participants may not see yet).
- An *audience rule* may restrict who hears of an applied op: when it names a participant, only
  that participant's sockets receive the op; everyone else receives a `hidden` op at the same
  seq, so their seqs stay gapless (private writing, hidden dot votes). The rule runs inside the
  op's transaction and must remember its decision for the read side (`boards.visibility`).
- A *board relation* (a one-to-one row hanging off the board, such as its workshop) is read
  with the board's locked row, in the same query: guards and rules that look at it on every op
  cost no query of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from boards.ops.registry import OpContext

OpGuard = Callable[[OpContext, str, dict[str, Any]], None]
AudienceRule = Callable[[OpContext, str, dict[str, Any], dict[str, Any]], str | None]

_guards: list[OpGuard] = []
_audience_rules: list[AudienceRule] = []
_board_relations: list[str] = []


def add_op_guard(guard: OpGuard) -> None:
    if guard not in _guards:
        _guards.append(guard)


def add_audience_rule(rule: AudienceRule) -> None:
    if rule not in _audience_rules:
        _audience_rules.append(rule)


def add_board_relation(name: str) -> None:
    if name not in _board_relations:
        _board_relations.append(name)


def board_relations() -> tuple[str, ...]:
    """What `apply_op` reads with the board row: names of the board's reverse one-to-one
    relations, joined into its lock statement (boards.ops.board_row)."""
    return tuple(_board_relations)


def check_guards(ctx: OpContext, name: str, args: dict[str, Any]) -> None:
    """Raise the first guard's OpError; nothing has been written yet."""
    for guard in _guards:
        guard(ctx, name, args)


def audience_of(
    ctx: OpContext, name: str, args: dict[str, Any], result: dict[str, Any]
) -> str | None:
    """The one participant allowed to see this op, or None when the whole board may."""
    for rule in _audience_rules:
        audience = rule(ctx, name, args, result)
        if audience is not None:
            return audience
    return None
