"""Technician service."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.exceptions import Conflict, NotFound
from inventaire.techniciens.models import Technician, name_key


def get_by_name(*, db_session: Session, nom: str) -> Technician | None:
    """Return the technician with this name, whatever its case, or None."""
    return db_session.scalar(select(Technician).where(Technician.nom_cle == name_key(nom)))


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
    """Add a technician; a name already taken (in any case) is a conflict."""
    nom = " ".join(nom.split())
    if get_by_name(db_session=db_session, nom=nom) is not None:
        raise Conflict(f"Le technicien « {nom} » existe déjà.")
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
        nom = " ".join(changes.pop("nom").split())
        other = get_by_name(db_session=db_session, nom=nom)
        if other is not None and other.id != technician.id:
            raise Conflict(f"Le technicien « {nom} » existe déjà.")
        technician.nom, technician.nom_cle = nom, name_key(nom)
    for field, value in changes.items():
        setattr(technician, field, value)
    db_session.flush()
    return technician
