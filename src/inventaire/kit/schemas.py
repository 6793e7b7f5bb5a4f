"""Field types shared by the API schemas: exact decimals in, JSON numbers out."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import annotated_types
from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from inventaire.kit.names import REFUSED_CLASS
from inventaire.kit.quantities import (
    DIGITS,
    MAX_MONEY,
    MAX_QUANTITY,
    MONEY_PLACES,
    MONEY_STEP,
    QUANTITY_PLACES,
    QUANTITY_STEP,
)

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
# A technician's e-mail and Gazelle user id (techniciens/schemas.py); errors.py words their refusals.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
GAZELLE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$"

# A billed service's id (a Gazelle MSL item, mit_…, or any code): the same characters as a Gazelle id,
# written apart so that a refusal shows a service's example, not a user's (kit/errors.py PATTERNS).
SERVICE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$"
# Control characters (tab and line breaks aside): PostgreSQL refuses NUL, and no person types them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Bidirectional overrides and isolates: « facture‮fdp.exe » shows reversed on a page or in a chat.
BIDI_CLASS = r"\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI_CLASS}]")


# The error type of this project's own validators: their message is French already, and
# errors.french_message shows it as it is (a plain ValueError gets the generic « valeur invalide »).
INVALID = "valeur_invalide"


def invalid(message: str) -> PydanticCustomError:
    """A validation error in French, for a validator to raise."""
    return PydanticCustomError(INVALID, message)


def _printable(value: str) -> str:
    """Texts a person typed: no control characters, composed accents (NFC)."""
    if _CONTROL.search(value):
        raise invalid("ne doit pas contenir de caractères de contrôle")
    if bidi := _BIDI.search(value):
        raise invalid(f"ne doit pas contenir de caractère qui inverse le sens du texte (U+{ord(bidi.group()):04X})")
    return unicodedata.normalize("NFC", value)


Printable = AfterValidator(_printable)


CONTROL_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"


# The whitespace pydantic trims (Unicode White_Space), spelt out: "\s" means a different set in
# Python, in ECMA-262 (the schema's dialect) and in Rust (pydantic's patterns).
WHITESPACE = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TRIMMED = rf"[{WHITESPACE}]"


def text_pattern(max_length: int, min_length: int = 1, refused: str = "") -> str:
    """What PersonText accepts, as a pattern: lengths count after trimming, which maxLength cannot say."""
    edge = f"[^{WHITESPACE}{CONTROL_CLASS}{BIDI_CLASS}{refused}]"
    core = rf"{edge}([^{CONTROL_CLASS}{BIDI_CLASS}{refused}]{{0,{max_length - 2}}}{edge})?"
    return rf"^{TRIMMED}*{core}{TRIMMED}*$" if min_length else rf"^{TRIMMED}*({core})?{TRIMMED}*$"


@dataclass(frozen=True)
class PersonText(annotated_types.GroupedMetadata):
    """A trimmed text a person typed, of `min_length` (0 or 1) to `max_length` characters.

    Metadata of ``Annotated[str, PersonText(60)]``, so type checkers see a ``str``.
    """

    max_length: int
    min_length: int = 1
    refused: str = ""  # more characters refused, as a regex class body (names: inventaire.kit.names)

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(strip_whitespace=True, min_length=self.min_length, max_length=self.max_length)
        yield Printable
        yield WithJsonSchema({
            "type": "string", "pattern": text_pattern(self.max_length, self.min_length, self.refused),
            "description": f"{self.min_length} à {self.max_length} caractères, sans caractère de contrôle "
                           "(les espaces autour sont retirés).",
        }, mode="validation")


def _numbers_only(value: Any) -> Any:
    """JSON numbers only: "2" or true is a mistake in a script, not a quantity."""
    if isinstance(value, (str, bool)):
        raise invalid("doit être un nombre")
    return value


def to_json_number(value: Decimal) -> int | float:
    """Whole numbers as integers, others as the shortest float (exact up to 15 digits)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


_DECIMAL_OUT = PlainSerializer(to_json_number, return_type=int | float, when_used="json")


def _number_schema(minimum: Decimal, maximum: Decimal, step: Decimal, example: float) -> WithJsonSchema:
    """The exact OpenAPI of a decimal input (pydantic cannot express a validator's bounds)."""
    return WithJsonSchema({"type": "number", "minimum": float(minimum), "maximum": float(maximum),
                           "multipleOf": float(step), "examples": [example]}, mode="validation")


_NUMBER_OUT = WithJsonSchema({"type": "number"}, mode="serialization")

QuantityIn = Annotated[
    Decimal,
    BeforeValidator(_numbers_only),
    Field(max_digits=DIGITS, decimal_places=QUANTITY_PLACES, allow_inf_nan=False, ge=-MAX_QUANTITY,
          le=MAX_QUANTITY, examples=[2]),
    _DECIMAL_OUT,
    _number_schema(-MAX_QUANTITY, MAX_QUANTITY, QUANTITY_STEP, -2),
    _NUMBER_OUT,
]
NonNegativeQuantityIn = Annotated[
    QuantityIn, Field(ge=0), _number_schema(Decimal(0), MAX_QUANTITY, QUANTITY_STEP, 2.5), _NUMBER_OUT
]
MoneyIn = Annotated[
    Decimal,
    BeforeValidator(_numbers_only),
    Field(max_digits=DIGITS, decimal_places=MONEY_PLACES, allow_inf_nan=False, ge=0, le=MAX_MONEY,
          examples=[12.5]),
    _DECIMAL_OUT,
    _number_schema(Decimal(0), MAX_MONEY, MONEY_STEP, 12.5),
    _NUMBER_OUT,
]
DecimalOut = Annotated[Decimal, _DECIMAL_OUT, _NUMBER_OUT]

Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN), Field(examples=["CORD-001"])]
# A person's name: also without "/", "\\" or invisible characters (the rule: inventaire/names.py).
Name = Annotated[str, PersonText(60, refused=REFUSED_CLASS), Field(examples=["Allan"])]


def to_utc_iso(value: dt.datetime) -> str:
    """ISO 8601 in UTC with an explicit "+00:00", as the contract's examples show (naive means UTC)."""
    if value.tzinfo is dt.UTC:  # what the database gives back (database.UTCDateTime): no conversion
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


Timestamp = Annotated[
    dt.datetime, PlainSerializer(to_utc_iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2025-12-09T18:30:00+00:00"]},
                   mode="serialization"),
]


def not_nullable(*fields: str):
    """A model's json_schema_extra: these optional fields may be left out, but not set to null.

    Typing them `X | None` keeps pydantic's plain nullable handling (and its error locations);
    the route refuses an explicit null, so the schema must not offer it.
    """

    def edit(schema: dict, _model) -> None:
        for name in fields:
            prop = schema["properties"][name]
            branches = [b for b in prop.pop("anyOf", []) if b.get("type") != "null"]
            if branches:
                prop.update(branches[0])
            prop.pop("default", None)

    return edit
