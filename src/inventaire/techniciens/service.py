"""Technician service."""

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.emplacements import service as locations
from inventaire.exceptions import Conflict, NotFound
from inventaire.techniciens.models import Technician, name_key

# Built once: every stock request looks its technician up (building the statement was a third of the cost).
_BY_KEY = select(Technician).where(Technician.nom_cle == bindparam("key"))


def get_by_name(*, db_session: Session, nom: str) -> Technician | None:
    """Return the technician with this name, whatever its case, or None."""
    key = locations.lookup_key(nom)
    return None if key is None else db_session.scalar(_BY_KEY, {"key": key})


def get_or_404(*, db_session: Session, nom: str) -> Technician:
    """Return the technician with this name or raise NotFound."""
    technician = get_by_name(db_session=db_session, nom=nom)
    if technician is None:
        raise NotFound(f"Technicien inconnu : « {nom} ».")
    return technician


def list_technicians(*, db_session: Session, actif: bool | None = None) -> list[Technician]:
    """List technicians by name."""
    query = select(Technician).order_by(Technician.nom_cle)
    if actif is not None:
        query = query.where(Technician.actif.is_(actif))
    return list(db_session.scalars(query))


def create(*, db_session: Session, nom: str, email: str | None = None, actif: bool = True) -> Technician:
    """Add a technician; a name already taken (in any case, by a technician or a workshop) is a conflict."""
    nom = locations.checked_name(nom, what="de technicien")
    locations.ensure_name_free(db_session=db_session, nom=nom)
    technician = Technician(nom=nom, nom_cle=name_key(nom), email=email, actif=actif)
    db_session.add(technician)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:
        raise Conflict(f"Le technicien « {nom} » existe déjà.") from exc
    return technician


def update(*, db_session: Session, technician: Technician, changes: dict) -> Technician:
    """Change a technician's name, e-mail or status."""
    if "nom" in changes:
        nom = locations.checked_name(changes.pop("nom"), what="de technicien")
        locations.ensure_name_free(db_session=db_session, nom=nom, keep=technician)
        technician.nom, technician.nom_cle = nom, name_key(nom)
    for field, value in changes.items():
        setattr(technician, field, value)
    db_session.flush()
    return technician
