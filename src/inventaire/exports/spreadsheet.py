"""CSV a spreadsheet opens as it is: `;` between cells, decimal commas, a UTF-8 BOM, dates it reads.

Québec's Excel and LibreOffice take `;` as the separator of a French-locale CSV and read
« 2,5 » as a number; the BOM makes them read the accents as UTF-8; « 2026-12-01 09:05:00 »
(local time, no offset) is a date both recognise. Text never starts like a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from inventaire.kit import quantities

BOM = "\ufeff"


def cell(text: str | None) -> str:
    """Text as a spreadsheet shows it, never as a formula (=, +, -, @ at the start)."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def number(value: Decimal | int | None) -> str:
    """2,5 · 3 · 0 (empty when there is none)."""
    return quantities.cell(value)


def amount(value: Decimal | None) -> str:
    """Money as a spreadsheet shows it: always two decimals (12,40 · 31,00), empty when there is none."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}".replace(".", ",")


def file_name(*parts: str, suffix: str = "csv") -> str:
    """A download's name from its words, safe anywhere (« Zoé Côté » → Zoe-Cote), empty words left out."""
    words = []
    for part in parts:
        ascii_text = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
        word = re.sub(r"[^A-Za-z0-9_.]+", "-", ascii_text).strip("-.")
        if word:
            words.append(word)
    return "-".join(words) + "." + suffix


def moment(value: dt.datetime | None, tz: str) -> str:
    """A timestamp in the company's time, as spreadsheets read dates (« 2026-12-01 09:05:00 »)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def document(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The whole CSV, BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return BOM + buffer.getvalue()
