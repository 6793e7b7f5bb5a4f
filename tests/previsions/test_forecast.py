"""The forecast on constructed ledgers (both databases): rates and stockout dates within tolerance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inventaire.previsions import service as previsions
from inventaire.stock import service as stock
from tests.helpers import make_product, make_technician

NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def _move(db_session, tech, product, delta, days_ago, kind=None, reference=None, cause="manuel"):
    kind = kind or ("reception" if delta > 0 else "utilisation")
    return stock.adjust(db_session=db_session, location=tech, product=product, kind=kind,
                        delta=Decimal(str(delta)), auteur="essai", reference=reference,
                        at=NOW - dt.timedelta(days=days_ago, hours=1), cause=cause)


def _line(report, code):
    return next(line for line in report.lignes if line.code_produit == code)


def test_steady_use(db_session):
    allan, buvards = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, buvards, 200, 95)
    for day in range(90):  # one a day for 90 days: 110 left
        _move(db_session, allan, buvards, -1, day)
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), buvards.code_produit)
    assert line.quantite == 110 and line.consommation_periode == 90
    assert line.consommation_par_jour == pytest.approx(Decimal(1), rel=Decimal("0.05"))
    assert line.jours_de_couverture == pytest.approx(Decimal(110), rel=Decimal("0.05"))
    assert abs((line.rupture_prevue - (TODAY + dt.timedelta(days=110))).days) <= 5


def test_intermittent_use(db_session):
    allan, marteaux = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, marteaux, 40, 95)
    for day in range(3, 90, 10):  # 3 every 10 days = 0.3 a day: 13 left, about 43 days
        _move(db_session, allan, marteaux, -3, day)
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), marteaux.code_produit)
    assert line.consommation_par_jour == pytest.approx(Decimal("0.3"), rel=Decimal("0.15"))
    expected = TODAY + dt.timedelta(days=13 / 0.3)
    assert abs((line.rupture_prevue - expected).days) <= 7  # 15 % of 43 days


def test_seasonal_use_predicts_the_season_not_the_mean(db_session):
    allan, pls = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, pls, 60, 95)
    for day in range(30, 90, 5):  # one every 5 days two months ago, then one a day for a month
        _move(db_session, allan, pls, -1, day)
    for day in range(30):
        _move(db_session, allan, pls, -1, day)
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), pls.code_produit)
    assert line.quantite == 18
    assert Decimal("0.75") <= line.consommation_par_jour <= Decimal("1.1")
    # 18 left at about one a day: out within 16 to 24 days (the plain mean, 0.47/day, would say 38).
    assert TODAY + dt.timedelta(days=16) <= line.rupture_prevue <= TODAY + dt.timedelta(days=24)


def test_no_use_no_date(db_session):
    allan, idle = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, idle, 5, 40)
    stock.count(db_session=db_session, location=allan, product=idle, counted=Decimal(3), auteur="essai",
                at=NOW - dt.timedelta(days=10))  # a count is not a use
    _move(db_session, allan, idle, -1, 5, kind="ajustement")  # nor a correction
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), idle.code_produit)
    assert line.consommation_periode == 0 and line.consommation_par_jour == 0
    assert line.jours_de_couverture is None and line.rupture_prevue is None


def test_uses_outside_the_period_or_after_now_do_not_count(db_session):
    allan, cord = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, cord, 50, 200)
    _move(db_session, allan, cord, -10, 120)  # before the 90 days
    for day in (-2, -1):  # after `now` (a forecast of the past, as the backtest makes)
        _move(db_session, allan, cord, -1, day)
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), cord.code_produit)
    assert line.consommation_periode == 0 and line.rupture_prevue is None


def test_corrections_of_service_deductions_are_consumption(db_session):
    allan, buvards = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, buvards, 30, 60)
    for day in (50, 40, 30, 20):
        _move(db_session, allan, buvards, -2, day, reference=f"Facture #{day}")
    _move(db_session, allan, buvards, 1, 19, kind="ajustement", reference="Facture #20",
          cause="deduction")  # invoice lowered
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), buvards.code_produit)
    assert line.consommation_periode == 7


def test_an_empty_line_in_use_runs_out_today(db_session):
    allan, cord = make_technician(db_session), make_product(db_session)
    _move(db_session, allan, cord, 4, 30)
    for day in (20, 15, 10, 5):
        _move(db_session, allan, cord, -1, day)
    line = _line(previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW), cord.code_produit)
    assert line.quantite == 0 and line.jours_de_couverture == 0 and line.rupture_prevue == TODAY


def test_company_wide_sums_every_line_of_a_product(db_session):
    allan, margot = make_technician(db_session), make_technician(db_session)
    gaine, autre = make_product(db_session), make_product(db_session)
    for tech in (allan, margot):
        _move(db_session, tech, gaine, 100, 95)
        for day in range(90):
            _move(db_session, tech, gaine, -1, day)
    _move(db_session, margot, autre, 3, 10)
    report = previsions.forecast(db_session=db_session, holder=None, jours=90, now=NOW)
    product = next(p for p in report.produits if p.code_produit == gaine.code_produit)
    assert product.lignes == 2 and product.quantite == 20 and product.consommation_periode == 180
    assert product.consommation_par_jour == pytest.approx(Decimal(2), rel=Decimal("0.05"))
    assert product.jours_de_couverture == pytest.approx(Decimal(10), rel=Decimal("0.05"))
    mine = previsions.forecast(db_session=db_session, holder=allan, jours=90, now=NOW)
    assert mine.produits is None and {line.technicien for line in mine.lignes} == {allan.nom}


@pytest.mark.parametrize("numero", ["7140", None])
def test_a_lowered_invoice_gives_its_consumption_back(client, db_session, numero):
    allan, buvards = make_technician(db_session, nom="Allan"), make_product(db_session, code_produit="PLS-BUVARDS")
    stock.adjust(db_session=db_session, location=allan, product=buvards, kind="reception", delta=Decimal(10),
                 auteur="essai", cause="manuel")
    db_session.commit()
    assert client.post("/inventaire/regles", json={"service_id": "mit_PLS", "code_produit": "PLS-BUVARDS",
                                                   "quantite": 1}).status_code == 201
    service = {"source": "gazelle", "id_externe": "inv_7140", "numero": numero, "statut": "actif",
               "technicien": "Allan", "date": "2026-11-20",
               "lignes": [{"id_externe": "ini_1", "service_id": "mit_PLS", "quantite": 3}]}
    assert client.post("/inventaire/services", json=service).status_code == 200
    service["lignes"][0]["quantite"] = 1  # the invoice is corrected: two are given back
    answer = client.post("/inventaire/services", json=service)
    assert answer.status_code == 200 and [m["type"] for m in answer.json()["mouvements"]] == ["ajustement"]
    report = previsions.forecast(db_session=db_session, holder=allan, jours=30)
    assert _line(report, "PLS-BUVARDS").consommation_periode == 1
