"""Export every stock record, and everything else the running service relies on (rules, requests,
orders, deductions, API tokens' hashes, the check's runs, the audit trail, idempotency keys; rows.py
says what is not carried), to a folder (JSON, and CSV per table), and restore it into an empty database."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from inventaire import __version__
from inventaire.backup.rows import TABLES, WRITTEN, BadValue, csv_cell, decode, encode, insert_rows
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.kit.database import utcnow
from inventaire.kit.exceptions import Conflict, InvalidInput
from inventaire.kit.names import clean_name, loose_key
from inventaire.kit.quantities import count
from inventaire.stock.models import StockLine, Transaction

FORMAT = "inventaire-export"
VERSION = 1
JSON_NAME = "inventaire.json"
BATCH = 1000


@dataclass
class Counts:
    """Rows per export table (rows.TABLES' names)."""

    fournisseurs: int = 0
    catalogue: int = 0
    techniciens: int = 0
    stock: int = 0
    transactions: int = 0
    regles: int = 0
    demandes: int = 0
    commandes: int = 0
    lignes_commande: int = 0
    services_deduits: int = 0
    deductions: int = 0
    jetons_api: int = 0
    verifications: int = 0
    notifications: int = 0
    journal_audit: int = 0
    cles_idempotence: int = 0
    services_pianos: int = 0
    demandes_reservees: int = 0
    entreprise: int = 0


def export_to(*, db_session: Session, folder: Path) -> Counts:
    """Write inventaire.json (everything) and one CSV per table into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "exporte_le": utcnow().isoformat(),
                "application": __version__, "schema": _revision(db_session), "tables": {}}
    counts = Counts()
    for name, table in TABLES:
        rows = db_session.execute(select(table).order_by(table.c.id)).mappings().all()
        document["tables"][name] = [{c.name: encode(c, row[c.name]) for c in table.columns} for row in rows]
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([c.name for c in table.columns])
            writer.writerows([csv_cell(c, row[c.name]) for c in table.columns] for row in rows)
        setattr(counts, name, len(rows))
    tmp = folder / f".{JSON_NAME}.tmp"
    tmp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(folder / JSON_NAME)  # a reader never sees half a file
    return counts


def import_from(*, db_session: Session, folder: Path) -> Counts:
    """Restore an export into an empty database: same ids, quantities, timestamps and authors."""
    document = _suppliers_of_older_export(_read(folder))
    _ensure_empty(db_session)
    counts = Counts()
    for name, table in TABLES:
        values = _decoded(name, table, document["tables"].get(name, []))
        try:
            for start in range(0, len(values), BATCH):
                insert_rows(db_session, name, values[start:start + BATCH])
        except DBAPIError as exc:  # a duplicate id, a missing parent, a value the column refuses
            raise InvalidInput(f"Export invalide : la table « {name} » ne peut pas être restaurée "
                               f"({_why(exc)}). Rien n'a été importé.") from exc
        setattr(counts, name, len(values))
    _check_balances(db_session)
    _check_chains(db_session)
    _check_deductions(db_session)
    # Last: PostgreSQL's setval is not undone by a rollback, so a refused import must not reach it.
    _reset_sequences(db_session)
    return counts


def _decoded(name: str, table: Any, rows: Any) -> list[dict[str, Any]]:
    """One table's rows, typed for their columns; InvalidInput (in French) for any other shape."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise InvalidInput(f"Export invalide : « {name} » doit être une liste de lignes.")
    unknown = {key for row in rows for key in row} - set(table.columns.keys())
    if unknown:
        raise InvalidInput(f"Export incompatible : colonnes inconnues dans « {name} » : {', '.join(sorted(unknown))}.")
    try:
        return [{key: decode(table.c[key], value) for key, value in row.items()} for row in rows]
    except BadValue as exc:
        raise InvalidInput(f"Export invalide : {exc}.") from exc


def _why(exc: DBAPIError) -> str:
    """The database's reason in a few words (its message names the constraint, never a secret)."""
    if isinstance(exc, IntegrityError):
        return "numéro en double, ligne parente absente ou valeur manquante"
    return "valeur refusée par la base"


def _read(folder: Path) -> dict[str, Any]:
    path = folder / JSON_NAME
    if not path.is_file():
        raise InvalidInput(f"Fichier introuvable : {path} (un dossier écrit par « inventaire export » est attendu).")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} n'est pas un JSON lisible : {exc}.") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("tables"), dict):
        raise InvalidInput(f"{path} n'est pas un export d'inventaire.")
    if document.get("version") != VERSION:
        raise InvalidInput(f"Version d'export non prise en charge : {document.get('version')} (attendue : {VERSION}).")
    return document


