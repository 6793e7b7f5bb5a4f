"""API shapes of a supplier."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from inventaire.kit.schemas import DecimalOut, MoneyIn, PersonText, Printable, not_nullable
from inventaire.techniciens.schemas import Email

SupplierName = Annotated[str, PersonText(120), Field(examples=["Röslau"])]
Phone = Annotated[str, PersonText(40), Field(examples=["514 555-0199"])]
LeadDays = Annotated[int, Field(ge=0, le=365, description="Jours entre l'envoi d'une commande et sa livraison")]
Notes = Annotated[str, PersonText(2000), Printable]
EXAMPLE: dict[str, Any] = {"nom": "Röslau", "courriel": "commandes@roslau.example", "telephone": "514 555-0199",
                           "delai_jours": 10, "minimum_commande": 150, "notes": "Cordes et fil de basse"}


class SupplierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    nom: SupplierName
    courriel: Email | None = Field(default=None, description="Adresse où les commandes sont envoyées")
    telephone: Phone | None = None
    delai_jours: LeadDays | None = Field(default=None, description="Délai de livraison ; vide : inconnu (compté 0)")
    minimum_commande: MoneyIn | None = Field(default=None, description="Montant minimum d'une commande ($)")
    notes: Notes | None = None


class SupplierUpdate(BaseModel):
    """Every field optional: only those given change; null empties a field (the name cannot be emptied)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=not_nullable("nom"))

    nom: SupplierName | None = None
    courriel: Email | None = None
    telephone: Phone | None = None
    delai_jours: LeadDays | None = None
    minimum_commande: MoneyIn | None = None
    notes: Notes | None = None


NULLABLE_FIELDS = {"courriel", "telephone", "delai_jours", "minimum_commande", "notes"}


class SupplierRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    nom: str
    courriel: str | None
    telephone: str | None
    delai_jours: int | None
    minimum_commande: DecimalOut | None
    notes: str | None
