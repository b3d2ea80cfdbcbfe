"""The analysis views: friction heatmap weighted by votes, emotion curve with per-stage
averages, touchpoint gaps, moments of truth, two boards side by side; and the data page."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from boards.models import Board, Membership, Op, Role
from boards.services import board_create
from journeydata.analysis import friction_heatmap
from journeydata.exports.content import board_content
from journeydata.models import MetricSample
from tests.api_client import client_for
from tests.journeydata.conftest import Writer

pytestmark = pytest.mark.django_db


def analysis(board: Board, user: User) -> dict:
    response = client_for(user).get(reverse("data:board-analysis", args=[board.pk]))
    assert response.status_code == 200
    return response.json()


def stage_id(board: Board, title: str) -> str:
    return str(board.stages.get(title=title).pk)


def lane_id(board: Board, kind: str) -> str:
    return str(board.lanes.get(kind=kind).pk)


def test_the_heatmap_counts_pain_points_and_negative_emotions_per_cell(
    french_board: Board, bob: User
):
    heat = analysis(french_board, bob)["heatmap"]
    achat = heat["stages"].index("Achat")
    assert heat["cells"][heat["lanes"].index("Irritants")][achat] == 1
    assert heat["cells"][heat["lanes"].index("Émotions")][achat] == 1
    assert heat["stage_totals"][achat] == 2
    assert heat["stage_totals"][heat["stages"].index("Recherche")] == 0


def test_votes_weigh_on_the_heatmap(french_board: Board):
    content = board_content(french_board.pk)
    pain = next(c for c in content.snapshot["cards"] if c["text"].startswith("Créneau"))
    heat = friction_heatmap(content, {pain["id"]: 4})
    assert heat["cells"][heat["lanes"].index("Irritants")][heat["stages"].index("Achat")] == 5
    assert heat["max"] == 5


def test_the_emotion_curve_gives_each_stages_average(french_board: Board, alice: User, bob):
    write = Writer(french_board, alice)
    write(
        "card.create",
        stage_id=stage_id(french_board, "Achat"),
        lane_id=lane_id(french_board, "emotions"),
        text="Contente du prix",
        emotion_score=1,
    )
    curve = {point["stage"]: point for point in analysis(french_board, bob)["emotion_curve"]}
    assert curve["Achat"] == {
        "stage": "Achat",
        "average": -0.5,
        "count": 2,
        "lowest": -2,
        "highest": 1,
    }
    assert curve["Recherche"]["average"] is None


def test_the_touchpoint_gap_lists_what_is_missing_and_what_is_unplanned(
    french_board: Board, alice: User, bob: User
):
    write = Writer(french_board, alice)
    recherche, touchpoints = (
        stage_id(french_board, "Recherche"),
        lane_id(french_board, "touchpoints"),
    )
    for text, channel, state in [
        ("Chat en direct", "web", "desired"),
        ("Application", "app", "desired"),
    ]:
        write(
            "card.create",
            stage_id=recherche,
            lane_id=touchpoints,
            text=text,
            channel=channel,
            touchpoint_state=state,
        )
    write(
        "card.create",
        stage_id=recherche,
        lane_id=touchpoints,
        text="Hotline",
        channel="phone",
        touchpoint_state="observed",
    )
    gaps = {gap["stage"]: gap for gap in analysis(french_board, bob)["touchpoint_gap"]}
    # "Appli mobile" (observed, app) is the desired "Application": same channel.
    assert gaps["Recherche"]["desired_not_observed"] == ["Chat en direct"]
    assert gaps["Recherche"]["observed_not_planned"] == ["Hotline"]
    assert gaps["Achat"] == {
        "stage": "Achat",
        "desired_not_observed": [],
        "observed_not_planned": [],
    }


def test_moments_of_truth_come_with_their_stage_and_its_kpis(french_board: Board, bob: User):
    [moment] = analysis(french_board, bob)["moments_of_truth"]
    assert (moment["stage"], moment["lane"], moment["text"]) == (
        "Achat",
        "Irritants",
        "Créneau de livraison épuisé",
    )
    assert moment["kpis"][0].startswith("NPS: 30")


def test_two_boards_compare_stage_by_stage(french_board: Board, bob: User, templates):
    other = board_create(owner=bob, title="Parcours de Karim", language="fr")
    write = Writer(other, bob)
    achat = write("stage.create", title="achat")["id"]
    livraison = write("stage.create", title="Livraison")["id"]
    pains = write("lane.create", kind="pain_points", title="Irritants")["id"]
    write("card.create", stage_id=achat, lane_id=pains, text="Paiement refusé")
    write("card.create", stage_id=livraison, lane_id=pains, text="Colis abîmé", emotion_score=-1)

    response = client_for(bob).get(reverse("data:board-compare", args=[french_board.pk, other.pk]))

    rows = {row["stage"]: row for row in response.json()}
    assert rows["Achat"]["cards"] == [2, 1]
    assert rows["Achat"]["pain_points"] == [2, 1]
    assert rows["Achat"]["emotion"] == [-2.0, None]
    assert rows["Achat"]["kpis"][1] == []
    assert rows["Livraison"]["cards"] == [None, 1]
    assert list(rows)[-1] == "Livraison"


def test_comparing_with_a_board_you_cannot_see_is_not_found(
    french_board: Board, bob: User, charlie: User
):
    hidden = board_create(owner=charlie, title="Secret", language="fr")
    client = client_for(bob)
    refused = client.get(reverse("data:board-compare", args=[french_board.pk, hidden.pk]))
    missing = client.get(reverse("data:board-compare", args=[french_board.pk, uuid.uuid4()]))
    assert refused.status_code == missing.status_code == 404
    page = client.get(reverse("board-data", args=[french_board.pk]), {"with": str(hidden.pk)})
    assert page.status_code == 404


def test_the_data_page_shows_exports_analyses_and_a_comparison(french_board: Board, bob: User):
    other = board_create(owner=bob, title="Parcours de Karim", language="fr")
    client = client_for(bob)
    client.cookies["django_language"] = "fr"
    page = client.get(
        reverse("board-data", args=[french_board.pk]),
        {"with": str(other.pk)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert page.status_code == 200
    html = page.content.decode()
    for expected in (
        "Carte de chaleur des irritants",
        "Courbe des émotions",
        "Moments de vérité",
        "Créneau de livraison épuisé",
        "Parcours de Karim",
        reverse("data:board-export", args=[french_board.pk, "xlsx"]),
        'id="import-form"',
    ):
        assert expected in html


def test_a_viewer_sees_the_data_page_without_the_import_and_an_outsider_gets_404(
    french_board: Board, bob: User, charlie: User
):
    Membership.objects.filter(board=french_board, user=bob).update(role=Role.VIEWER)
    page = client_for(bob).get(reverse("board-data", args=[french_board.pk]))
    assert page.status_code == 200
    assert 'id="import-form"' not in page.content.decode()
    outsider = client_for(charlie)
    assert outsider.get(reverse("board-data", args=[french_board.pk])).status_code == 404
    assert outsider.get(reverse("board-data", args=[uuid.uuid4()])).status_code == 404


def test_an_editor_records_and_deletes_a_sample_on_the_data_page(french_board: Board, bob: User):
    client = client_for(bob)
    url = reverse("board-data-sample", args=[french_board.pk])
    form = {
        "stage_id": stage_id(french_board, "Recherche"),
        "kind": "nps",
        "answers": "10:4; 6:1",
        "date": "2026-04-30",
        "source": "Atelier",
    }
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert response.status_code == 200
    sample = MetricSample.objects.get(date="2026-04-30")
    assert (sample.counts, sample.source) == ({"6": 1, "10": 4}, "Atelier")
    assert Op.objects.filter(board=french_board, name="metric.record").count() == 6

    refused = client.post(url, {**form, "answers": "11:1"}, follow=True)
    assert "Answers must be whole numbers from 0 to 10." in refused.content.decode()
    assert MetricSample.objects.filter(date="2026-04-30").count() == 1

    client.post(url, {"delete": str(sample.pk)})
    assert MetricSample.objects.get(pk=sample.pk).deleted


def test_a_viewer_cannot_record_a_sample_on_the_data_page(french_board: Board, bob: User):
    Membership.objects.filter(board=french_board, user=bob).update(role=Role.VIEWER)
    form = {
        "stage_id": stage_id(french_board, "Achat"),
        "kind": "ces",
        "answers": "2",
        "date": "2026-04-30",
    }
    response = client_for(bob).post(
        reverse("board-data-sample", args=[french_board.pk]), form, follow=True
    )
    assert "Your role on this board does not allow this change." in response.content.decode()
    assert not MetricSample.objects.filter(date="2026-04-30").exists()
