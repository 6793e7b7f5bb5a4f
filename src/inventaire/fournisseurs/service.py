"""Supplier service: the only code that reads and writes suppliers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.fournisseurs.models import Supplier
from inventaire.kit.exceptions import Conflict, InvalidInput, NotFound
from inventaire.kit.names import clean_name, loose_key

_BY_KEY = select(Supplier).where(Supplier.nom_cle == bindparam("key"))


def get_by_name(*, db_session: Session, nom: str) -> Supplier | None:
    """The supplier with this name, whatever its case or accents, or None."""
    if "\x00" in nom or len(nom) > 200:
        return None
    return db_session.scalar(_BY_KEY, {"key": loose_key(nom)})


def get_or_404(*, db_session: Session, nom: str) -> Supplier:
    supplier = get_by_name(db_session=db_session, nom=nom)
    if supplier is None:
        raise NotFound(f"Fournisseur inconnu : « {nom} ».")
    return supplier


def list_suppliers(*, db_session: Session) -> list[Supplier]:
    """Suppliers by name (case and accents aside)."""
    return list(db_session.scalars(select(Supplier).order_by(Supplier.nom_cle)))


def _taken(nom: str, stored: str) -> str:
    if nom == stored:
        return f"Le fournisseur « {nom} » existe déjà."
    return f"Le fournisseur « {nom} » existe déjà sous le nom « {stored} » (la casse et les accents ne comptent pas)."


def _clean(nom: str) -> str:
    nom = clean_name(nom)
    if not nom:
        raise InvalidInput("Nom du fournisseur : il ne peut pas être vide.")
    return nom


def _flush(db_session: Session, nom: str) -> None:
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:  # the same name added at the same moment
        raise Conflict(_taken(nom, nom)) from exc


def create(*, db_session: Session, data: dict[str, Any]) -> Supplier:
    """Add a supplier; a name another holds (whatever its case or accents) is a conflict."""
    nom = _clean(data["nom"])
    existing = get_by_name(db_session=db_session, nom=nom)
    if existing is not None:
        raise Conflict(_taken(nom, existing.nom))
    supplier = Supplier(**{**data, "nom": nom})
    db_session.add(supplier)
    _flush(db_session, nom)
    return supplier


def update(*, db_session: Session, supplier: Supplier, changes: dict[str, Any]) -> Supplier:
    """Apply the given fields; renaming onto another supplier's name is a conflict."""
    if "nom" in changes:
        nom = _clean(changes["nom"])
        other = get_by_name(db_session=db_session, nom=nom)
        if other is not None and other.id != supplier.id:
            raise Conflict(_taken(nom, other.nom))
        changes = {**changes, "nom": nom}
    for field, value in changes.items():
        setattr(supplier, field, value)
    _flush(db_session, supplier.nom)
    return supplier


def named(*, db_session: Session, nom: str | None) -> Supplier | None:
    """The supplier a product names: found whatever its case or accents, else created with that name.

    The product API and page keep `fournisseur` as a name (the contract); a name nobody has
    entered yet becomes a supplier without address or lead time, to be completed on its page.
    """
    if nom is None or not clean_name(nom):
        return None
    found = get_by_name(db_session=db_session, nom=nom)
    return found if found is not None else create(db_session=db_session, data={"nom": nom})
