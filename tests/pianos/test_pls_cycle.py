"""The PLS cycle from the fake Gazelle's invoices: each line keeps its piano, a sync that deducts
nothing learns each piano's last maintenance, and the pianos due are listed (API and page)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from inventaire.deductions.models import DeductedService
from inventaire.kit.database import utcnow
from inventaire.pianos.models import PianoService
from inventaire.pianos.service import months_between
from inventaire.regles import service as regles
from inventaire.stock.models import StockLine, Transaction
from inventaire.tasks import gazelle_run
from tests.helpers import make_line, make_product, make_technician

PLS, PLS_TUNING, TRAIT = "mit_2eBOzDvunD7PHs6M", "mit_fyPj2I8R4VQtEkkm", "mit_CX6CvWXbjs08vg70"
ALLAN = "usr_aS8wQ2nLk4Tz"


def months_ago(months: int, days: int = 0) -> str:
    today = utcnow().astimezone(ZoneInfo("America/Montreal")).date()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return (dt.date(year, month + 1, min(today.day, 28)) - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def shop(db_session):
    allan = make_technician(db_session, nom="Allan", gazelle_id=ALLAN)
    products = {code: make_product(db_session, code_produit=code) for code in ("PLS-BUVARDS", "PLS-GAINE", "PLS-TRAIT-227")}
    for product in products.values():
        make_line(db_session, allan, product, 50)
    for code, service in (("PLS-BUVARDS", PLS), ("PLS-GAINE", PLS), ("PLS-BUVARDS", PLS_TUNING),
                          ("PLS-GAINE", PLS_TUNING), ("PLS-TRAIT-227", TRAIT)):
        regles.create(db_session=db_session, service_id=service, product=products[code], quantite=Decimal(1))
    db_session.commit()


@pytest.fixture
def invoices(gazelle):
    """Six pianos' histories (the day shifts keep « months since » away from a month's edge)."""
    gazelle.add_invoice(1, date=months_ago(12), client="Lina Vanelli", items=[(PLS, 100, None, None, "pno_A")])
    gazelle.add_invoice(2, date=months_ago(5), client="Marc Aubin", items=[(PLS, 100, None, None, "pno_B")])
    gazelle.add_invoice(3, date=months_ago(13), client="Chorale Saint-Denis",
                        items=[(PLS, 100, None, None, "pno_C")])
    gazelle.add_invoice(4, date=months_ago(2), client="Chorale Saint-Denis",
                        items=[(PLS_TUNING, 100, None, None, "pno_C")])
    gazelle.add_invoice(5, date=months_ago(12), client="Jade Roy", items=[(TRAIT, 100, None, None, "pno_D")])
    gazelle.add_invoice(6, date=months_ago(11), status="CANCELED", client="Paul Roy",
                        items=[(PLS, 100, None, None, "pno_E")])
    gazelle.add_invoice(7, date=months_ago(13, days=3), client="École Vincent-d'Indy",
                        items=[(PLS_TUNING, 100, None, None, "pno_F"), (None, 100, "Déplacement")])
    gazelle.add_invoice(8, date=months_ago(12), status="DRAFT", client="Brouillon", items=[(PLS, 100, None, None, "pno_G")])


def ledger(db_session) -> list[tuple]:
    db_session.expire_all()
    return [tuple(r) for r in db_session.execute(select(StockLine.id, StockLine.quantite).order_by(StockLine.id))] + [
        (db_session.scalar(select(func.count()).select_from(Transaction)),)]


def test_a_year_read_without_deducting_lists_the_pianos_due(gazelle, gz_settings, session_factory, shop, invoices,
                                                           db_session, client):
    before = ledger(db_session)
    result = gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, jours=400, sans_deduire=True)
    assert result.rapport.sans_deduire is True and result.rapport.lignes_avec_piano == 7  # the draft waits
    assert ledger(db_session) == before  # nothing deducted
    assert db_session.scalar(select(func.count()).select_from(DeductedService)) == 0
    due = client.get("/inventaire/entretiens-pls")
    assert due.status_code == 200, due.text
    assert [(p["piano_id"], p["client"], p["dernier_entretien"], p["mois_depuis"], p["rendez_vous_prevu"])
            for p in due.json()] == [
        ("pno_F", "École Vincent-d'Indy", months_ago(13, days=3), 13, None),
        ("pno_A", "Lina Vanelli", months_ago(12), 12, None),
    ]  # B: 5 months; C: done again 2 months ago; D: water treatment is no maintenance; E: cancelled


def test_a_deducting_sync_keeps_each_line_s_piano_and_learns_too(gazelle, gz_settings, session_factory, shop,
                                                                invoices, db_session, client):
    gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, jours=400)
    db_session.expire_all()
    service = db_session.scalar(select(DeductedService).where(DeductedService.id_externe == "inv_7"))
    assert [(line["id_externe"], line["piano_id"]) for line in service.lignes] == [("ini_7_0", "pno_F"),
                                                                                    ("ini_7_1", None)]
    assert [p["piano_id"] for p in client.get("/inventaire/entretiens-pls").json()] == ["pno_F", "pno_A"]
    gazelle.set_status(1, "CANCELED")  # the office cancels piano A's maintenance invoice: it is no longer known
    gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, jours=400)
    assert [p["piano_id"] for p in client.get("/inventaire/entretiens-pls").json()] == ["pno_F"]
    assert db_session.scalar(select(func.count()).select_from(PianoService).where(PianoService.annule.is_(True))) == 2


def test_the_office_sees_the_list_on_its_page(gazelle, gz_settings, session_factory, shop, invoices, pages):
    gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, jours=400, sans_deduire=True)
    html = pages.get("/entretiens-pls").text
    assert "<h1>Entretiens PLS à prévoir</h1>" in html and '<a href="/entretiens-pls" aria-current="page">' in html
    assert "Lina Vanelli" in html and "École Vincent-d&#39;Indy" in html and "Marc Aubin" not in html
    assert "13 mois <strong>(en retard)</strong>" in html and "12 mois (dû)" in html and "à appeler" in html
    assert f"{PLS}, {PLS_TUNING}" in html


def test_months_between_counts_whole_months():
    assert months_between(dt.date(2026, 1, 29), dt.date(2026, 2, 28)) == 0
    assert months_between(dt.date(2026, 1, 28), dt.date(2026, 2, 28)) == 1
    assert months_between(dt.date(2025, 12, 7), dt.date(2026, 12, 7)) == 12
    assert months_between(dt.date(2025, 12, 8), dt.date(2026, 12, 7)) == 11


def _maintained(db_session, piano: str, day: dt.date, service: str = PLS) -> None:
    from inventaire.deductions.schemas import ServiceIn
    from inventaire.pianos import service as pianos

    pianos.record(db_session=db_session, entry=ServiceIn(
        source="gazelle", id_externe=f"inv_{piano}_{day}", statut="actif", client="Client", date=day,
        lignes=[{"id_externe": f"ini_{piano}_{day}", "service_id": service, "quantite": 1, "piano_id": piano}]))


def test_the_suggestion_counts_the_parts_of_the_pianos_coming_due(client, db_session, shop):
    """No past use (rate 0): the forecast of the pads is the pianos coming due within the days covered."""
    from inventaire.catalogue import service as catalogue
    from tests.helpers import make_workshop

    make_workshop(db_session, nom="Atelier")
    catalogue.update(db_session=db_session, product=_pads(db_session), changes={"fournisseur": "Dampp-Chaser"})
    today = utcnow().date()
    year_ago = today - dt.timedelta(days=365)
    for n, shift in enumerate((5, 10)):  # due in 5 and 10 days
        _maintained(db_session, f"pno_{n}", year_ago + dt.timedelta(days=shift))
    _maintained(db_session, "pno_demain", year_ago + dt.timedelta(days=1), PLS_TUNING)  # due tomorrow
    _maintained(db_session, "pno_tard", year_ago - dt.timedelta(days=45))  # late: counted in an earlier window
    _maintained(db_session, "pno_loin", year_ago + dt.timedelta(days=20))  # due in 20 days
    _maintained(db_session, "pno_eau", year_ago + dt.timedelta(days=3), TRAIT)  # no PLS maintenance
    db_session.commit()

    def pads() -> dict:
        body = client.get("/inventaire/commandes/suggestion", params={"atelier": "Atelier"}).json()
        return next(x for s in body["fournisseurs"] for x in s["lignes"] if x["code_produit"] == "PLS-BUVARDS")

    line = pads()
    assert (line["jours_couverts"], line["demande_pls"], line["prevision"], line["a_commander"]) == (14, 3, 3, 3)
    client.put("/inventaire/fournisseurs/Dampp-Chaser", json={"delai_jours": 10})  # 24 days: the third one too
    line = pads()
    assert (line["jours_couverts"], line["demande_pls"], line["a_commander"]) == (24, 4, 4)


def _pads(db_session):
    from inventaire.catalogue import service as catalogue

    return catalogue.get_by_code(db_session=db_session, code_produit="PLS-BUVARDS")


def test_the_backtest_compares_the_forecast_with_and_without_the_pls_term(db_session, shop):
    """Two years of autumn-heavy maintenance: once a year of pianos is known, the PLS term's monthly
    error is far below the rate's (the rate lags the season; the cycle says who comes back when)."""
    from inventaire.pianos import backtest
    from tests.pianos.history import build

    van = db_session.scalar(select(StockLine).where(StockLine.produit_id == _pads(db_session).id)).emplacement
    wick = _get_product(db_session, "PLS-GAINE")
    build(db_session, van=van, pads=_pads(db_session), wick=wick, count=60, years=2,
          today=utcnow().date() - dt.timedelta(days=1))
    db_session.commit()
    months = backtest.run(db_session=db_session, pads_code="PLS-BUVARDS")
    assert len(months) >= 19 and sum(m.annee_connue for m in months) >= 8
    known = [m for m in months if m.annee_connue]
    assert all(m.reel >= 0 for m in months) and sum(m.pianos_dus for m in known) > 40
    error_without = sum(m.erreur_sans for m in known) / len(known)
    error_with = sum(m.erreur_avec for m in known) / len(known)
    assert error_with < 0.6 * error_without, (error_with, error_without)


def _get_product(db_session, code):
    from inventaire.catalogue import service as catalogue

    return catalogue.get_by_code(db_session=db_session, code_produit=code)


def test_a_piano_with_an_appointment_booked_says_when(gazelle, gz_settings, session_factory, shop, invoices, client):
    """« rendez_vous_prevu »: the day of the next booked appointment whose services name the piano."""
    day = utcnow().astimezone(ZoneInfo("America/Montreal")).date() + dt.timedelta(days=3)
    gazelle.add_event("evt_pls_a", start=f"{day.isoformat()}T15:00:00Z", items=[(PLS, 100, None, "pno_A")])
    gazelle.add_event("evt_cancelled", start=f"{day.isoformat()}T17:00:00Z", status="CANCELED",
                      items=[(PLS, 100, None, "pno_F")])
    gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, jours=400, sans_deduire=True)
    due = {p["piano_id"]: p["rendez_vous_prevu"] for p in client.get("/inventaire/entretiens-pls").json()}
    assert due["pno_A"] == day.isoformat()  # listed with the day it is booked for
    assert due["pno_F"] is None  # a cancelled appointment books nothing
