"""Rows of the exported tables as plain values (JSON and CSV) and back, exactly.

Decimals travel as strings ("12.50"), so no float ever touches a quantity or a price;
timestamps as ISO 8601 with their UTC offset. The columns come from the models, so a
column added later is exported without changing this module.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import cast

from sqlalchemy import Boolean, Column, Integer, Table

from inventaire.catalogue.models import Product
from inventaire.database import ScaledDecimal, UTCDateTime
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician

# (name in the export, table), parents before children.
TABLES: list[tuple[str, Table]] = [
    ("catalogue", cast(Table, Product.__table__)),
    ("techniciens", cast(Table, Technician.__table__)),
    ("stock", cast(Table, StockLine.__table__)),
    ("transactions", cast(Table, Transaction.__table__)),
]


class BadValue(ValueError):
    """A value of the export that does not fit its column."""


def encode(column: Column, value):
    """A database value as a JSON-safe value."""
    if value is None:
        return None
    if isinstance(column.type, ScaledDecimal):
        return format(value, "f")
    if isinstance(column.type, UTCDateTime):
        return value.astimezone(dt.UTC).isoformat()
    return value


def decode(column: Column, value):
    """A value read back from the export, typed for its column."""
    if value is None or (value == "" and column.nullable):
        return None
    try:
        if isinstance(column.type, ScaledDecimal):
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
            return number
        if isinstance(column.type, UTCDateTime):
            moment = dt.datetime.fromisoformat(str(value))
            if moment.tzinfo is None:
                raise ValueError("naive")
            return moment
        if isinstance(column.type, Boolean):
            if isinstance(value, bool):
                return value
            return {"true": True, "false": False}[str(value).lower()]
        if isinstance(column.type, Integer):
            if isinstance(value, bool):
                raise ValueError("bool")
            return int(value)
    except (InvalidOperation, ValueError, KeyError) as exc:
        raise BadValue(f"{column.table.name}.{column.name} : valeur invalide « {value} »") from exc
    return str(value)


def csv_cell(column: Column, value) -> str:
    """A database value as a CSV cell (empty for null)."""
    value = encode(column, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
