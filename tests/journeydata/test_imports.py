"""Importing cards, personas and KPI samples from CSV and .xlsx: a preview that names each
problem by row and column, an all-or-nothing apply through the write path, and the round
trip export -> import into a new board -> same content."""

from __future__ import annotations

import io
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from boards.models import Board, Card, Membership, Op, Role
from boards.services import board_create
from journeydata.models import MetricSample
from tests.api_client import client_for
from tests.journeydata.conftest import Writer
from tests.journeydata.content import comparable

pytestmark = pytest.mark.django_db

CARDS_CSV = """Étape;Ligne;Type de ligne;Texte;Couleur;Score d'émotion;Moment de vérité
Livraison;Émotions;Émotions;Soulagée à l'arrivée;vert;2;
Livraison;Irritants;Irritants;Livreur en retard;Rose;;oui
Retour;Irritants;;Étiquette introuvable;;;non
"""


def upload(board_id: object, user: User, name: str, data: bytes, *, apply: bool, lang="fr"):
    return client_for(user).post(
        reverse("data:board-import", args=[board_id]),
        {"file": SimpleUploadedFile(name, data), "apply": "true" if apply else "false"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def test_a_preview_shows_what_would_be_created_and_writes_nothing(board: Board, bob: User):
    seq = board.seq
    response = upload(board.pk, bob, "cartes.csv", CARDS_CSV.encode("utf-8"), apply=False)

    assert response.status_code == 200
    preview = response.json()
    assert preview["applied"] is False
    assert preview["cards"] == 3
    assert preview["new_stages"] == ["Livraison", "Retour"]
    # "Émotions" is the board's "Emotions": titles match without case or accents.
    assert preview["new_lanes"] == ["Irritants"]
    assert preview["errors"] == []
    assert preview["tables"] == [{"name": "cartes.csv", "kind": "cards", "rows": 3}]
    assert Board.objects.get(pk=board.pk).seq == seq


def test_applying_creates_cards_stages_and_lanes_through_the_write_path(board: Board, bob: User):
    seq = board.seq
    # What Excel writes as CSV on a French Windows machine: semicolons, Windows-1252.
    response = upload(board.pk, bob, "cartes.csv", CARDS_CSV.encode("cp1252"), apply=True)

    assert response.status_code == 200, response.json()
    assert response.json()["applied"] is True
    card = Card.objects.get(board=board, text="Livreur en retard")
    assert (card.stage.title, card.lane.title, card.lane.kind) == (
        "Livraison",
        "Irritants",
        "pain_points",
    )
    assert (card.color, card.moment_of_truth) == ("pink", True)
    assert Card.objects.get(text="Soulagée à l'arrivée").emotion_score == 2
    names = list(Op.objects.filter(board=board, seq__gt=seq).values_list("name", flat=True))
    assert names.count("card.create") == 3
    assert names.count("stage.create") == 2
    assert Board.objects.get(pk=board.pk).seq == response.json()["seq"] == seq + len(names)


def test_errors_name_the_row_and_the_column_and_nothing_is_applied(board: Board, bob: User):
    bad = CARDS_CSV.replace(";vert;2;", ";fuchsia;2;").replace("Rose;;oui", "Rose;7;oui")
    bad += ";Irritants;;Sans étape;;;\n"
    seq = board.seq

    preview = upload(board.pk, bob, "cartes.csv", bad.encode(), apply=False).json()
    refused = upload(board.pk, bob, "cartes.csv", bad.encode(), apply=True)

    assert [(e["row"], e["column"]) for e in preview["errors"]] == [
        (2, "Couleur"),
        (3, "Score d\u2019émotion"),
        (5, "Étape"),
    ]
    assert preview["errors"][0]["message"] == "« fuchsia » ne fait pas partie des choix."
    assert refused.status_code == 400
    assert Board.objects.get(pk=board.pk).seq == seq
    assert not Card.objects.filter(board=board).exists()


def test_kpi_samples_import_with_answers_dates_and_touchpoint_cards(french_board: Board, bob: User):
    samples = (
        "Étape,Carte de point de contact,KPI,Nom,Échelle,Valeur,Réponses,Date,Source\n"
        "Achat,,NPS,,,,10:3; 9:1; 2:1,31/03/2026,CRM\n"
        "Recherche,Appli mobile,CSAT,,5,,5 4 4 2,2026-03-31,Sondage in-app\n"
        'Achat,,Taux d\'abandon,,,"12,5",,2026-03-31,Analytics\n'
    )
    before = MetricSample.objects.count()
    response = upload(french_board.pk, bob, "kpi.csv", samples.encode(), apply=True)

    assert response.status_code == 200, response.json()
    assert response.json()["samples"] == 3
    assert MetricSample.objects.count() == before + 3
    nps = MetricSample.objects.get(kind="nps", date="2026-03-31")
    assert (nps.counts, nps.source) == ({"2": 1, "9": 1, "10": 3}, "CRM")
    csat = MetricSample.objects.get(kind="csat", date="2026-03-31")
    assert (csat.card.text, csat.counts) == ("Appli mobile", {"2": 1, "4": 2, "5": 1})
    assert MetricSample.objects.get(kind="drop_off").value == 12.5


def test_a_sample_for_an_unknown_card_or_with_bad_answers_is_reported(
    french_board: Board, bob: User
):
    samples = (
        "Stage,Touchpoint card,KPI,Value,Answers,Date\n"
        "Achat,Hotline,CES,,2 3,2026-03-31\n"
        "Achat,,NPS,,12:1,2026-03-31\n"
        "Achat,,Conversion rate,3,,31 mars\n"
    )
    preview = upload(french_board.pk, bob, "kpi.csv", samples.encode(), apply=False, lang="en")
    assert [(e["row"], e["column"], e["message"]) for e in preview.json()["errors"]] == [
        (2, "Touchpoint card", "No card with this text at this stage."),
        (3, "Answers", "Answers must be whole numbers from 0 to 10."),
        (4, "Date", "Must be a date (2026-03-31 or 31/03/2026)."),
    ]


def test_the_workbook_round_trips_into_a_new_board(french_board: Board, bob: User):
    exported = client_for(bob).get(
        reverse("data:board-export", args=[french_board.pk, "xlsx"]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    empty = board_create(owner=bob, title="Copie", language="fr")

    preview = upload(empty.pk, bob, "parcours.xlsx", exported.content, apply=False)
    assert preview.json()["errors"] == []
    response = upload(empty.pk, bob, "parcours.xlsx", exported.content, apply=True)

    assert response.status_code == 200, response.json()
    assert response.json()["errors"] == []
    assert comparable(empty) == comparable(french_board)


def test_the_workbook_exported_in_english_imports_too(french_board: Board, bob: User):
    exported = client_for(bob).get(
        reverse("data:board-export", args=[french_board.pk, "xlsx"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    empty = board_create(owner=bob, title="Copy", language="en")
    response = upload(empty.pk, bob, "journey.xlsx", exported.content, apply=True, lang="fr")
    assert response.status_code == 200, response.json()
    assert comparable(empty) == comparable(french_board)


def test_a_file_without_a_known_table_is_refused(board: Board, bob: User):
    response = upload(board.pk, bob, "notes.csv", b"Bonjour\nle monde\n", apply=False)
    assert response.status_code == 400
    assert response.json()["details"]["file"] == [
        "Aucun tableau de cartes, de personas ou de mesures de KPI n\u2019a été trouvé : "
        "vérifiez la ligne d\u2019en-tête."
    ]
    other = upload(board.pk, bob, "notes.txt", b"x", apply=False)
    assert other.status_code == 400


def test_a_viewer_cannot_import_and_an_outsider_learns_nothing(
    board: Board, bob: User, charlie: User
):
    Membership.objects.filter(board=board, user=bob).update(role=Role.VIEWER)
    data = CARDS_CSV.encode()
    assert upload(board.pk, bob, "c.csv", data, apply=False).status_code == 403
    existing = upload(board.pk, charlie, "c.csv", data, apply=False)
    missing = upload(uuid.uuid4(), charlie, "c.csv", data, apply=False)
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


def test_a_large_import_is_one_transaction(board: Board, bob: User):
    rows = "".join(f"Livraison;Actions;Actions;Carte {n};;;\n" for n in range(400))
    data = io.BytesIO((CARDS_CSV.splitlines()[0] + "\n" + rows).encode()).getvalue()
    response = upload(board.pk, bob, "gros.csv", data, apply=True)
    assert response.status_code == 200
    assert Card.objects.filter(board=board).count() == 400


def test_text_that_looks_like_a_formula_is_exported_as_text_and_imports_back(
    board: Board, bob: User
):
    stage = board.stages.order_by("position").first()
    lane = board.lanes.order_by("position").first()
    tricky = ['=HYPERLINK("http://example.com","clic")', "-5 % de remise", "@home"]
    for text in tricky:
        Writer(board, bob)("card.create", stage_id=str(stage.pk), lane_id=str(lane.pk), text=text)
    client = client_for(bob)

    csv_file = client.get(reverse("data:board-export", args=[board.pk, "csv"])).content
    assert "'=HYPERLINK" in csv_file.decode("utf-8-sig")
    book = load_workbook(
        io.BytesIO(client.get(reverse("data:board-export", args=[board.pk, "xlsx"])).content)
    )
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert all(cell.data_type != "f" for cell in cells)

    copy = board_create(owner=bob, title="Copie", language="en")
    assert upload(copy.pk, bob, "cards.csv", csv_file, apply=True).status_code == 200
    assert sorted(Card.objects.filter(board=copy).values_list("text", flat=True)) == sorted(tricky)
