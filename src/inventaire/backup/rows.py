"""Rows of the exported tables as plain values (JSON and CSV) and back, exactly.

Decimals travel as strings ("12.50"), so no float ever touches a quantity or a price;
timestamps as ISO 8601 with their UTC offset, dates as ISO dates, JSON columns as JSON (a JSON
text in a CSV cell), bytes as base64. The columns come from the models, so a column added later
is exported without changing this module. A CSV cell of text never starts like a spreadsheet
formula (product names and Gazelle's client names are typed by people): the restore reads the
JSON, never the CSVs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import cast

from sqlalchemy import JSON, Boolean, Column, Date, FromClause, Integer, LargeBinary, String, Table, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import KeyedColumnElement

from inventaire.ateliers.models import Workshop
from inventaire.audit.models import AuditEntry
from inventaire.auth.models import ApiToken
from inventaire.catalogue.models import Product
from inventaire.checks.models import Notification, Verification
from inventaire.commandes.models import Order, OrderLine
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.demandes.models import StockRequest
from inventaire.emplacements.models import Location
from inventaire.entreprise.models import Company
from inventaire.exports.spreadsheet import cell
from inventaire.fournisseurs.models import Supplier
from inventaire.idempotency.models import IdempotencyKey
from inventaire.kit.database import ScaledDecimal, UTCDateTime
from inventaire.kit.dates import in_range
from inventaire.kit.enums import Choice, LocationKind, MovementCause, TransactionType
from inventaire.pianos.models import PianoService
from inventaire.previsions.models import BookedSnapshot
from inventaire.regles.models import ConsumptionRule
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician

_LOCATIONS, _VANS, _WORKSHOPS = (cast(Table, m.__table__) for m in (Location, Technician, Workshop))
# Every location (vans and workshops) as one export table, named as before workshops came: a van's
# row is what it always was (plus `genre`), so scripts reading techniciens.csv keep working.
LOCATIONS = (
    select(*_LOCATIONS.c, _VANS.c.email, _VANS.c.gazelle_id)
    .select_from(_LOCATIONS.outerjoin(_VANS, _VANS.c.id == _LOCATIONS.c.id))
    .subquery("techniciens")
)

# The records a restore must bring back besides the stock: the office's rules, the vans' requests,
# the supplier orders, and what each billed service took (without it, the next Gazelle sync
# would deduct the services of its window a second time); the API tokens (their hashes: the
# phones keep working), the check's runs and deliveries (an alert already told is not told
# again as new, a failed delivery can be retried), the audit trail, and the idempotency keys
# (a phone replaying a change after the restore does not apply it twice).
# Not carried: page sessions and failed logins (short-lived: people log in again), Gazelle's
# tokens (secret, and rotated at each use: README « Backup, restore and moving in ») and the
# Gazelle runs' history (the dashboard's « last sync » starts again at the next one), nor what the
# next sync reads again or needs no more: the stored appointments, the schema checks, the OAuth
# states (one-time, ten minutes) and the load lists' sent messages (past days). The pianos' PLS
# history is carried: it was learned from a year of invoices; so are the daily snapshots of booked
# demand (past bookings cannot be read again, and the booked term's backtest needs them), and the
# company's name and address its orders carry.
_MORE = [("regles", ConsumptionRule), ("demandes", StockRequest), ("commandes", Order),
         ("lignes_commande", OrderLine), ("services_deduits", DeductedService), ("deductions", Deduction),
         ("services_pianos", PianoService), ("demandes_reservees", BookedSnapshot),
         ("entreprise", Company),
         ("jetons_api", ApiToken), ("verifications", Verification), ("notifications", Notification),
         ("journal_audit", AuditEntry), ("cles_idempotence", IdempotencyKey)]
# (name in the export, what it reads), parents before children.
TABLES: list[tuple[str, FromClause]] = [
    ("fournisseurs", Supplier.__table__),
    ("catalogue", Product.__table__),
    ("techniciens", LOCATIONS),
    ("stock", StockLine.__table__),
    ("transactions", Transaction.__table__),
    *((name, model.__table__) for name, model in _MORE),
]
# The tables an import writes, for their id sequences.
WRITTEN: list[Table] = [cast(Table, Supplier.__table__), cast(Table, Product.__table__), _LOCATIONS, _VANS, _WORKSHOPS,
                         cast(Table, StockLine.__table__),
                         cast(Table, Transaction.__table__), *(cast(Table, model.__table__) for _, model in _MORE)]


_VAN_ONLY = ("email", "gazelle_id")  # a van's own columns (older exports have no gazelle_id: None)


def insert_rows(db_session: Session, name: str, values: list[dict]) -> None:
    """Write decoded rows of one export table (a location goes to its base table and its kind's)."""
    if name != "techniciens":
        db_session.execute(insert(cast(Table, dict(TABLES)[name])), values)
        return
    kinds = {row["id"]: row.get("genre") or LocationKind.VEHICULE for row in values}  # older exports: vans only
    db_session.execute(insert(_LOCATIONS), [
        {**{k: v for k, v in row.items() if k not in _VAN_ONLY}, "genre": kinds[row["id"]]} for row in values
    ])
    vans = [{"id": row["id"], **{k: row.get(k) for k in _VAN_ONLY}}
            for row in values if kinds[row["id"]] == LocationKind.VEHICULE]
    workshops = [{"id": row["id"]} for row in values if kinds[row["id"]] == LocationKind.ATELIER]
    for table, rows in ((_VANS, vans), (_WORKSHOPS, workshops)):
        if rows:
            db_session.execute(insert(table), rows)


class BadValue(ValueError):
    """A value of the export that does not fit its column."""


# Columns holding a closed list: a value outside it is refused in French, before any insert.
CLOSED_LISTS: dict[str, type[Choice]] = {"transactions_inventaire.type": TransactionType,
                                         "transactions_inventaire.cause": MovementCause}


def encode(column: Column | KeyedColumnElement, value):
    """A database value as a JSON-safe value."""
    if value is None:
        return None
    if isinstance(column.type, ScaledDecimal):
        return format(value, "f")
    if isinstance(column.type, UTCDateTime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(column.type, Date):
        return value.isoformat()
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
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
            return in_range(moment)
        if isinstance(column.type, Date):
            return dt.date.fromisoformat(str(value))
        if isinstance(column.type, JSON):
            return value
        if isinstance(column.type, LargeBinary):
            return base64.b64decode(str(value), validate=True)
        if isinstance(column.type, Boolean):
            if isinstance(value, bool):
                return value
            return {"true": True, "false": False}[str(value).lower()]
        if isinstance(column.type, Integer):
            if isinstance(value, bool):
                raise ValueError("bool")
            return int(value)
    except (InvalidOperation, ValueError, KeyError, binascii.Error) as exc:
        raise BadValue(f"{column.table.name}.{column.name} : valeur invalide « {value} »") from exc
    closed = CLOSED_LISTS.get(f"{column.table.name}.{column.name}")
    if closed is not None and str(value) not in closed.values():
        raise BadValue(f"{column.table.name}.{column.name} : valeur inconnue « {value} »")
    return str(value)


def csv_cell(column: Column | KeyedColumnElement, value) -> str:
    """A database value as a CSV cell (empty for null)."""
    value = encode(column, value)
    if value is None:
        return ""
    if isinstance(column.type, JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(column.type, String):  # Text too: typed by people, or by Gazelle's users
        return cell(value)
    return str(value)
