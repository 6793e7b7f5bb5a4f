"""Exports people open in a spreadsheet: every van's stock, a check's alerts; printing a report."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from inventaire.exports.spreadsheet import BOM
from tests.commands import run_cli
from tests.helpers import committed, make_line, make_product, make_technician


def _rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM)  # spreadsheets read the accents as UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def make_vans(session):
    allan = make_technician(session, nom="Allan")
    zoe = make_technician(session, nom="Zoé Côté")
    feutre = make_product(session, code_produit="FEUT-1", nom_produit="Feutre d'étouffoir", unite="m",
                          prix_unitaire=Decimal("12.40"), categorie="Feutres")
    corde = make_product(session, code_produit="CORD-012", nom_produit="=Corde 12", unite="bobine",
                         prix_unitaire=Decimal("18.50"), seuil_reorder=Decimal(2))
    make_line(session, allan, feutre, "2.5", niveau_par="4")
    make_line(session, zoe, corde, 1)
    archived = make_product(session, code_produit="VIEUX", nom_produit="Retiré")
    make_line(session, allan, archived, 3)
    archived.actif = False


def test_stock_csv_from_the_dashboard(pages, db_session):
    make_vans(db_session)
    db_session.commit()
    response = pages.get("/stock.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="stock-' in response.headers["content-disposition"]
    header, *rows = _rows(response.text)
    assert header == ["Technicien", "Code", "Produit", "Catégorie", "Quantité", "Unité", "Seuil",
                      "Niveau de remplissage", "Coût unitaire", "Valeur", "Mis à jour"]
    assert [r[:10] for r in rows] == [
        ["Allan", "FEUT-1", "Feutre d'étouffoir", "Feutres", "2,5", "m", "5", "4", "12,40", "31,00"],
        ["Zoé Côté", "CORD-012", "'=Corde 12", "Essais", "1", "bobine", "2", "", "18,50", "18,50"],
    ]  # names not ids, decimal commas, money in cents, no formula, archived product left out
    assert all(len(r[10]) == 19 and r[10][4] == "-" and r[10][13] == ":" for r in rows)  # 2026-12-01 09:05:00
    assert "Stock de tous les véhicules (CSV)" in pages.get("/").text


def test_stock_csv_from_the_cli(fresh_database, tmp_path):
    with committed(fresh_database.url) as session:
        make_vans(session)
    out = run_cli(fresh_database.url, "export-stock")
    assert out.exit_code == 0, out.output
    assert [r[0] for r in _rows(out.stdout)] == ["Technicien", "Allan", "Zoé Côté"]
    target = tmp_path / "stock.csv"
    written = run_cli(fresh_database.url, "export-stock", str(target))
    assert written.exit_code == 0 and "Stock écrit dans" in written.stdout
    assert target.read_text(encoding="utf-8") == out.stdout


def test_a_checks_alerts_as_csv(pages, client, db_session):
    make_vans(db_session)
    db_session.commit()
    run = client.post("/inventaire/check-stock", params={"notifier": "false"}).json()["verification_id"]
    response = pages.get(f"/verifications/{run}/alertes.csv")
    assert response.status_code == 200
    header, *rows = _rows(response.text)
    assert header[:9] == ["Gravité", "État", "Technicien", "Code", "Produit", "Quantité", "Unité", "Seuil",
                          "À commander"]
    assert [r[:9] for r in rows] == [
        ["stock bas", "nouvelle", "Allan", "FEUT-1", "Feutre d'étouffoir", "2,5", "m", "5", "1,5"],
        ["stock bas", "nouvelle", "Zoé Côté", "CORD-012", "'=Corde 12", "1", "bobine", "2", ""],
    ]
    page = pages.get(f"/verifications/{run}").text
    assert f'href="/verifications/{run}/alertes.csv"' in page and "data-imprimer" in page


def test_a_file_name_is_safe_anywhere():
    from inventaire.exports.spreadsheet import amount, file_name
    assert file_name("transactions", "Zoé Côté", "", "PLS/TRAIT 4") == "transactions-Zoe-Cote-PLS-TRAIT-4.csv"
    assert (amount(Decimal("12.4")), amount(Decimal("0.005")), amount(Decimal(-37)), amount(None)) == (
        "12,40", "0,01", "-37,00", "")
