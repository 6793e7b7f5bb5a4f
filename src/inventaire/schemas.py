"""Field types shared by the API schemas: exact decimals in, JSON numbers out."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
# Control characters (tab and line breaks aside): PostgreSQL refuses NUL, and no person types them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(value: str) -> str:
    """Texts a person typed: no control characters, composed accents (NFC)."""
    if _CONTROL.search(value):
        raise ValueError("ne doit pas contenir de caractères de contrôle")
    return unicodedata.normalize("NFC", value)


Printable = AfterValidator(_printable)


def text(max_length: int, min_length: int = 1) -> Any:
    """The type of a trimmed text a person typed, of `min_length` to `max_length` characters."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length), Printable
    ]


def _numbers_only(value: Any) -> Any:
    """JSON numbers only: "2" or true is a mistake in a script, not a quantity."""
    if isinstance(value, (str, bool)):
        raise ValueError("doit être un nombre")
    return value


def to_json_number(value: Decimal) -> int | float:
    """Whole numbers as integers, others as the shortest float (exact up to 15 digits)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


_DECIMAL_OUT = PlainSerializer(to_json_number, return_type=int | float, when_used="json")

QuantityIn = Annotated[
    Decimal,
    BeforeValidator(_numbers_only),
    Field(max_digits=12, decimal_places=3, allow_inf_nan=False, ge=Decimal("-999999999.999"),
          le=Decimal("999999999.999"), examples=[2]),
    _DECIMAL_OUT,
]
NonNegativeQuantityIn = Annotated[QuantityIn, Field(ge=0)]
MoneyIn = Annotated[
    Decimal,
    BeforeValidator(_numbers_only),
    Field(max_digits=12, decimal_places=2, allow_inf_nan=False, ge=0, le=Decimal("9999999999.99"),
          examples=[12.5]),
    _DECIMAL_OUT,
]
DecimalOut = Annotated[Decimal, _DECIMAL_OUT]

Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN), Field(examples=["CORD-001"])]
Name = Annotated[text(60), Field(examples=["Allan"])]

def to_utc_iso(value: dt.datetime) -> str:
    """ISO 8601 in UTC with an explicit "+00:00", as the contract's examples show (naive means UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


Timestamp = Annotated[dt.datetime, PlainSerializer(to_utc_iso, return_type=str, when_used="json")]
