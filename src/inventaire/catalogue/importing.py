"""The catalogue from a spreadsheet: `inventaire catalogue import` and the catalogue page's upload.

The columns are those the catalogue's export writes (COLUMNS, in its order); only
`code_produit` is required. A row whose code exists (whatever its case) updates that product
with the columns the file has; a new code creates one (`nom_produit` then required). An empty
cell clears a field that may be empty (sale price, supplier, barcode, threshold) and leaves the
others as they are. Every row is checked first, barcodes against the catalogue as the whole
file would leave it; with any bad row nothing is written. The audit trail records each
creation and change (the session's flush hook, audit/tracked.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product, code_key, default_divisible
from inventaire.catalogue.schemas import NULLABLE_FIELDS, ProductCreate, ProductUpdate
from inventaire.kit import csvfile
from inventaire.kit.exceptions import Conflict
from inventaire.kit.forms import validate
from inventaire.kit.names import loose_key
from inventaire.kit.quantities import count

# Each column with the headers people give it (compared without accents, case, « _ » or « - »).
COLUMNS: dict[str, set[str]] = {
    "code_produit": {"code_produit", "code", "sku"},
    "nom_produit": {"nom_produit", "nom", "produit", "nom du produit", "description"},
    "categorie": {"categorie"},
    "unite": {"unite"},
    "prix_unitaire": {"prix_unitaire", "cout", "cout unitaire", "prix", "prix d'achat"},
    "prix_vente": {"prix_vente", "prix de vente"},
    "fournisseur": {"fournisseur"},
    "code_barres": {"code_barres", "ean", "upc", "gtin"},
    "seuil_reorder": {"seuil_reorder", "seuil"},
    "divisible": {"divisible"},
    "actif": {"actif"},
}
DECIMALS = {"prix_unitaire", "prix_vente", "seuil_reorder"}
BOOLEANS = {"divisible", "actif"}
YES, NO = {"oui", "o", "vrai", "true", "1", "x"}, {"non", "n", "faux", "false", "0"}
FORMULA_GUARD = ("'=", "'+", "'-", "'@")  # the export's « ' » before text a spreadsheet would take for a formula


@dataclass
class Problem:
    ligne: int
    colonne: str
    motif: str

    def __str__(self) -> str:
        return f"Ligne {self.ligne}, colonne « {self.colonne} » : {self.motif}."


@dataclass
class ImportReport:
    crees: list[str] = field(default_factory=list)
    modifies: list[str] = field(default_factory=list)
    inchanges: int = 0
    erreurs: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        """What was done, as the CLI and the page say it (« 2 produits créés, 1 modifié, 0 inchangé »)."""
        return (f"{count(len(self.crees), 'produit créé', 'produits créés')}, {count(len(self.modifies), 'modifié')}, "
                f"{count(self.inchanges, 'inchangé')}")


@dataclass
class _Claim:
    """A row's barcode (empty: cleared), checked against the others whatever the rest of the row."""

    ligne: int
    product: Product | None
    code: str
    barcode: str


@dataclass
class _Row:
    ligne: int
    product: Product | None  # None: a new code
    values: dict[str, Any]


def import_products(*, db_session: Session, content: bytes, name: str) -> ImportReport:
    """Check every row; when all are good, create and update the products (nothing is written otherwise)."""
    rows = csvfile.reader(csvfile.decoded(content, name), columns=COLUMNS, required=["code_produit"], name=name,
                          expected=";".join(COLUMNS))
    report = ImportReport()
    products = {p.code_cle: p for p in db_session.scalars(select(Product))}
    claims: list[_Claim] = []
    try:
        planned = _check_rows(rows, products, claims, report)
    except csv.Error as exc:
        raise csvfile.unreadable(exc, rows, name) from exc
    _check_barcodes(claims, products.values(), report)
    if report.erreurs:
        report.erreurs.sort(key=lambda p: p.ligne)
        return report
    _write(db_session, planned, report)
    return report


def _check_rows(rows: csv.DictReader[str], products: dict[str, Product], claims: list[_Claim],
                report: ImportReport) -> list[_Row]:
    planned: list[_Row] = []
    seen: dict[str, int] = {}
    for record in rows:
        ligne = rows.line_num
        cells = {k: _cell(v) for k, v in record.items() if k in COLUMNS and isinstance(v, str)}
        if not any(cells.values()):
            continue  # a blank line
        code = cells.get("code_produit", "")
        if not code:
            report.erreurs.append(Problem(ligne, "code_produit", "code produit manquant"))
            continue
        key = code_key(code)
        if key in seen:
            report.erreurs.append(Problem(ligne, "code_produit", f"« {csvfile.shown(code)} » est déjà à la ligne {seen[key]}"))
            continue
        seen[key] = ligne
        product = products.get(key)
        if "code_barres" in cells:
            claims.append(_Claim(ligne, product, product.code_produit if product else code, cells["code_barres"]))
        row = _checked(ligne, cells, product, report)
        if row is not None:
            planned.append(row)
    return planned


