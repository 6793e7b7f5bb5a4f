"""The company's name and address: the stored row, else the settings' defaults.

Supplier orders (their PDF and e-mail) name the company through `identity`. Nothing stored
and the settings at their defaults means nobody told the service yet: the office's dashboard
and « Commandes » page ask for it (`needs_asking`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from inventaire.entreprise.models import ONLY, Company
from inventaire.kit.config import Settings

DEFAULT_NAME = Settings.model_fields["entreprise"].default


@dataclass(frozen=True)
class Identity:
    """How documents name the company: its name, and the lines under it (address, phone, e-mail)."""

    nom: str
    adresse: tuple[str, ...]
    telephone: str | None
    courriel: str | None
    enregistree: bool  # False: the settings' defaults

    @property
    def lignes(self) -> tuple[str, ...]:
        """The lines a document prints under the name."""
        contact = (f"Tél. : {self.telephone}" if self.telephone else None,
                   f"Courriel : {self.courriel}" if self.courriel else None)
        return (*self.adresse, *(line for line in contact if line))


def stored(*, db_session: Session) -> Company | None:
    return db_session.get(Company, ONLY)


def identity(*, db_session: Session, settings: Settings) -> Identity:
    """The stored name and address, else INVENTAIRE_ENTREPRISE and its « | »-separated lines."""
    row = stored(db_session=db_session)
    if row is not None:
        return Identity(nom=row.nom, adresse=tuple(row.adresse.split("\n") if row.adresse else ()), telephone=row.telephone,
                        courriel=row.courriel, enregistree=True)
    lines = tuple(part.strip() for part in settings.entreprise_coordonnees.split("|") if part.strip())
    return Identity(nom=settings.entreprise, adresse=lines, telephone=None, courriel=None, enregistree=False)


def needs_asking(*, db_session: Session, settings: Settings) -> bool:
    """Nothing stored and the settings untouched: the order PDF would say « Inventaire » with no address."""
    if settings.entreprise != DEFAULT_NAME or settings.entreprise_coordonnees.strip():
        return False
    return stored(db_session=db_session) is None


def save(*, db_session: Session, data: dict[str, Any]) -> Company:
    """Store the whole identity (validated by CompanyWrite): the one row is created or replaced."""
    row = stored(db_session=db_session)
    if row is None:
        row = Company(id=ONLY)
        db_session.add(row)
    row.nom = data["nom"]
    row.adresse = "\n".join(data.get("adresse") or ()) or None  # lines hold no line break (schemas.AddressLine)
    row.telephone, row.courriel = data.get("telephone") or None, data.get("courriel") or None
    db_session.flush()
    return row
