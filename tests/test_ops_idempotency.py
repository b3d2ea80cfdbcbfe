"""An op id sent twice is applied once: a client that reconnects resends its unacknowledged ops
with their original ids, and must neither lose nor duplicate what its user typed."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import connection

from boards.models import Board, Card, Membership, Op, Role
from boards.ops import AppliedOp, OpError, apply_op
from boards.permissions import Actor


def card_args(board: Board, text: str) -> dict[str, str]:
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    return {"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": text}


@pytest.mark.django_db
def test_it_applies_an_op_sent_twice_once_and_acknowledges_both(board: Board, bob: User) -> None:
    op_id = uuid.uuid4()
    send = {
        "board_id": board.pk,
        "actor": Actor.for_user(bob),
        "name": "card.create",
        "args": card_args(board, "Free delivery?"),
        "client_op_id": op_id,
    }

    first = apply_op(**send)
    second = apply_op(**{**send, "client_op_id": str(op_id)})

    assert first.duplicate is False
    assert second.duplicate is True
    assert second.seq == first.seq
    assert second.result == first.result
    # PostgreSQL's jsonb may reorder keys; what a client parses is the same.
    assert json.loads(second.frame) == json.loads(first.frame)
    assert Card.objects.filter(text="Free delivery?").count() == 1
    board.refresh_from_db()
    assert board.seq == first.seq


@pytest.mark.django_db
def test_it_acknowledges_a_resend_after_the_author_lost_their_editing_role(
    board: Board, bob: User
) -> None:
    op_id = uuid.uuid4()
    args = card_args(board, "Typed during a blip")
    first = apply_op(
        board_id=board.pk,
        actor=Actor.for_user(bob),
        name="card.create",
        args=args,
        client_op_id=op_id,
    )
    Membership.objects.filter(board=board, user=bob).update(role=Role.VIEWER)

    resent = apply_op(
        board_id=board.pk,
        actor=Actor.for_user(bob),
        name="card.create",
        args=args,
        client_op_id=op_id,
    )

    assert resent.duplicate is True
    assert resent.seq == first.seq


@pytest.mark.django_db
def test_it_does_not_hand_someone_elses_op_to_a_participant_reusing_its_id(
    board: Board, alice: User, bob: User, charlie: User
) -> None:
    """Only the author's resend is a duplicate; anyone else replaying an op id is answered as
    for any op of theirs: outsiders not_found, viewers forbidden, writers an `invalid` id."""
    op_id = uuid.uuid4()
    args = card_args(board, "Bob's idea")
    apply_op(
        board_id=board.pk,
        actor=Actor.for_user(bob),
        name="card.create",
        args=args,
        client_op_id=op_id,
    )
    dave = User.objects.create_user(username="dave")
    Membership.objects.create(board=board, user=dave, role=Role.VIEWER)
    board.refresh_from_db()

    codes = {}
    for user in (charlie, dave, alice):
        with pytest.raises(OpError) as refused:
            apply_op(
                board_id=board.pk,
                actor=Actor.for_user(user),
                name="card.create",
                args=args,
                client_op_id=op_id,
            )
        codes[user.username] = refused.value.code

    assert codes == {"charlie": "not_found", "dave": "forbidden", "alice": "invalid"}
    assert Card.objects.filter(text="Bob's idea").count() == 1
    assert Board.objects.get(pk=board.pk).seq == board.seq


@pytest.mark.django_db
def test_it_refuses_an_op_id_that_is_not_a_uuid(board: Board, bob: User) -> None:
    with pytest.raises(OpError) as refused:
        apply_op(
            board_id=board.pk,
            actor=Actor.for_user(bob),
            name="card.create",
            args=card_args(board, "x"),
            client_op_id="op-1",
        )
    assert refused.value.code == "bad_message"


@pytest.mark.django_db(transaction=True)
def test_it_applies_an_op_sent_concurrently_from_two_connections_once(
    board: Board, bob: User
) -> None:
    op_id = uuid.uuid4()
    args = card_args(board, "Sent from two tabs")
    start = threading.Barrier(2)
    acks: list[AppliedOp] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            start.wait()
            acks.append(
                apply_op(
                    board_id=board.pk,
                    actor=Actor.for_user(bob),
                    name="card.create",
                    args=args,
                    client_op_id=op_id,
                )
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(ack.duplicate for ack in acks) == [False, True]
    assert acks[0].seq == acks[1].seq
    assert Card.objects.filter(text="Sent from two tabs").count() == 1
    assert Op.objects.filter(board=board, client_op_id=op_id).count() == 1
