"""The forecast where stock is shown: the phone page's days of cover, the dashboard's predicted stockouts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inventaire.kit.database import utcnow
from inventaire.stock import service as stock
from inventaire.web.formatting import couverture
from tests.helpers import make_product, make_technician


@pytest.fixture
def van(db_session):
    nicolas = make_technician(db_session, nom="Nicolas")
    buvards = make_product(db_session, code_produit="PLS-BUVARDS", nom_produit="Buvards PLS", unite="jeu",
                           seuil_reorder=Decimal(2))
    idle = make_product(db_session, code_produit="VIS-CAPST", seuil_reorder=Decimal(1))
    now = utcnow()
    stock.adjust(db_session=db_session, location=nicolas, product=buvards, kind="reception", delta=Decimal(66),
                 auteur="essai", at=now - dt.timedelta(days=61), cause="manuel")
    for day in range(60, 0, -1):  # one a day: 6 left, about 6 days
        stock.adjust(db_session=db_session, location=nicolas, product=buvards, kind="utilisation",
                     delta=Decimal(-1), auteur="essai", at=now - dt.timedelta(days=day), cause="manuel")
    stock.adjust(db_session=db_session, location=nicolas, product=idle, kind="reception", delta=Decimal(4),
                 auteur="essai", cause="manuel")
    db_session.commit()
    return nicolas


def test_the_phone_page_says_how_many_days_are_left(pages, van):
    html = pages.get("/stock/Nicolas").text
    card = html[html.index('id="ligne-PLS-BUVARDS"'):html.index('id="ligne-VIS-CAPST"')]
    assert '<span class="couverture"' in card and ("≈ 6 jours" in card or "≈ 5 jours" in card)
    assert "épuisé vers le" in card
    idle = html[html.index('id="ligne-VIS-CAPST"'):]
    assert 'class="couverture"' not in idle.split("</li>")[0]  # never used: nothing to say


def test_the_dashboard_lists_predicted_stockouts(pages, van):
    html = pages.get("/").text
    assert 'id="nb-ruptures">1<' in html
    assert "Ruptures prévues d'ici la prochaine commande (14 jours)" in html
    assert 'data-code="PLS-BUVARDS" data-technicien="Nicolas"' in html


@pytest.mark.parametrize(("days", "text"), [
    (None, ""), (Decimal("0.4"), "< 1 jour"), (Decimal("1.9"), "≈ 1 jour"), (Decimal("6.2"), "≈ 6 jours"),
    (Decimal(400), "> 1 an"),
])
def test_cover_reads_in_french(days, text):
    assert couverture(days) == text


def test_the_evolution_chart_carries_the_forecast_after_the_history(pages, van):
    data = pages.get("/evolution/donnees", params={"code_produit": "PLS-BUVARDS"}).json()
    [series] = data["series"]
    forecast = series["prevision"]
    assert forecast["consommation_par_jour"] == pytest.approx(1, rel=0.05)
    start, end = forecast["points"]
    assert start == {"x": data["jusqu_a"], "y": 6}  # from the level now, where the history ends
    assert end["y"] == 0
    drawn = dt.datetime.fromisoformat(end["x"]) - dt.datetime.fromisoformat(start["x"])
    assert dt.timedelta(days=5) <= drawn <= dt.timedelta(days=7)
    assert forecast["rupture_prevue"] == (dt.date.fromisoformat(data["jusqu_a"][:10])
                                          + dt.timedelta(days=int(forecast["jours_de_couverture"]))).isoformat()
    idle = pages.get("/evolution/donnees", params={"code_produit": "VIS-CAPST"}).json()
    assert idle["series"][0]["prevision"] is None
