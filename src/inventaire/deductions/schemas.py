"""API shapes of a completed service and of what its deduction did."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from inventaire.kit.enums import NotDeducted, ServiceStatus
from inventaire.kit.schemas import DecimalOut, Name, NonNegativeQuantityIn, PersonText, Timestamp, invalid
from inventaire.stock.schemas import TransactionRead

if TYPE_CHECKING:  # the service imports this module (ServiceIn)
    from inventaire.deductions.models import DeductedService, Deduction
    from inventaire.deductions.service import Outcome

ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=120, pattern=r"^[^\x00-\x1f\x7f]+$")]
Source = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,39}$"),
                   Field(description="La source du service : gazelle, csv…", examples=["gazelle"])]
ServiceCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$"),
                        Field(examples=["mit_2eBOzDvunD7PHs6M"])]

EXAMPLE: dict[str, Any] = {
    "source": "gazelle", "id_externe": "inv_7140", "numero": "7140", "statut": "actif",
    "technicien": "Allan", "client": "Lina Vanelli", "date": "2026-04-29",
    "lignes": [{"id_externe": "ini_1", "service_id": "mit_2eBOzDvunD7PHs6M",
                "description": "Entretien annuel du système PLS", "quantite": 1}],
}


class ServiceLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_externe: ExternalId
    service_id: ServiceCode | None = Field(None, description="Le service facturé ; absent pour une ligne libre")
    description: Annotated[str, PersonText(500)] | None = None
    quantite: NonNegativeQuantityIn = Field(description="En unités (pas en centièmes)")
    piano_id: ExternalId | None = Field(None, description="Le piano du service (Gazelle : `piano { id }`)",
                                        examples=["pno_8dKx2"])


class ServiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE]})

    source: Source
    id_externe: ExternalId
    numero: Annotated[str, PersonText(40)] | None = None
    statut: ServiceStatus
    technicien: Name | None = Field(None, description="Le technicien qui a fait le travail ; son véhicule fournit")
    client: Annotated[str, PersonText(200)] | None = None
    date: dt.date | None = None
    version: dt.datetime | None = Field(
        None, description="Version à la source (ex. : updatedAt de Gazelle) ; une version plus ancienne est ignorée")
    lignes: list[ServiceLineIn] = Field(default_factory=list, max_length=500)

    @field_validator("lignes")
    @classmethod
    def _unique_lines(cls, lignes: list[ServiceLineIn]) -> list[ServiceLineIn]:
        ids = [line.id_externe for line in lignes]
        if len(set(ids)) != len(ids):
            raise invalid("chaque ligne doit avoir son propre id_externe")
        return lignes

    @field_validator("version")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


class NotDeductedRead(BaseModel):
    id_externe: str
    service_id: str | None
    description: str | None
    code_produit: str | None = None
    quantite: DecimalOut | None = Field(None, description="La quantité non déduite, quand elle est connue")
    raison: NotDeducted
    message: str

    @classmethod
    def of(cls, item: dict[str, Any]) -> NotDeductedRead:
        """A stored item (JSON: the quantity as text)."""
        quantite = item.get("quantite")
        return cls(**{**item, "quantite": Decimal(quantite) if quantite is not None else None})


class ShortfallRead(BaseModel):
    id: int
    reference: str
    technicien: str
    code_produit: str
    nom_produit: str
    manque: DecimalOut
    depuis: Timestamp | None

    @classmethod
    def of(cls, row: Deduction) -> ShortfallRead:
        return cls(id=row.id, reference=row.service.reference, technicien=row.technicien.nom,
                   code_produit=row.produit.code_produit, nom_produit=row.produit.nom_produit,
                   manque=row.manque, depuis=row.manque_depuis)


class DeductionRead(BaseModel):
    ligne_externe: str
    description: str | None
    technicien: str
    code_produit: str
    voulu: DecimalOut
    deduit: DecimalOut
    manque: DecimalOut


class ServiceOutcome(BaseModel):
    """What one call did: the ledger rows it wrote, and what it could not take, with why."""

    source: str
    id_externe: str
    reference: str
    traitement: str = Field(description="applique, inchange ou version_ancienne")
    mouvements: list[TransactionRead]
    non_deduites: list[NotDeductedRead]
    manques: list[ShortfallRead]

    @classmethod
    def of(cls, outcome: Outcome) -> ServiceOutcome:
        return cls(
            source=outcome.entry.source, id_externe=outcome.entry.id_externe, reference=outcome.reference,
            traitement=outcome.traitement, mouvements=[TransactionRead.of(t) for t in outcome.mouvements],
            non_deduites=[NotDeductedRead.of(n) for n in outcome.non_deduites],
            manques=[ShortfallRead.of(d) for d in outcome.manques],
        )


class DeductedServiceRead(BaseModel):
    id: int
    source: str
    id_externe: str
    reference: str
    numero: str | None
    statut: ServiceStatus
    technicien: str | None
    client: str | None
    date: dt.date | None
    version: Timestamp | None
    deductions: list[DeductionRead]
    non_deduites: list[NotDeductedRead]
    updated_at: Timestamp

    @classmethod
    def of(cls, row: DeductedService) -> DeductedServiceRead:
        return cls(
            id=row.id, source=row.source, id_externe=row.id_externe, reference=row.reference, numero=row.numero,
            statut=ServiceStatus(row.statut), technicien=row.technicien.nom if row.technicien else None,
            client=row.client, date=row.date_service, version=row.version, updated_at=row.updated_at,
            deductions=[DeductionRead(ligne_externe=d.ligne_externe, description=d.description,
                                      technicien=d.technicien.nom, code_produit=d.produit.code_produit,
                                      voulu=d.voulu, deduit=d.deduit, manque=d.manque) for d in row.deductions],
            non_deduites=[NotDeductedRead.of(n) for n in row.non_deduites],
        )
