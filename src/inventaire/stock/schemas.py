"""API shapes of stock lines, changes, counts and ledger rows, and their read mappers (`X.of(row)`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from inventaire.kit.enums import MovementCause, MovementType, TransactionType
from inventaire.kit.schemas import Code, DecimalOut, Name, NonNegativeQuantityIn, PersonText, QuantityIn, Timestamp
from inventaire.stock.models import StockLine, Transaction

Note = Annotated[str, PersonText(500, min_length=0)]
Reference = Annotated[str, PersonText(120, min_length=0)]


class StockLineRead(BaseModel):
    technicien: str
    code_produit: str
    nom_produit: str
    unite: str
    quantite: DecimalOut
    seuil: DecimalOut = Field(description="Seuil en vigueur pour cette ligne")
    seuil_min: DecimalOut | None
    niveau_par: DecimalOut | None
    valeur: DecimalOut = Field(description="quantite × prix_unitaire")
    updated_at: Timestamp

    @classmethod
    def of(cls, line: StockLine, *, seuil: Decimal) -> StockLineRead:
        """A line with the threshold in force for it (stock.reading.threshold_of)."""
        return cls(
            technicien=line.emplacement.nom, code_produit=line.produit.code_produit,
            nom_produit=line.produit.nom_produit, unite=line.produit.unite, quantite=line.quantite,
            seuil=seuil, seuil_min=line.seuil_min, niveau_par=line.niveau_par,
            valeur=(line.quantite * line.produit.prix_unitaire).quantize(Decimal("0.01")),
            updated_at=line.updated_at,
        )


class AdjustRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{
                "technicien": "Allan", "code_produit": "CORD-001", "ajustement": -2, "type": "utilisation",
                "motif": "Accord Yamaha U1, client Tremblay", "reference": "RDV-4411",
            }],
            # The sign rules of the service (check_sign), stated in the schema.
            "allOf": [
                {"if": {"properties": {"type": {"const": "reception"}}, "required": ["type"]},
                 "then": {"properties": {"ajustement": {"exclusiveMinimum": 0}}}},
                {"if": {"properties": {"type": {"const": "utilisation"}}, "required": ["type"]},
                 "then": {"properties": {"ajustement": {"exclusiveMaximum": 0}}}},
            ],
        },
    )

    technicien: Name
    code_produit: Code
    ajustement: QuantityIn = Field(description="Variation signée, non nulle, du signe du type",
                                   json_schema_extra={"not": {"const": 0}})
    type: MovementType = TransactionType.AJUSTEMENT
    motif: Note | None = None
    reference: Reference | None = None


class CountRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    technicien: Name
    code_produit: Code
    quantite: NonNegativeQuantityIn = Field(description="Quantité comptée sur l'étagère")
    quantite_vue: NonNegativeQuantityIn | None = Field(
        default=None, description="Quantité affichée au moment du comptage ; refusé (409) si elle a changé"
    )
    motif: Note | None = None


class LevelsRequest(BaseModel):
    """A line's own minimum and par level; null clears one."""

    model_config = ConfigDict(extra="forbid")

    seuil_min: NonNegativeQuantityIn | None = None
    niveau_par: NonNegativeQuantityIn | None = None


class TransactionRead(BaseModel):
    id: int
    technicien: str
    code_produit: str
    type: TransactionType
    ajustement: DecimalOut
    quantite_avant: DecimalOut
    quantite_apres: DecimalOut
    motif: str | None
    reference: str | None
    auteur: str
    created_at: Timestamp
    cause: MovementCause | None = Field(description="Ce qui a causé le mouvement (null : mouvement ancien, cause inconnue)")
    cause_id: int | None = Field(description="La demande, la commande ou le service déduit qui l'a causé, ou null")

    @classmethod
    def of(cls, entry: Transaction) -> TransactionRead:
        return cls(
            id=entry.id, technicien=entry.emplacement.nom, code_produit=entry.produit.code_produit,
            type=TransactionType(entry.type), ajustement=entry.ajustement, quantite_avant=entry.quantite_avant,
            quantite_apres=entry.quantite_apres, motif=entry.motif, reference=entry.reference,
            auteur=entry.auteur, created_at=entry.created_at, cause=entry.cause, cause_id=entry.cause_id,
        )


class TransferRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [
            {"de": "Atelier", "vers": "Allan", "code_produit": "CORD-012", "quantite": 3, "motif": None}]},
    )

    de: Name = Field(description="Atelier ou technicien d'où part le stock")
    vers: Name = Field(description="Atelier ou technicien qui le reçoit")
    code_produit: Code
    quantite: NonNegativeQuantityIn = Field(description="Quantité à transférer (plus grande que zéro)",
                                            json_schema_extra={"exclusiveMinimum": 0})
    motif: Note | None = None


class TransferRead(BaseModel):
    sortie: TransactionRead = Field(description="La sortie (négative) de « de »")
    entree: TransactionRead = Field(description="L'entrée (positive) dans « vers »")


class TransactionPage(BaseModel):
    items: list[TransactionRead]
    total: int
    limit: int
    offset: int


class ConsumptionRead(BaseModel):
    code_produit: str
    nom_produit: str
    unite: str
    quantite: DecimalOut
    valeur: DecimalOut


class StatsRead(BaseModel):
    technicien: str
    jours: int
    depuis: Timestamp
    lignes: int
    quantite_totale: DecimalOut
    valeur_totale: DecimalOut
    transactions: int
    consommation: list[ConsumptionRead]
