"""The backtest: a replay on a constructed ledger with known answers, and the command on the demo."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from inventaire.previsions import backtest
from inventaire.stock import service as stock
from tests.commands import flat, run_cli
from tests.helpers import make_product, make_technician

START = dt.datetime(2026, 1, 5, 14, 0, tzinfo=dt.UTC)


def _at(day: int) -> dt.datetime:
    return START + dt.timedelta(days=day)


def test_a_steady_line_is_forecast_exactly_and_its_stockout_foreseen(db_session):
    allan, cord = make_technician(db_session), make_product(db_session)
    stock.adjust(db_session=db_session, location=allan, product=cord, kind="reception", delta=Decimal(130),
                 auteur="essai", at=_at(0), cause="manuel")
    for day in range(1, 131):  # one a day: empty on day 130, which the forecast sees coming
        stock.adjust(db_session=db_session, location=allan, product=cord, kind="utilisation",
                     delta=Decimal(-1), auteur="essai", at=_at(day), cause="manuel")
    stock.adjust(db_session=db_session, location=allan, product=cord, kind="reception", delta=Decimal(5),
                 auteur="essai", at=_at(140), cause="manuel")
    result = backtest.run(db_session=db_session, jours=60)
    weeks = len(range(60, 141 - 7 + 1, 7))
    assert result.semaines == weeks and result.lignes == 1 and result.ruptures == 1
    assert result.premier_jour == (START + dt.timedelta(days=60)).date()
    assert result.scores["croston_sba"].prevues == 1
    # Until the stockout, every week used 7 and both methods said 7; afterwards nothing was used.
    errors = result.scores["croston_sba"].erreurs_absolues
    assert errors[:9] == pytest.approx([0.0] * 9, abs=1e-9)
    assert result.scores["moyenne"].mae() > result.scores["croston_sba"].mae()  # the mean is slow to see the stop


def test_an_empty_ledger_replays_nothing(db_session):
    result = backtest.run(db_session=db_session, jours=90)
    assert result.semaines == 0 and result.ruptures == 0 and result.share_foreseen("croston_sba") is None


def test_the_command_on_the_demo_prints_its_figures(fresh_database):
    assert run_cli(fresh_database.url, "demo").exit_code == 0
    result = run_cli(fresh_database.url, "previsions", "backtest")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert re.search(r"\d+ semaines rejouées depuis le \d{1,2} \S+ \d{4}, 96 lignes, \d+ unités consommées, \d+ ruptures\.", out)
    for label in ("Croston-SBA", "Moyenne simple"):
        assert re.search(label + r" \d+,\d{3} \d+,\d{3} \d+,\d % \d+,\d % \(\d+/\d+\)", out), out
    assert "ruptures annoncées au moins 3 jours avant" in out


def test_the_command_says_when_the_ledger_is_too_short(fresh_database):
    result = run_cli(fresh_database.url, "previsions", "backtest", "--jours", "30")
    assert result.exit_code == 0
    assert "Historique trop court : il faut plus de 37 jours de journal" in flat(result.stdout)
    assert run_cli(fresh_database.url, "previsions", "backtest", "--jours", "3").exit_code == 2
