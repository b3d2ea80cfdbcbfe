"""Every export opened with a real reader (openpyxl, csv, pypdf, Pillow) and checked for the
board's content, French accents included; roles and outsiders."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from boards.models import Board, Membership, Role
from journeydata.exports.pdf import CARD_COLOURS
from journeydata.exports.png import LANE_WIDTH, STAGE_WIDTH

pytestmark = pytest.mark.django_db

from tests.api_client import client_for  # noqa: E402


def export_url(board_id: object, fmt: str) -> str:
    return reverse("data:board-export", args=[board_id, fmt])


def export(board: Board, user: User, fmt: str, **query: str):
    response = client_for(user).get(export_url(board.pk, fmt), query, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content[:300]
    return response


def test_the_workbook_is_laid_out_like_a_journey_map_sheet(french_board: Board, bob: User):
    response = export(french_board, bob, "xlsx")
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Carte du parcours",
        "Étapes",
        "Lignes",
        "Cartes",
        "Personas",
        "KPI",
        "Mesures des KPI",
    ]

    sheet = book["Carte du parcours"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Parcours d'achat épicerie"
    header = rows[2]
    assert header[1:] == [
        "Prise de conscience",
        "Recherche",
        "Considération",
        "Achat",
        "Service après-vente",
        "Fidélisation",
    ]
    by_lane = {row[0]: row for row in rows[3:]}
    achat = header.index("Achat")
    assert by_lane["Irritants"][achat] == "Créneau de livraison épuisé"
    assert by_lane["Émotions"][achat] == "Déçue, « encore raté »"
    assert by_lane["Points de contact"][header.index("Recherche")] == "Appli mobile"
    kpis = rows[-1]
    assert kpis[0] == "KPI"
    assert "NPS : 30 (5 promoteurs, 3 passifs, 2 détracteurs), en hausse" in kpis[achat]
    assert "Taux de conversion : 3.5 %" in kpis[achat]
    assert "Paniers créés : 1250 paniers" in kpis[header.index("Recherche")]

    personas = list(book["Personas"].iter_rows(values_only=True))
    assert personas[1][:2] == ("Élodie", "Mère pressée")
    kpi_rows = {row[2]: row for row in book["KPI"].iter_rows(min_row=2, values_only=True)}
    assert kpi_rows["NPS"][3:10] == (30, None, "2026-02-28", 10, 5, 3, 2)
    assert kpi_rows["CSAT"][1] == "Appli mobile"
    assert kpi_rows["CSAT"][10] == 66.7


def test_the_csv_of_cards_has_one_row_per_card_with_its_attributes(french_board: Board, bob: User):
    response = export(french_board, bob, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Étape",
        "Ligne",
        "Type de ligne",
        "Texte",
        "Couleur",
        "Score d\u2019émotion",
        "Canal",
        "Maîtrisé par la marque",
        "Observé ou souhaité",
        "Moment de vérité",
    ]
    assert len(rows) == 5
    assert [
        "Recherche",
        "Points de contact",
        "Points de contact",
        "Appli mobile",
        "Jaune",
        "",
        "Application",
        "oui",
        "Observé",
        "",
    ] in rows
    assert [
        "Achat",
        "Irritants",
        "Irritants",
        "Créneau de livraison épuisé",
        "Rose",
        "",
        "",
        "",
        "",
        "oui",
    ] in rows


def test_the_csv_of_samples_keeps_the_answers(french_board: Board, bob: User):
    response = export(french_board, bob, "csv", table="samples")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    nps = [row for row in rows if row["KPI"] == "NPS"]
    assert [row["Date"] for row in nps] == ["2026-01-31", "2026-02-28"]
    assert nps[1]["Réponses"] == "3:2; 7:1; 8:2; 9:2; 10:3"
    assert nps[1]["Source"] == "Enquête février"


def test_the_pdf_shows_the_map_its_kpis_and_personas(french_board: Board, bob: User):
    response = export(french_board, bob, "pdf")
    reader = PdfReader(io.BytesIO(response.content))
    # Cells wrap their text: compare with line breaks as spaces.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Parcours d'achat épicerie",
        "Considération",
        "Créneau de livraison épuisé",
        "Déçue, « encore raté »",
        "Élodie",
        "Paniers créés",
        "NPS : 30 (5 promoteurs, 3 passifs, 2 détracteurs), en hausse",
    ):
        assert expected in text
    assert reader.metadata.title == "Parcours d'achat épicerie"


def test_the_png_draws_the_grid_with_each_cards_colour(french_board: Board, bob: User):
    response = export(french_board, bob, "png")
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.width == LANE_WIDTH + 6 * STAGE_WIDTH + 1
    colours = {colour for _count, colour in image.convert("RGB").getcolors(1_000_000)}
    pink = tuple(int(CARD_COLOURS["pink"][i : i + 2], 16) for i in (1, 3, 5))
    assert pink in colours


def test_a_viewer_may_export(french_board: Board, bob: User):
    Membership.objects.filter(board=french_board, user=bob).update(role=Role.VIEWER)
    export(french_board, bob, "json")


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json", "pdf", "png"])
def test_an_outsider_gets_the_same_404_as_for_a_missing_board(
    french_board: Board, charlie: User, fmt: str
):
    client = client_for(charlie)
    existing = client.get(export_url(french_board.pk, fmt))
    missing = client.get(export_url(uuid.uuid4(), fmt))
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()


def test_an_unknown_format_is_not_found(french_board: Board, bob: User):
    assert client_for(bob).get(export_url(french_board.pk, "docx")).status_code == 404
