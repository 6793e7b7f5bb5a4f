"""Quantity over time and monthly consumption, rebuilt from the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from inventaire.stock import history
from inventaire.stock import service as stock
from tests.helpers import make_product, make_technician

MONTREAL = ZoneInfo("America/Montreal")
NOW = dt.datetime(2025, 12, 9, 18, 30, tzinfo=dt.UTC)


def _move(db_session, tech, product, delta, at, kind=None):
    kind = kind or ("reception" if delta > 0 else "utilisation")
    return stock.adjust(db_session=db_session, location=tech, product=product, kind=kind,
                        delta=Decimal(delta), auteur="essai", at=at, cause="manuel")


def test_series_follow_the_ledger(db_session):
    allan, margot = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Margot")
    cord = make_product(db_session, code_produit="CORD-012", seuil_reorder=Decimal(2))
    t0 = NOW - dt.timedelta(days=10)
    rows = [_move(db_session, allan, cord, 5, t0), _move(db_session, allan, cord, -2, t0 + dt.timedelta(days=1)),
            _move(db_session, margot, cord, 3, t0 + dt.timedelta(days=2))]
    stock.set_levels(db_session=db_session, location=margot, product=cord, changes={"seuil_min": Decimal(1)})
    lines = history.quantity_history(db_session=db_session, product=cord, location=None, since=None,
                                     default=Decimal(5))
    assert [(h.technicien, h.quantite, h.seuil) for h in lines] == [("Allan", 3, 2), ("Margot", 3, 1)]
    assert [(p.at, p.quantite, p.transaction_id) for p in lines[0].points] == [
        (rows[0].created_at, 5, rows[0].id), (rows[1].created_at, 3, rows[1].id)]
    only = history.quantity_history(db_session=db_session, product=cord, location=margot, since=None,
                                    default=Decimal(5))
    assert [h.technicien for h in only] == ["Margot"]


def test_a_window_starts_at_the_level_it_had_then(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012")
    old = _move(db_session, allan, cord, 8, NOW - dt.timedelta(days=100))
    recent = _move(db_session, allan, cord, -1, NOW - dt.timedelta(days=5))
    since = NOW - dt.timedelta(days=30)
    [line] = history.quantity_history(db_session=db_session, product=cord, location=allan, since=since,
                                      default=Decimal(5))
    assert [(p.at, p.quantite, p.transaction_id) for p in line.points] == [
        (since, 8, old.id), (recent.created_at, 7, recent.id)]


def test_months_are_calendar_months_in_the_company_timezone():
    assert history.month_starts(dt.date(2025, 2, 14), 3) == [dt.date(2024, 12, 1), dt.date(2025, 1, 1),
                                                             dt.date(2025, 2, 1)]


def test_monthly_consumption_counts_uses_only(db_session):
    allan, nicolas = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Nicolas")
    cord = make_product(db_session, code_produit="CORD-012")
    felt = make_product(db_session, code_produit="FEUT-ETOUF", unite="m")
    _move(db_session, allan, cord, 20, NOW - dt.timedelta(days=80))
    _move(db_session, allan, felt, 5, NOW - dt.timedelta(days=80))
    _move(db_session, nicolas, cord, 20, NOW - dt.timedelta(days=80))
    # 2025-12-01 03:00 UTC is still November 30 in Montréal.
    _move(db_session, allan, cord, -2, dt.datetime(2025, 12, 1, 3, 0, tzinfo=dt.UTC))
    _move(db_session, allan, cord, -1, dt.datetime(2025, 12, 5, 15, 0, tzinfo=dt.UTC))
    _move(db_session, allan, felt, Decimal("-0.5"), dt.datetime(2025, 12, 6, tzinfo=dt.UTC))
    _move(db_session, nicolas, cord, -4, dt.datetime(2025, 10, 10, tzinfo=dt.UTC))
    _move(db_session, allan, cord, -1, dt.datetime(2025, 12, 7, tzinfo=dt.UTC), kind="ajustement")  # not a use
    stock.count(db_session=db_session, location=allan, product=cord, counted=Decimal(10), auteur="essai",
                at=dt.datetime(2025, 12, 8, tzinfo=dt.UTC))
    months, uses = history.monthly_consumption(db_session=db_session, location=None, months=3, zone=MONTREAL,
                                               now=NOW)
    assert months == [dt.date(2025, 10, 1), dt.date(2025, 11, 1), dt.date(2025, 12, 1)]
    assert [(u.code_produit, u.par_mois, u.total) for u in uses] == [
        ("CORD-012", [4, 2, 1], 7), ("FEUT-ETOUF", [0, 0, Decimal("0.5")], Decimal("0.5"))]
    _, allan_uses = history.monthly_consumption(db_session=db_session, location=allan, months=3,
                                                zone=MONTREAL, now=NOW)
    assert allan_uses[0].par_mois == [0, 2, 1]