def _cell(raw: str) -> str:
    text = raw.strip()
    return text[1:] if text.startswith(FORMULA_GUARD) else text


def _checked(ligne: int, cells: dict[str, str], product: Product | None, report: ImportReport) -> _Row | None:
    """One row's values as the API's schemas take them, or None with its problems reported."""
    errors: dict[str, str] = {}
    data = dict(cells)
    for name in BOOLEANS & data.keys():
        answer = csvfile.plain(data[name])
        if answer and answer not in YES | NO:
            errors[name] = f"« oui » ou « non » attendu, pas « {csvfile.shown(data.pop(name))} »"
        elif answer:
            data[name] = "true" if answer in YES else "false"
    body: BaseModel | None
    if product is None:
        body, found = validate(ProductCreate, data, decimals=DECIMALS, required={"nom_produit"})
    else:
        data.pop("code_produit")
        body, found = validate(ProductUpdate, data, decimals=DECIMALS, clearable=NULLABLE_FIELDS)
    errors.update(found)
    values = body.model_dump(exclude_unset=product is not None) if body is not None else {}
    if not errors:
        errors.update(_whole_threshold(values, product))
    for column, message in errors.items():
        report.erreurs.append(Problem(ligne, column, message))
    return None if errors else _Row(ligne, product, values)


def _whole_threshold(values: dict[str, Any], product: Product | None) -> dict[str, str]:
    """The catalogue's rule on the product as the row leaves it: a whole unit has a whole threshold."""
    if product is None:
        divisible, threshold, code = values["divisible"], values["seuil_reorder"], values["code_produit"]
        if divisible is None:
            divisible = default_divisible(values["unite"])
    else:
        divisible = values.get("divisible", product.divisible)
        threshold, code = values.get("seuil_reorder", product.seuil_reorder), product.code_produit
    try:
        catalogue.check_whole_threshold(divisible, threshold, code)
    except Conflict as exc:
        return {"seuil_reorder": exc.detail.rstrip(".")}
    return {}


def _check_barcodes(claims: list[_Claim], stored: Iterable[Product], report: ImportReport) -> None:
    """A barcode names one product once the file is applied: twice in the file, or kept by another, is refused.

    Every row giving a barcode counts, bad rows too: all the problems are told at once.
    """
    given = {id(claim.product) for claim in claims if claim.product is not None}
    held = {p.code_barres: p for p in stored if p.code_barres and id(p) not in given}
    in_file: dict[str, _Claim] = {}
    for claim in claims:
        if not claim.barcode:
            continue
        holder = held.get(claim.barcode)
        if claim.barcode in in_file:
            first = in_file[claim.barcode]
            report.erreurs.append(Problem(claim.ligne, "code_barres", f"« {csvfile.shown(claim.barcode)} » est déjà "
                                          f"celui de « {first.code} » à la ligne {first.ligne}"))
        elif holder is not None and holder is not claim.product:
            report.erreurs.append(Problem(claim.ligne, "code_barres", f"« {csvfile.shown(claim.barcode)} » est déjà "
                                          f"celui de « {holder.code_produit} »"))
        else:
            in_file[claim.barcode] = claim


def _write(db_session: Session, planned: list[_Row], report: ImportReport) -> None:
    wanted = {row.values["code_barres"] for row in planned if row.values.get("code_barres")}
    # A barcode moving to another product of the file: its old holder lets go first (the index is unique).
    letting_go = [row.product for row in planned if row.product is not None and "code_barres" in row.values
                  and row.product.code_barres in wanted and row.product.code_barres != row.values["code_barres"]]
    for product in letting_go:
        product.code_barres = None
    db_session.flush()
    for row in planned:
        if row.product is None:
            report.crees.append(catalogue.create(db_session=db_session, data=row.values).code_produit)
            continue
        changes = {k: v for k, v in row.values.items() if _differs(row.product, k, v)}
        if changes:
            catalogue.update(db_session=db_session, product=row.product, changes=changes)
            report.modifies.append(row.product.code_produit)
        else:
            report.inchanges += 1


def _differs(product: Product, name: str, value: Any) -> bool:
    current = getattr(product, name)
    if name == "fournisseur":  # found whatever its case or accents
        return (loose_key(value) if value else None) != (loose_key(current) if current else None)
    return bool(value != current)
