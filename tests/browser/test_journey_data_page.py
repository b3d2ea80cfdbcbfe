"""The journey data page in a real browser: a CSV import is previewed with its errors by row
and column, then applied once fixed, and the board shows the new cards live."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "Étape;Ligne;Texte;Score d'émotion\n"


def test_an_import_is_previewed_fixed_and_applied(
    board, bob, alice, open_board, server_url, tmp_path
):
    watcher = open_board(alice, board.id, language="fr")
    page = open_board(bob, board.id, language="fr")
    page.get_by_role("link", name="Données et exports").click()
    expect(page.get_by_role("heading", name="Carte de chaleur des irritants")).to_be_visible()

    bad = tmp_path / "cartes.csv"
    bad.write_text(HEADER + "Livraison;Irritants;Colis abîmé;-5\n", encoding="utf-8")
    page.locator("#import-form input[type=file]").set_input_files(bad)
    page.get_by_role("button", name="Aperçu").click()
    errors = page.locator(".import-errors tbody tr")
    expect(errors).to_have_count(1, timeout=10_000)
    expect(errors.first).to_contain_text("Score d’émotion")  # noqa: RUF001
    expect(page.get_by_role("button", name="Importer", exact=True)).to_be_disabled()

    good = tmp_path / "cartes-corrigees.csv"
    good.write_text(HEADER + "Livraison;Irritants;Colis abîmé;-2\n", encoding="utf-8")
    page.locator("#import-form input[type=file]").set_input_files(good)
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator("#import-result")).to_contain_text(
        "Nouvelles étapes : Livraison", timeout=10_000
    )
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.locator("#import-result")).to_contain_text("Importé", timeout=10_000)

    expect(watcher.locator(".card", has_text="Colis abîmé")).to_be_visible(timeout=10_000)
    expect(watcher.locator(".stage-header", has_text="Livraison")).to_have_count(1)