def _suppliers_of_older_export(document: dict[str, Any]) -> dict[str, Any]:
    """An export written before suppliers were a table: each product's free-text name becomes a supplier
    (one per name whatever its case or accents, as migration 0025 does)."""
    products = document["tables"].get("catalogue", [])
    if not isinstance(products, list) or not all(isinstance(row, dict) for row in products):
        return document  # refused in French with the other shapes (_decoded)
    if "fournisseurs" in document["tables"] or not any("fournisseur" in row for row in products):
        return document
    suppliers: dict[str, dict[str, Any]] = {}
    for row in products:
        name = clean_name(row.pop("fournisseur", None) or "")
        row["fournisseur_id"] = None
        if name:
            key = loose_key(name)
            supplier = suppliers.setdefault(key, {"id": len(suppliers) + 1, "nom": name, "nom_cle": key,
                                                  "created_at": row.get("created_at"),
                                                  "updated_at": row.get("created_at")})
            row["fournisseur_id"] = supplier["id"]
    document["tables"]["fournisseurs"] = list(suppliers.values())
    return document


def _ensure_empty(db_session: Session) -> None:
    """The restore writes ids as they were: only an empty database can take them."""
    present = {name: db_session.scalar(select(func.count()).select_from(table)) for name, table in TABLES}
    if any(present.values()):
        detail = ", ".join(f"{n} {name}" for name, n in present.items() if n)
        raise Conflict(f"La base n'est pas vide ({detail}) : l'import ne restaure que dans une base vide.")


def _reset_sequences(db_session: Session) -> None:
    """PostgreSQL's id sequences resume after the restored ids (SQLite does this by itself)."""
    if db_session.get_bind().dialect.name != "postgresql":
        return
    for table in WRITTEN:
        if table.c.id.foreign_keys:  # a technician's or workshop's id is its location's: no sequence
            continue
        db_session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
            f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
        ))


def _check_balances(db_session: Session) -> None:
    """Refuse (and so roll back) a restore whose balances disagree with their ledger."""
    sums = (
        select(Transaction.stock_line_id.label("line"), func.sum(Transaction.ajustement).label("total"))
        .group_by(Transaction.stock_line_id)
        .subquery()
    )
    wrong = db_session.execute(
        select(StockLine.id)
        .outerjoin(sums, sums.c.line == StockLine.id)
        # Raw column against raw sum: scaled integers on SQLite, NUMERIC on PostgreSQL, exact on both.
        .where(StockLine.quantite != func.coalesce(sums.c.total, 0))
        .limit(5)
    ).scalars().all()
    if wrong:
        raise InvalidInput(
            f"Export incohérent : le solde de {count(len(wrong), 'ligne de stock', 'lignes de stock')} "
            f"(n° {', '.join(map(str, wrong))}) "
            "ne correspond pas à la somme de ses mouvements. Rien n'a été importé."
        )


def _check_chains(db_session: Session) -> None:
    """Refuse a ledger whose rows no longer chain: each row's before + change = after, and its before
    is the previous row's after on the same line (the first starts from zero)."""
    ledger = Transaction.__table__
    previous = func.lag(ledger.c.quantite_apres).over(partition_by=ledger.c.stock_line_id, order_by=ledger.c.id)
    rows = select(ledger.c.id, ledger.c.quantite_avant, ledger.c.ajustement, ledger.c.quantite_apres,
                  func.coalesce(previous, 0).label("precedent")).subquery()
    broken = db_session.scalars(
        select(rows.c.id).where((rows.c.quantite_avant + rows.c.ajustement != rows.c.quantite_apres)
                                | (rows.c.quantite_avant != rows.c.precedent))
        .order_by(rows.c.id).limit(5)
    ).all()
    if broken:
        raise InvalidInput(
            f"Export incohérent : {count(len(broken), 'mouvement', 'mouvements')} du journal "
            f"(n° {', '.join(map(str, broken))}) ne s'enchaînent plus (quantité avant + ajustement ≠ quantité après). "
            "Rien n'a été importé."
        )


def _check_deductions(db_session: Session) -> None:
    """Refuse deductions that disagree with the ledger rows of their service: after such a restore
    the next sync would take (or give back) the difference a second time."""
    services = {s.id: s for s in db_session.scalars(select(DeductedService))}
    if not services:
        return
    held: dict[tuple[str, str | None, int, int], Decimal] = defaultdict(Decimal)
    for row in db_session.scalars(select(Deduction)):
        service = services[row.service_id]
        held[service.source, service.reference, row.technicien_id, row.produit_id] += row.deduit
    moved: dict[tuple[str, str | None, int, int], Decimal] = defaultdict(Decimal)
    references = {s.reference for s in services.values()}
    sources = {s.source for s in services.values()}
    for auteur, reference, location, product, change in db_session.execute(
        select(Transaction.auteur, Transaction.reference, Transaction.emplacement_id, Transaction.produit_id,
               Transaction.ajustement)
        .where(Transaction.auteur.in_(sources), Transaction.reference.in_(references))
    ):
        moved[auteur, reference, location, product] -= change
    wrong = sorted({str(key[1]) for key in held.keys() | moved.keys() if held.get(key, 0) != moved.get(key, 0)})
    if wrong:
        raise InvalidInput(
            f"Export incohérent : ce qui a été déduit pour {', '.join(wrong[:5])} ne correspond pas aux "
            "mouvements du journal (la prochaine synchronisation déduirait de nouveau). Rien n'a été importé."
        )


def _revision(db_session: Session) -> str | None:
    return db_session.execute(text("SELECT version_num FROM alembic_version")).scalar()
