"""The rate estimate on constructed series with known rates (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from inventaire.previsions import method

DAYS = 90


def _rate(series) -> float:
    return float(method.rates(np.asarray(series, dtype=float)[None, :])[0])


def test_steady_use_is_its_rate():
    assert _rate(np.full(DAYS, 2.0)) == pytest.approx(2.0, rel=1e-9)


def test_intermittent_use_is_its_average_rate_whatever_the_phase():
    # 3 units every 10 days = 0.3 a day; the estimate stays within 15 % on every phase of the cycle.
    for phase in range(10):
        series = np.zeros(DAYS)
        series[phase::10] = 3
        assert _rate(series) == pytest.approx(0.3, rel=0.15), phase


def test_a_season_shows_before_the_plain_mean_sees_it():
    # One unit every 5 days for two months, then one a day (PLS work before winter).
    series = np.zeros(DAYS)
    series[:60:5] = 1
    series[60:] = 1
    rate = _rate(series)
    assert 0.75 <= rate <= 1.1
    assert abs(rate - 1) < abs(series.mean() - 1) / 2  # at least twice closer to the new rate


def test_a_few_busy_days_move_the_rate_little():
    series = np.ones(DAYS)
    series[[40, 70, 85]] = 15  # three exceptional days: the plain mean says 1.47
    assert _rate(series) == pytest.approx(1.0, rel=0.25)


def test_a_part_used_once_gets_the_plain_mean_not_a_trend():
    series = np.zeros(DAYS)
    series[-3] = 2  # used three days ago, once in the period
    assert _rate(series) == pytest.approx(2 / DAYS)


def test_a_part_no_longer_used_decays():
    series = np.zeros(DAYS)
    series[:45] = 1  # used every day, then not at all for 45 days
    assert _rate(series) < 0.15 < series.mean()


def test_nothing_used_is_zero_and_returns_give_nothing_back():
    assert _rate(np.zeros(DAYS)) == 0
    assert _rate(np.full(DAYS, -1.0)) == 0  # a day whose net consumption is negative counts as none


def test_rows_are_independent():
    rows = np.array([np.full(DAYS, 1.0), np.zeros(DAYS), np.r_[np.zeros(DAYS - 1), 5.0]])
    assert method.rates(rows).tolist() == pytest.approx([1.0, 0.0, 5 / DAYS])


def test_refuses_an_empty_period():
    with pytest.raises(ValueError):
        method.rates(np.zeros((1, 0)))


def test_a_weekend_without_use_does_not_lower_a_weekday_part():
    week = [1, 1, 1, 1, 1, 0, 0]  # the period ends on a Sunday: two days since the last use
    series = np.array((week * 13)[:DAYS - 1] + [0], dtype=float)
    series[-2] = 0
    assert _rate(series) == pytest.approx(5 / 7, rel=0.15)


def test_the_clipping_quantiles_are_numpys():
    rng = np.random.default_rng(7)
    uses = rng.poisson(0.4, (200, DAYS)).astype(float) * rng.integers(1, 5, (200, DAYS))
    uses[::9] = 0
    used = uses > 0
    some = used.any(axis=1)
    expected = np.nanpercentile(np.where(used, uses, np.nan)[some], [50, 95], axis=1)
    assert method._quantile(uses, used, 0.5)[some] == pytest.approx(expected[0])
    assert method._quantile(uses, used, 0.95)[some] == pytest.approx(expected[1])
