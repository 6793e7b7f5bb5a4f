"""Dates: the range this service accepts from a person (one check, everywhere a date is read), and
the French month names and date formats every page, e-mail, PDF and CLI output uses.

Python's datetime stops at years 1 and 9999: `0001-01-01T00:00:00+01:00` converted to UTC, or
the end of `9999-12-31` plus a day, raised OverflowError (a 500). Nothing of this company's
stock happened before 1900 or will after 2999, so dates outside are refused as invalid input.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar
from zoneinfo import ZoneInfo

from inventaire.kit.quantities import NBSP
from inventaire.kit.schemas import invalid

FIRST_YEAR, LAST_YEAR = 1900, 2999
OUT_OF_RANGE = f"date invalide : hors de la plage prise en charge (années {FIRST_YEAR} à {LAST_YEAR})"


D = TypeVar("D", bound=dt.date | None)  # a datetime is a date too


def in_range(value: D) -> D:
    """The date itself, or ValueError (French) when its year is outside FIRST_YEAR..LAST_YEAR."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(OUT_OF_RANGE)
    return value


def checked(value: D) -> D:
    """in_range for validators: the same refusal as a French validation error."""
    try:
        return in_range(value)
    except ValueError as exc:
        raise invalid(str(exc)) from None


# The range in OpenAPI (years 1900 to 2999), for the date parameters' schema.
YEAR_PATTERN = r"^(19|2[0-9])[0-9]{2}-"


# The month names, written once: in full (e-mails: « 9 décembre 2025 ») and abbreviated (pages, PDF:
# « 9 déc. 2025 »). web/static/evolution.js keeps a copy of the short ones for the chart's axis.
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
MONTHS_SHORT = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def day(value: dt.date) -> str:
    """9 déc. 2025 (a calendar day: no timezone involved; the pages' and the CLI's way)."""
    return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year}"


class Clock:
    """Dates shown in the company's timezone."""

    def __init__(self, tz: str):
        self.zone = ZoneInfo(tz)

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(self.zone)

    def date(self, value: dt.datetime | dt.date | None) -> str:
        """9 déc. 2025"""
        if value is None:
            return "—"
        if isinstance(value, dt.datetime):
            value = self.local(value)
        return day(value)

    def date_time(self, value: dt.datetime | None) -> str:
        """9 déc. 2025, 13 h 05"""
        if value is None:
            return "—"
        local = self.local(value)
        return f"{self.date(local)}, {local.hour}{NBSP}h{NBSP}{local.minute:02d}"

    def iso(self, value: dt.datetime) -> str:
        """ISO 8601 in local time with its offset (CSV exports)."""
        return self.local(value).replace(microsecond=0).isoformat()

    def long(self, value: dt.datetime) -> str:
        """« 9 décembre 2025 à 13 h 30 », « 1er décembre… » (e-mails)."""
        local = self.local(value)
        day = "1er" if local.day == 1 else str(local.day)
        return f"{day} {MONTHS[local.month - 1]} {local.year} à {local.hour} h {local.minute:02d}"


def month(value: dt.date) -> str:
    """déc. 2025"""
    return f"{MONTHS_SHORT[value.month - 1]} {value.year}"
