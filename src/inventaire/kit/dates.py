"""The dates this service accepts from a person: one range, one check, everywhere a date is read.

Python's datetime stops at years 1 and 9999: `0001-01-01T00:00:00+01:00` converted to UTC, or
the end of `9999-12-31` plus a day, raised OverflowError (a 500). Nothing of this company's
stock happened before 1900 or will after 2999, so dates outside are refused as invalid input.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

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
