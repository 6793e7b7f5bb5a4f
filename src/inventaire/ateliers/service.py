"""Workshop service: add, list, find, rename and deactivate workshops."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.ateliers.models import Workshop
from inventaire.emplacements import service as locations
from inventaire.emplacements.models import name_key
from inventaire.kit.exceptions import Conflict, InvalidInput


def get_by_name(*, db_session: Session, nom: str) -> Workshop | None:
    """The workshop with this name, whatever its case, or None."""
    return locations.find(db_session=db_session, kind=Workshop, nom=nom)


def get_or_404(*, db_session: Session, nom: str) -> Workshop:
    """The workshop with this name, or NotFound."""
    return locations.find_or_404(db_session=db_session, kind=Workshop, nom=nom, unknown="Atelier inconnu")


def list_workshops(*, db_session: Session, actif: bool | None = None) -> list[Workshop]:
    """Workshops by name."""
    query = select(Workshop).order_by(Workshop.nom_cle)
    if actif is not None:
        query = query.where(Workshop.actif.is_(actif))
    return list(db_session.scalars(query))


def chosen_or_first(*, db_session: Session, nom: str | None) -> tuple[Workshop | None, list[Workshop]]:
    """The workshop asked for (NotFound if unknown), else the first active one; and every active one
    (the picking list's and « Chargements »' choice of where parts come from)."""
    active = list_workshops(db_session=db_session, actif=True)
    if nom:
        return get_or_404(db_session=db_session, nom=nom), active
    return (active[0] if active else None), active


def create(*, db_session: Session, nom: str, actif: bool = True) -> Workshop:
    """Add a workshop; a name a technician or a workshop holds (in any case) is a conflict."""
    nom = locations.checked_name(nom, what="d'atelier")
    locations.ensure_name_free(db_session=db_session, nom=nom)
    workshop = Workshop(nom=nom, nom_cle=name_key(nom), actif=actif)
    db_session.add(workshop)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:  # the same name added at the same moment
        raise Conflict(f"L'atelier « {nom} » existe déjà.") from exc
    return workshop


def update(*, db_session: Session, workshop: Workshop, changes: dict[str, Any]) -> Workshop:
    """Rename a workshop (a name no technician or workshop holds) or change its status.

    A deactivated workshop keeps its lines and history; the stock service refuses new stock into it.
    """
    if changes.get("nom", "") is None or changes.get("actif", False) is None:
        raise InvalidInput("Le nom et le statut d'un atelier ne peuvent pas être vides.")
    if "nom" in changes:
        nom = locations.checked_name(changes["nom"], what="d'atelier")
        locations.ensure_name_free(db_session=db_session, nom=nom, keep=workshop)
        workshop.nom, workshop.nom_cle = nom, name_key(nom)
    if "actif" in changes:
        workshop.actif = changes["actif"]
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:  # the same name taken at the same moment
        raise Conflict(f"Le nom « {workshop.nom} » est déjà pris.") from exc
    return workshop
