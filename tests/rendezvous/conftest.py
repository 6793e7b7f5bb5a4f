"""The fake Gazelle of tests/gazelle for the appointments' tests, and dates relative to today in Montréal."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.gazelle.conftest import gazelle, gz_settings  # noqa: F401  (fixtures)

MONTREAL = ZoneInfo("America/Montreal")


def local_day(offset: int) -> dt.date:
    return dt.datetime.now(MONTREAL).date() + dt.timedelta(days=offset)


def at(offset: int, hour: int, minute: int = 0) -> str:
    """Gazelle's `start` (UTC, Z) of `hour`:`minute` in Montréal, `offset` days from today."""
    moment = dt.datetime.combine(local_day(offset), dt.time(hour, minute), MONTREAL)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
