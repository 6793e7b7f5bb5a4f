"""Days of cover with booked demand: pure functions over arrays, one entry per line.

Day 0 is today. Over the booked horizon each day consumes max(that day's booked parts, the
rate); after it, the rate alone. The bookings are the known floor of a day; the rate covers the
walk-in work and the services no rule covers. Taking the larger one, not the sum, never counts
an appointment twice (the rate was learnt from past appointments' uses) and makes more booked
demand never give more days of cover nor a later stockout (tests/previsions/test_cover_property.py).

Within a day consumption is spread evenly, as the rate alone always was: a line of 10 at 1 a
day has 10 days of cover and runs out on day 10. A line with no rate runs out on the booked day
its stock cannot cover; if the bookings never exhaust it, it has no cover figure and no stockout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from inventaire.kit.enums import StockoutSource

COVER_STEP = Decimal("0.1")
MAX_COVER_DAYS = 36_500


@dataclass
class Covers:
    """Per line: days of cover (inf: never), the days of it set by the bookings, what exhausts the line."""

    days: np.ndarray
    booked_days: np.ndarray
    by_bookings: np.ndarray  # bool: the day it runs out is a booked day whose bookings exceed the rate


def cover_days(quantities: np.ndarray, rates: np.ndarray, booked: np.ndarray) -> Covers:
    """Days of cover of each line: `booked` is (lines × horizon days) of booked parts, day 0 today."""
    stock = np.maximum(quantities, 0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        days = np.where(rates > 0, stock / np.where(rates > 0, rates, 1.0), np.inf)
    booked_days, by_bookings = np.zeros(len(stock)), np.zeros(len(stock), dtype=bool)
    if booked.size == 0:
        return Covers(_finite_with_rate(days, rates), booked_days, by_bookings)
    above = booked > rates[:, None]
    rows = np.flatnonzero(above.any(axis=1))  # bookings under the rate every day change nothing
    if rows.size == 0:
        return Covers(_finite_with_rate(days, rates), booked_days, by_bookings)
    horizon = booked.shape[1]
    per_day = np.maximum(booked[rows], rates[rows, None])
    ends = np.cumsum(per_day, axis=1)  # used by the end of each day
    starts = np.hstack([np.zeros((len(rows), 1)), ends[:, :-1]])
    need = stock[rows]
    reached = ends >= need[:, None]
    hit = reached.any(axis=1)
    first = reached.argmax(axis=1)
    pick = np.arange(len(rows))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.where(per_day[pick, first] > 0, (need - starts[pick, first]) / per_day[pick, first], 0.0)
        after = np.where(rates[rows] > 0, horizon + (need - ends[:, -1]) / np.where(rates[rows] > 0, rates[rows], 1.0),
                         np.inf)
    found = np.where(hit, first + np.clip(share, 0.0, 1.0), after)
    days[rows] = found
    # Of the days covered, those on which the bookings, not the rate, set the consumption.
    covered = np.clip(np.minimum(found, horizon)[:, None] - np.arange(horizon)[None, :], 0.0, 1.0)
    booked_days[rows] = (covered * above[rows]).sum(axis=1)
    by_bookings[rows] = hit & above[rows][pick, first]
    return Covers(_finite_with_rate(days, rates), booked_days, by_bookings)


def _finite_with_rate(days: np.ndarray, rates: np.ndarray) -> np.ndarray:
    """A line with a rate always runs out: a tiny rate's overflow is beyond a century, not never."""
    return np.where((rates > 0) & ~np.isfinite(days), 10.0 * MAX_COVER_DAYS, days)


def as_cover(days: float, today: dt.date) -> tuple[Decimal | None, dt.date | None]:
    """Days of cover (rounded to a tenth) and the predicted stockout date of one line."""
    if not np.isfinite(days):
        return None, None
    if days > MAX_COVER_DAYS:  # beyond a century: nothing meaningful to show, and no date overflow
        return Decimal(MAX_COVER_DAYS), None
    return Decimal(days).quantize(COVER_STEP), today + dt.timedelta(days=int(days))


def source(covers: Covers, index: int) -> StockoutSource | None:
    """What exhausts line `index`: its bookings or its rate (None: it never runs out)."""
    if not np.isfinite(covers.days[index]) or covers.days[index] > MAX_COVER_DAYS:
        return None
    return StockoutSource.RENDEZ_VOUS if covers.by_bookings[index] else StockoutSource.RYTHME


def cover(quantite: Decimal, rate: float, today: dt.date,
          booked: Sequence[float] = ()) -> tuple[Decimal | None, dt.date | None]:
    """Days of cover and the predicted stockout date of one line used at `rate`, with its booked days."""
    found = cover_days(np.array([float(quantite)]), np.array([rate]), np.array([list(booked)], dtype=float))
    return as_cover(float(found.days[0]), today)
