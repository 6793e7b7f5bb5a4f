"""Opening stock from the company's current tool: a CSV of (code, technician, quantity).

Every row is checked before anything is written; each good row becomes one `comptage`
through the stock service. With any bad row nothing is written, unless the caller asks
to skip bad rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product
from inventaire.kit import csvfile
from inventaire.kit.enums import MovementCause
from inventaire.kit.quantities import MAX_QUANTITY, has_quantity_places, parse
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens
from inventaire.techniciens.models import Technician

MOTIF = "Stock d'ouverture (import)"
COLUMNS = {  # accepted header spellings, compared without accents or case
    "code": {"code", "code_produit", "code produit", "produit", "sku"},
    "technicien": {"technicien", "technicienne", "technician", "tech"},
    "quantite": {"quantite", "quantity", "qte", "qty", "stock"},
}


@dataclass
class Rejected:
    ligne: int
    motif: str


@dataclass
class OpeningReport:
    lignes_valides: int = 0
    importees: int = 0
    rejets: list[Rejected] = field(default_factory=list)


@dataclass
class _Row:
    ligne: int
    technician: Technician
    product: Product
    quantite: Decimal


def import_opening(*, db_session: Session, path: Path, auteur: str, ignorer_erreurs: bool = False) -> OpeningReport:
    """Check every row, then write one count per good row (none if any row is bad, unless told to skip them)."""
    report = OpeningReport()
    reader = _read(path)
    try:
        rows = _check_rows(db_session, reader, report)
    except csv.Error as exc:
        raise csvfile.unreadable(exc, reader, path.name) from exc
    report.lignes_valides = len(rows)
    if report.rejets and not ignorer_erreurs:
        return report
    for row in rows:
        stock.count(db_session=db_session, location=row.technician, product=row.product,
                    counted=row.quantite, auteur=auteur, motif=MOTIF,
                    cause=MovementCause.IMPORT_OUVERTURE)
    report.importees = len(rows)
    return report


def _read(path: Path) -> csv.DictReader:
    text = csvfile.decoded(csvfile.read_bytes(path), str(path))
    return csvfile.reader(text, columns=COLUMNS, required=list(COLUMNS), name=path.name,
                          expected="code,technicien,quantite")


def _check_rows(db_session: Session, reader: csv.DictReader, report: OpeningReport) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[tuple[int, int], int] = {}
    products: dict[str, Product | None] = {}
    people: dict[str, Technician | None] = {}
    for record in reader:
        ligne = reader.line_num
        code, nom, raw = ((record.get(k) or "").strip() for k in ("code", "technicien", "quantite"))
        if not (code or nom or raw):
            continue  # blank line
        product = _lookup(products, code, lambda: catalogue.get_by_code(db_session=db_session, code_produit=code))  # noqa: B023 (called at once)
        technician = _lookup(people, nom, lambda: techniciens.get_by_name(db_session=db_session, nom=nom))  # noqa: B023 (called at once)
        reasons = _who_and_what(code, product, nom, technician)
        quantite, problem = _quantity(raw)
        if problem:
            reasons.append(problem)
        if not reasons:
            key = (technician.id, product.id)
            if key in seen:
                reasons.append(f"doublon de la ligne {seen[key]} ({product.code_produit}, {technician.nom})")
            seen.setdefault(key, ligne)
        if reasons or quantite is None or technician is None or product is None:
            report.rejets.append(Rejected(ligne, " ; ".join(reasons)))
        else:
            rows.append(_Row(ligne, technician, product, quantite))
    return rows


def _who_and_what(code: str, product, nom: str, technician) -> list[str]:
    """Why the product or the technician of a row cannot take stock (empty if they can)."""
    reasons = []
    if not code:
        reasons.append("code produit manquant")
    elif product is None:
        reasons.append(f"produit inconnu : « {csvfile.shown(code)} »")
    elif not product.actif:
        reasons.append(f"produit archivé : « {product.code_produit} »")
    if not nom:
        reasons.append("technicien manquant")
    elif technician is None:
        reasons.append(f"technicien inconnu : « {csvfile.shown(nom)} » (ajoutez-le d'abord)")
    elif not technician.actif:
        reasons.append(f"technicien inactif : « {technician.nom} »")
    return reasons


def _lookup(cache: dict, key: str, load):
    if key and key not in cache:
        cache[key] = load()
    return cache.get(key)


def _quantity(raw: str) -> tuple[Decimal | None, str | None]:
    """A counted quantity: a number ≥ 0 with at most 3 decimals ("2,5" is read as 2.5)."""
    if not raw:
        return None, "quantité manquante"
    number = parse(raw)
    if number is None or not number.is_finite():
        return None, f"quantité invalide : « {csvfile.shown(raw)} »"
    if number < 0:
        return None, f"quantité négative : « {csvfile.shown(raw)} »"
    if number > MAX_QUANTITY:
        return None, f"quantité trop grande : « {csvfile.shown(raw)} »"
    if not has_quantity_places(number):
        return None, f"au plus 3 décimales : « {csvfile.shown(raw)} »"
    return number, None
