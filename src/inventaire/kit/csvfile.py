"""Reading a CSV a person made in a spreadsheet: the opening stock's and the catalogue's imports.

What Excel and LibreOffice write in Québec: UTF-8 with a BOM (« CSV UTF-8 »), `;` or `,` (or a
tab) between cells, headers spelled as people spell them (« Code produit », « Quantité »). The
headers are matched without accents, case or the difference between « _ », « - » and a space;
a column nobody asked for is ignored. Errors are French and name the file and the line.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from inventaire.kit.exceptions import InvalidInput


def read_bytes(path: Path) -> bytes:
    """The file's content, or a French error when it is not there."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise InvalidInput(f"Fichier introuvable : {path}.") from exc


def decoded(content: bytes, name: str) -> str:
    """The text of an uploaded or read file: UTF-8, its BOM dropped (Excel writes one)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name} n'est pas un fichier texte UTF-8 (enregistrez-le en « CSV UTF-8 »).") from exc


def reader(text: str, *, columns: Mapping[str, set[str]], required: Sequence[str], name: str,
           expected: str) -> csv.DictReader[str]:
    """Rows as dicts keyed by the column names of `columns` (each with its accepted spellings).

    The separator is the one the header line uses most (French spreadsheets often write `;`);
    a missing `required` column is refused, naming it and the `expected` header, and so is a
    column given twice.
    """
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = list(rows.fieldnames or [])
    found = columns_of(headers, columns)
    missing = [column for column in required if column not in found.values()]
    if missing:
        raise InvalidInput(
            f"{name} : {'colonne manquante' if len(missing) == 1 else 'colonnes manquantes'} : "
            f"{', '.join(sorted(missing))} (en-tête attendu : {expected})."
        )
    twice = sorted({column for column in found.values() if list(found.values()).count(column) > 1})
    if twice:  # the last one would silently win: « Prix » and « Prix unitaire », say
        raise InvalidInput(f"{name} : {'colonne donnée' if len(twice) == 1 else 'colonnes données'} deux fois "
                           f"sous deux noms : {', '.join(twice)}.")
    rows.fieldnames = [found.get(i, f"_{i}") for i in range(len(headers))]
    return rows


def columns_of(headers: Sequence[str], columns: Mapping[str, set[str]]) -> dict[int, str]:
    """Which known column each header is, by position (a header of none is left out)."""
    found: dict[int, str] = {}
    for index, header in enumerate(headers):
        for column, spellings in columns.items():
            if plain(header) in {plain(spelling) for spelling in spellings}:
                found[index] = column
    return found


def unreadable(exc: csv.Error, rows: csv.DictReader[str], name: str) -> InvalidInput:
    """A file the csv module gave up on, as a French error naming the line."""
    reason = "champ trop long" if "field larger" in str(exc) else "guillemets ou séparateurs mal placés"
    # line_num counts the lines read before the one that failed
    return InvalidInput(f"{name}, ligne {rows.line_num + 1} : CSV illisible ({reason}).")


def plain(text: str) -> str:
    """A header as it is compared: lower case, no accents, « _ » and « - » as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("_", " ").replace("-", " ").split())


def shown(value: str) -> str:
    """A value from the file as it may be printed back: no control characters, not too long."""
    text = "".join(c if c.isprintable() else "\ufffd" for c in value)
    return text if len(text) <= 40 else text[:39] + "…"
