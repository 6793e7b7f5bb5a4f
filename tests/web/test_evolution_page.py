"""The stock-evolution page and its JSON endpoint (the chart's data, straight from the ledger)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from inventaire.stock.models import Transaction
from tests.helpers import database_state, make_line, make_product, make_technician


def _history(client, db_session):
    allan, margot = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Margot")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        seuil_reorder=Decimal(2))
    make_line(db_session, allan, cord, 6)
    make_line(db_session, margot, cord, 4)
    db_session.commit()
    for delta, kind in [(-1, "utilisation"), (-3, "utilisation"), (5, "reception")]:
        assert client.post("/inventaire/stock/ajuster", json={
            "technicien": "Allan", "code_produit": "CORD-012", "ajustement": delta, "type": kind}).status_code == 200


def test_data_points_are_the_ledger(pages, client, db_session):
    _history(client, db_session)
    data = pages.get("/evolution/donnees", params={"code_produit": "CORD-012", "technicien": "allan"}).json()
    assert data["produit"] == {"code_produit": "CORD-012", "nom_produit": "Corde no 12", "unite": "bobine"}
    assert data["technicien"] == "Allan"
    [series] = data["series"]
    ledger = client.get("/inventaire/transactions", params={"technicien": "Allan", "limit": 100}).json()["items"]
    expected = [{"x": t["created_at"], "y": t["quantite_apres"], "transaction": t["id"]} for t in reversed(ledger)]
    assert series["points"] == expected
    assert [p["y"] for p in series["points"]] == [6, 5, 2, 7]
    assert series["quantite"] == 7 and series["seuil"] == 2
    assert data["seuils"] == [{"valeur": 2, "techniciens": ["Allan"]}]


def test_all_technicians_give_one_series_each(pages, client, db_session):
    _history(client, db_session)
    data = pages.get("/evolution/donnees", params={"code_produit": "CORD-012", "jours": 0}).json()
    assert [s["technicien"] for s in data["series"]] == ["Allan", "Margot"]
    assert data["depuis"] is None
    assert data["seuils"] == [{"valeur": 2, "techniciens": ["Allan", "Margot"]}]


def test_page_shows_the_chart_and_monthly_consumption(pages, client, db_session):
    _history(client, db_session)
    html = pages.get("/evolution", params={"code_produit": "CORD-012"}).text
    assert 'id="graphique-stock"' in html
    assert 'data-source="/evolution/donnees?code_produit=CORD-012"' in html
    assert "/static/vendor/chart.umd.min.js" in html
    assert "Consommation mensuelle par produit" in html
    row = html[html.index('class="choisi"'):]
    assert "<strong>4</strong> bobines" in row[:row.index("</tr>")]  # 1 + 3 used this month


def test_unknown_product_or_bad_query(pages, db_session):
    assert pages.get("/evolution/donnees", params={"code_produit": "NOPE-1"}).status_code == 404
    assert pages.get("/evolution/donnees", params={"code_produit": "a b"}).status_code == 422
    assert pages.get("/evolution", params={"jours": "-1"}).status_code == 422
    assert "catalogue est vide" in pages.get("/evolution").text


def test_nothing_is_written_by_reading(pages, client, db_session):
    _history(client, db_session)
    count = len(db_session.scalars(select(Transaction.id)).all())
    before = database_state(db_session)
    for path in ("/evolution/donnees", "/evolution"):  # both answer, from the lines just written
        response = pages.get(path, params={"code_produit": "CORD-012"})
        assert response.status_code == 200, response.text
    assert response.text.count("CORD-012") and pages.get(
        "/evolution/donnees", params={"code_produit": "CORD-012"}).json()  # there was something to read
    assert len(db_session.scalars(select(Transaction.id)).all()) == count
    assert database_state(db_session) == before  # no row added or removed anywhere, no balance changed
