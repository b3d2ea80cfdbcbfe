"""Recording KPI samples through the one write path: per stage or touchpoint card, with date
and source; survey answers checked and kept as counts; refusals change nothing; roles."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from boards.models import Board, Card, Membership, Op, Role
from boards.ops import OpError, apply_op
from boards.permissions import Actor
from journeydata.models import MetricSample
from journeydata.selectors import board_kpis

pytestmark = pytest.mark.django_db


def first_stage(board: Board) -> str:
    return str(board.stages.order_by("position").first().pk)


def record(board: Board, user: User, **args):
    return apply_op(board_id=board.pk, actor=Actor.for_user(user), name="metric.record", args=args)


def refused(board: Board, user: User, **args) -> OpError:
    seq = Board.objects.get(pk=board.pk).seq
    with pytest.raises(OpError) as refusal:
        record(board, user, **args)
    assert Board.objects.get(pk=board.pk).seq == seq
    assert not MetricSample.objects.exists()
    return refusal.value


def test_an_editor_records_an_nps_from_raw_answers(board: Board, bob: User):
    applied = record(
        board,
        bob,
        stage_id=first_stage(board),
        kind="nps",
        responses=[10, 9, 9, 8, 3],
        date="2026-03-31",
        source="Enquête après livraison",
    )
    assert applied.result["counts"] == {"3": 1, "8": 1, "9": 2, "10": 1}
    assert applied.result["source"] == "Enquête après livraison"
    assert Op.objects.get(board=board, seq=applied.seq).name == "metric.record"
    [kpi] = board_kpis(board.pk)
    assert (kpi["promoters"], kpi["passives"], kpi["detractors"]) == (3, 1, 1)
    assert kpi["value"] == 40.0
    assert kpi["date"] == "2026-03-31"


def test_counts_are_accepted_instead_of_raw_answers(board: Board, bob: User):
    record(
        board,
        bob,
        stage_id=first_stage(board),
        kind="csat",
        scale=10,
        counts={"10": 4, "2": 1},
        date="2026-04-01",
    )
    [kpi] = board_kpis(board.pk)
    assert kpi["value"] == 8.4
    assert kpi["satisfied_pct"] == 80.0
    assert kpi["scale"] == 10


def test_history_gives_one_point_per_date_with_trend_and_tone(board: Board, bob: User):
    stage = first_stage(board)
    for date, rate in [("2026-01-31", 2.5), ("2026-02-28", 3.1), ("2026-02-28", 2.9)]:
        record(board, bob, stage_id=stage, kind="conversion_rate", value=rate, date=date)
    record(board, bob, stage_id=stage, kind="conversion_rate", value=2.0, date="2025-12-31")
    [kpi] = board_kpis(board.pk)
    assert kpi["history"] == [
        {"date": "2025-12-31", "value": 2.0},
        {"date": "2026-01-31", "value": 2.5},
        {"date": "2026-02-28", "value": 3.0},
    ]
    assert (kpi["trend"], kpi["tone"], kpi["samples"]) == ("up", "good", 4)


def test_a_sample_can_measure_a_touchpoint_card(board: Board, bob: User):
    lane = board.lanes.get(kind="touchpoints")
    stage = board.stages.order_by("position").first()
    card = apply_op(
        board_id=board.pk,
        actor=Actor.for_user(bob),
        name="card.create",
        args={"stage_id": str(stage.pk), "lane_id": str(lane.pk), "text": "Appli mobile"},
    ).result
    record(board, bob, card_id=card["id"], kind="ces", responses=[1, 2, 2], date="2026-05-02")
    [kpi] = board_kpis(board.pk)
    assert (kpi["card_id"], kpi["stage_id"], kpi["value"]) == (card["id"], None, 1.67)
    Card.objects.filter(pk=card["id"]).update(deleted=True)
    assert board_kpis(board.pk) == []


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"kind": "nps", "responses": [11], "date": "2026-01-01"}, "responses"),
        ({"kind": "nps", "responses": [], "date": "2026-01-01"}, "responses"),
        ({"kind": "nps", "counts": {"ten": 3}, "date": "2026-01-01"}, "counts"),
        ({"kind": "nps", "value": 40, "date": "2026-01-01"}, "value"),
        ({"kind": "csat", "scale": 7, "responses": [5], "date": "2026-01-01"}, "scale"),
        ({"kind": "csat", "responses": [0], "date": "2026-01-01"}, "responses"),
        ({"kind": "ces", "responses": [6], "date": "2026-01-01"}, "responses"),
        ({"kind": "conversion_rate", "value": 120, "date": "2026-01-01"}, "value"),
        ({"kind": "drop_off", "value": "12", "date": "2026-01-01"}, "value"),
        ({"kind": "handling_time", "value": -3, "date": "2026-01-01"}, "value"),
        ({"kind": "custom", "value": 3, "date": "2026-01-01"}, "name"),
        ({"kind": "conversion_rate", "value": 3, "date": "31/01/2026"}, "date"),
        ({"kind": "conversion_rate", "value": 3}, "date"),
        ({"kind": "mood", "value": 3, "date": "2026-01-01"}, "kind"),
    ],
)
def test_bad_samples_are_refused_and_change_nothing(board: Board, bob: User, args, field):
    error = refused(board, bob, stage_id=first_stage(board), **args)
    assert error.code == "invalid"
    assert field in error.details


def test_a_sample_needs_exactly_one_target(board: Board, bob: User):
    lane = str(board.lanes.first().pk)
    assert "stage_id" in refused(board, bob, kind="ces", responses=[2], date="2026-01-01").details
    error = refused(board, bob, card_id=lane, kind="ces", responses=[2], date="2026-01-01")
    assert error.code == "not_found"


def test_a_viewer_cannot_record_and_an_outsider_cannot_tell_the_board_exists(
    board: Board, bob: User, charlie: User
):
    Membership.objects.filter(board=board, user=bob).update(role=Role.VIEWER)
    args = {"stage_id": first_stage(board), "kind": "ces", "responses": [2], "date": "2026-01-01"}
    assert refused(board, bob, **args).code == "forbidden"
    assert refused(board, charlie, **args).code == "not_found"


def test_deleted_samples_leave_the_kpis_and_can_be_restored(board: Board, bob: User):
    sample = record(
        board, bob, stage_id=first_stage(board), kind="ces", responses=[2], date="2026-01-01"
    ).result
    actor = Actor.for_user(bob)
    apply_op(board_id=board.pk, actor=actor, name="metric.delete", args={"id": sample["id"]})
    assert board_kpis(board.pk) == []
    apply_op(board_id=board.pk, actor=actor, name="metric.restore", args={"id": sample["id"]})
    assert len(board_kpis(board.pk)) == 1
