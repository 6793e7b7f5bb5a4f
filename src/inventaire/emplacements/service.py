"""Finding a location by name, whatever its kind (the stock routes take a van's or a workshop's name)."""

from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from inventaire.emplacements.models import NOM_MAX, Location, clean_name, name_key
from inventaire.kit.exceptions import Conflict, InvalidInput, NotFound
from inventaire.kit.names import name_problem

L = TypeVar("L", bound=Location)

# Built once per kind: every stock request looks its location up (building the statement was a third
# of the cost of a lookup).
_BY_KEY: dict[type[Location], Select[Any]] = {}


def lookup_key(nom: str) -> str | None:
    """The key a name is searched by, or None when no stored name can be like this (PostgreSQL refuses NUL)."""
    key = name_key(nom)
    if "\x00" in key or len(key) > NOM_MAX:
        return None
    return key


def find(*, db_session: Session, kind: type[L], nom: str) -> L | None:
    """The location of this kind (Location: any, Technician: a van, Workshop) with this name, whatever
    its case, or None: the one lookup by name of vans and workshops."""
    key = lookup_key(nom)
    if key is None:
        return None
    query = _BY_KEY.get(kind)
    if query is None:
        query = _BY_KEY[kind] = select(kind).where(kind.nom_cle == bindparam("key"))
    found: L | None = db_session.scalar(query, {"key": key})
    return found


def find_or_404(*, db_session: Session, kind: type[L], nom: str, unknown: str) -> L:
    """`find`, or NotFound « <unknown> : « nom ». »."""
    location = find(db_session=db_session, kind=kind, nom=nom)
    if location is None:
        raise NotFound(f"{unknown} : « {nom} ».")
    return location


def get_by_name(*, db_session: Session, nom: str) -> Location | None:
    """The van or workshop with this name, whatever its case, or None."""
    return find(db_session=db_session, kind=Location, nom=nom)


def get_or_404(*, db_session: Session, nom: str) -> Location:
    """The van or workshop with this name, or NotFound (worded as the API always said it)."""
    return find_or_404(db_session=db_session, kind=Location, nom=nom, unknown="Technicien inconnu")


def checked_name(nom: str, *, what: str) -> str:
    """The name to store (inventaire.kit.names: no "/", control or invisible characters); its folded key must fit too."""
    problem = name_problem(nom)
    if problem is not None:
        raise InvalidInput(f"Nom {what} {problem}.")
    nom = clean_name(nom)
    if not nom or len(name_key(nom)) > NOM_MAX:
        raise InvalidInput(
            f"Nom {what} trop long : au plus {NOM_MAX} caractères une fois en minuscules (« ß » en compte deux)."
        )
    return nom


def name_taken_message(location: Location, nom: str) -> str:
    """Why a name cannot be used: a technician or a workshop has it (names are unique over both)."""
    if location.is_workshop:
        return f"L'atelier « {nom} » existe déjà."
    return f"Le technicien « {nom} » existe déjà."


def ensure_name_free(*, db_session: Session, nom: str, keep: Location | None = None) -> None:
    """Refuse a name another location holds, whatever its case (`keep`: the one being renamed)."""
    other = get_by_name(db_session=db_session, nom=nom)
    if other is not None and (keep is None or other.id != keep.id):
        raise Conflict(name_taken_message(other, nom))
