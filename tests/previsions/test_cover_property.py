"""The cover with booked demand (previsions/cover.py): more booked demand never gives more days of
cover, nor a later stockout; and cases worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from inventaire.kit.enums import StockoutSource
from inventaire.previsions.cover import cover, cover_days, source

TODAY = dt.date(2026, 12, 7)
amounts = st.decimals(min_value=0, max_value=500, places=3)
rates = st.floats(min_value=0, max_value=50, allow_nan=False)
days = st.lists(st.decimals(min_value=0, max_value=100, places=3), min_size=0, max_size=21)


def _later(a: dt.date | None, b: dt.date | None) -> bool:
    """Whether stockout `a` is later than `b` (None: never, the latest of all)."""
    if a is None:
        return b is not None
    return b is not None and a > b


@given(quantity=amounts, rate=rates, booked=days, extra=st.data())
def test_more_booked_demand_never_gives_more_cover(quantity, rate, booked, extra):
    more = [b + extra.draw(st.decimals(min_value=0, max_value=100, places=3)) for b in booked]
    days_before, stockout_before = cover(quantity, rate, TODAY, [float(b) for b in booked])
    days_after, stockout_after = cover(quantity, rate, TODAY, [float(b) for b in more])
    if days_before is not None:
        assert days_after is not None and days_after <= days_before
    assert not _later(stockout_after, stockout_before)


def test_by_hand():
    # 10 at 1 a day: day 10, as the rate alone always said.
    assert cover(Decimal(10), 1.0, TODAY) == (Decimal("10.0"), TODAY + dt.timedelta(days=10))
    # Day 1 books 4 (over the rate of 1): 1 + 4 by the end of day 1, then 1 a day: 5 more days.
    assert cover(Decimal(10), 1.0, TODAY, [0, 4]) == (Decimal("7.0"), TODAY + dt.timedelta(days=7))
    # Bookings under the rate change nothing: the larger one, never the sum.
    assert cover(Decimal(10), 1.0, TODAY, [0.5, 0.5, 1]) == (Decimal("10.0"), TODAY + dt.timedelta(days=10))
    # No rate: runs out on the booked day it cannot cover (3 left for day 2's 6: half of it).
    assert cover(Decimal(5), 0.0, TODAY, [0, 2, 6]) == (Decimal("2.5"), TODAY + dt.timedelta(days=2))
    # No rate and bookings that never exhaust it: no cover figure, no stockout.
    assert cover(Decimal(9), 0.0, TODAY, [0, 2, 6]) == (None, None)
    assert cover(Decimal(9), 0.0, TODAY) == (None, None)
    # A rate so small the division overflows: beyond a century, as any rate that small.
    assert cover(Decimal(500), 5e-324, TODAY, [0, 1]) == (Decimal(36_500), None)


def test_split_and_source():
    quantities, line_rates = np.array([10.0, 10.0, 10.0]), np.array([1.0, 1.0, 0.0])
    booked = np.array([[0, 4, 0], [0, 0, 0], [3, 0, 0]], dtype=float)
    covers = cover_days(quantities, line_rates, booked)
    assert list(covers.days) == [7.0, 10.0, np.inf]
    assert list(covers.booked_days) == [1.0, 0.0, 1.0]
    assert [source(covers, i) for i in range(3)] == [StockoutSource.RYTHME, StockoutSource.RYTHME, None]
    short = cover_days(np.array([3.0]), np.array([1.0]), np.array([[0, 4, 0]], dtype=float))
    assert list(short.days) == [1.5] and source(short, 0) == StockoutSource.RENDEZ_VOUS
