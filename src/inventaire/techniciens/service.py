"""Technician service."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.auth import service as auth
from inventaire.emplacements import service as locations
from inventaire.kit.exceptions import Conflict
from inventaire.techniciens.models import Technician, name_key


def get_by_name(*, db_session: Session, nom: str) -> Technician | None:
    """Return the technician with this name, whatever its case, or None."""
    return locations.find(db_session=db_session, kind=Technician, nom=nom)


def get_or_404(*, db_session: Session, nom: str) -> Technician:
    """Return the technician with this name or raise NotFound."""
    return locations.find_or_404(db_session=db_session, kind=Technician, nom=nom, unknown="Technicien inconnu")


def list_technicians(*, db_session: Session, actif: bool | None = None) -> list[Technician]:
    """List technicians by name."""
    query = select(Technician).order_by(Technician.nom_cle)
    if actif is not None:
        query = query.where(Technician.actif.is_(actif))
    return list(db_session.scalars(query))


def get_by_gazelle_id(*, db_session: Session, gazelle_id: str) -> Technician | None:
    """The technician mapped to this Gazelle user, or None."""
    return db_session.scalar(select(Technician).where(Technician.gazelle_id == gazelle_id))


def by_gazelle_id(*, db_session: Session) -> dict[str, Technician]:
    """Every mapped technician by Gazelle user id, in one query (a sync resolves thousands of invoices)."""
    mapped = db_session.scalars(select(Technician).where(Technician.gazelle_id.is_not(None)))
    return {t.gazelle_id: t for t in mapped if t.gazelle_id is not None}


def _check_gazelle_id(db_session: Session, gazelle_id: str | None, technician: Technician | None) -> None:
    """A Gazelle user is one technician at most."""
    if gazelle_id is None:
        return
    other = get_by_gazelle_id(db_session=db_session, gazelle_id=gazelle_id)
    if other is not None and other is not technician:
        raise Conflict(f"L'utilisateur Gazelle « {gazelle_id} » est déjà associé à {other.nom}.")


def create(
    *, db_session: Session, nom: str, email: str | None = None, actif: bool = True, gazelle_id: str | None = None,
) -> Technician:
    """Add a technician; a name already taken (in any case, by a technician or a workshop), or a Gazelle user
    already mapped, is a conflict."""
    nom = locations.checked_name(nom, what="de technicien")
    locations.ensure_name_free(db_session=db_session, nom=nom)
    _check_gazelle_id(db_session, gazelle_id, None)
    technician = Technician(nom=nom, nom_cle=name_key(nom), email=email, actif=actif, gazelle_id=gazelle_id)
    db_session.add(technician)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:
        raise Conflict(f"Le technicien « {nom} » existe déjà (ou son utilisateur Gazelle est déjà associé).") from exc
    return technician


def update(*, db_session: Session, technician: Technician, changes: dict[str, Any]) -> Technician:
    """Change a technician's name, e-mail or status.

    Deactivating revokes the technician's tokens (and so their page sessions): reactivating them
    later must not bring back a phone that was lost or handed on meanwhile; they get a new token.
    """
    if changes.get("actif") is False and technician.actif:
        auth.revoke_for_technician(db_session=db_session, technician=technician)
    if "nom" in changes:
        nom = locations.checked_name(changes.pop("nom"), what="de technicien")
        locations.ensure_name_free(db_session=db_session, nom=nom, keep=technician)
        technician.nom, technician.nom_cle = nom, name_key(nom)
    if changes.get("gazelle_id") is not None:
        _check_gazelle_id(db_session, changes["gazelle_id"], technician)
    for field, value in changes.items():
        setattr(technician, field, value)
    db_session.flush()
    return technician


def get_by_id(*, db_session: Session, technician_id: int | None) -> Technician | None:
    """The technician with this id (a token's), or None."""
    return None if technician_id is None else db_session.get(Technician, technician_id)
