"""The consumption rate of a series of daily uses: Croston's method with the SBA correction,
and obsolescence.

Why this method. Most parts here are used on a few days only (a hammer head now and then, a
PLS heating bar twice a year), a few every day. A plain mean over the period reacts late (the
PLS season before winter shows weeks after it started) and a single busy day moves it a lot.
An exponentially weighted daily rate (or TSB, which smooths the probability of a use every
day) saw-tooths on intermittent parts: high right after a use, low just before the next, by
±20 % for a part used every ten days (measured in the tests). Croston's method smooths two
things that only change on a day of use: the size of a use `z` and the interval between
uses `q`; the rate is z / q, steady between uses.

Three known weaknesses of Croston, and what is done about each:
- its bias (the mean of z / q is above the rate): the Syntetos–Boylan correction 1 − α/2,
  scaled by the share of days without use, 1 − 1/q, so that a part used every day is not
  underestimated (Syntetos & Boylan 2005 apply it to intermittent series only);
- it never decays: a part no longer used keeps its old rate for ever. Once the time since the
  last use exceeds twice the usual interval, half that time is the interval (z / (elapsed / 2)):
  a weekend without use does not lower a part used every weekday, a month without use does;
- busy days: sizes above the larger of 3 × the median size and the 95th percentile are
  clipped, so a few exceptional days move z by α of a clipped excess.
Parts used on fewer than `MIN_USE_DAYS` days of the period (once a year) get the plain mean
over the period: two smoothed numbers fitted on one or two uses say nothing more.

The series are floats: a forecast is an estimate shown to people, never a quantity written
to stock (the service turns the rates into Decimals with 3 decimals).
"""

from __future__ import annotations

import numpy as np

ALPHA = 0.1  # smoothing of sizes and intervals, per day of use
MIN_USE_DAYS = 3
CLIP_MEDIANS = 3.0
CLIP_QUANTILE = 95


def rates(daily: np.ndarray, in_stock: np.ndarray | None = None) -> np.ndarray:
    """The rate per day of each row of a (series × days) array of daily uses, oldest day first.

    `in_stock` (same shape, booleans) tells which days the line had stock: a day it was empty
    and nothing was used is not a day without demand, so it is left out (time stops while the
    van waits for its refill). Rows without any use get 0. All rows are updated together, one
    day at a time (a few thousand lines cost a few milliseconds).
    """
    uses = np.clip(np.asarray(daily, dtype=float), 0.0, None)
    if uses.ndim != 2 or uses.shape[1] == 0:
        raise ValueError("expected a 2-d array with at least one day")
    rows, days = uses.shape
    used = uses > 0
    counted = used | (np.ones_like(used) if in_stock is None else np.asarray(in_stock, dtype=bool))
    span = counted.sum(axis=1)  # days that count, per row
    use_days = used.sum(axis=1)
    plain_mean = np.divide(uses.sum(axis=1), span, out=np.zeros(rows), where=span > 0)
    sizes = _clipped(uses, used)
    # Started at the period's averages; the first use has no known interval before it.
    z = np.divide(sizes.sum(axis=1), use_days, out=np.zeros(rows), where=use_days > 0)
    q = np.divide(span, use_days, out=np.ones(rows), where=use_days > 0)
    clock = np.zeros(rows)
    last = np.full(rows, -1.0)
    for t in range(days):
        clock += counted[:, t]
        today = used[:, t]
        seen = today & (last >= 0)
        q = np.where(seen, q + ALPHA * ((clock - last) - q), q)
        z = np.where(today, z + ALPHA * (sizes[:, t] - z), z)
        last = np.where(today, clock, last)
    elapsed = clock - last  # days that count since the last use (0: used on the last one)
    interval = np.maximum(q, elapsed / 2)
    correction = 1 - ALPHA / 2 * (1 - 1 / np.maximum(q, 1))
    croston = correction * z / np.maximum(interval, 1)
    return np.where(use_days >= MIN_USE_DAYS, croston, plain_mean)


def _clipped(uses: np.ndarray, used: np.ndarray) -> np.ndarray:
    """Daily uses with exceptional days clipped (see the module's docstring)."""
    bound = np.maximum(CLIP_MEDIANS * _quantile(uses, used, 0.5), _quantile(uses, used, CLIP_QUANTILE / 100))
    return np.minimum(uses, np.where(used.any(axis=1), bound, np.inf)[:, None])


def _quantile(uses: np.ndarray, used: np.ndarray, share: float) -> np.ndarray:
    """Each row's quantile of its days of use (linear interpolation, as numpy's default).

    Sorting once with the days without use pushed to the end: numpy's nanpercentile along an
    axis took 1.3 s for 10,000 lines of 90 days, this 30 ms (measured, BENCHMARKS.md).
    """
    ordered = np.sort(np.where(used, uses, np.inf), axis=1)
    count = used.sum(axis=1)
    position = np.maximum(count - 1, 0) * share
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, np.maximum(count - 1, 0))
    below = np.take_along_axis(ordered, low[:, None], axis=1)[:, 0]
    above = np.take_along_axis(ordered, high[:, None], axis=1)[:, 0]
    with np.errstate(invalid="ignore"):  # rows without any use: inf − inf, never used
        return below + (above - below) * (position - low)
