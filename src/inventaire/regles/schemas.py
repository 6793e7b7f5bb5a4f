"""API shapes of a consumption rule."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from inventaire.kit.quantities import MAX_QUANTITY, QUANTITY_STEP
from inventaire.kit.schemas import SERVICE_PATTERN, Code, DecimalOut, PersonText, QuantityIn, Timestamp, not_nullable
from inventaire.regles.models import ConsumptionRule

ServiceId = Annotated[
    str, StringConstraints(pattern=SERVICE_PATTERN),
    Field(description="Service facturé : un article MSL de Gazelle (mit_…) ou tout code de service",
          examples=["mit_2eBOzDvunD7PHs6M"]),
]
PositiveQuantity = Annotated[
    QuantityIn, Field(gt=0),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": float(MAX_QUANTITY),
                    "multipleOf": float(QUANTITY_STEP),
                    "description": "Quantité consommée par service facturé (> 0)", "examples": [1]}, mode="validation"),
    WithJsonSchema({"type": "number"}, mode="serialization"),
]
ServiceName = Annotated[str, PersonText(200)]
Notes = Annotated[str, PersonText(500)]


class RuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "service_id": "mit_2eBOzDvunD7PHs6M", "code_produit": "PLS-BUVARDS", "quantite": 1,
        "service_nom": "Entretien annuel du système PLS", "notes": None,
    }]})

    service_id: ServiceId
    code_produit: Code
    quantite: PositiveQuantity
    service_nom: ServiceName | None = None
    notes: Notes | None = None


class RuleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=not_nullable("quantite"))

    quantite: PositiveQuantity | None = None
    service_nom: ServiceName | None = None
    notes: Notes | None = None


class RuleRead(BaseModel):
    id: int
    service_id: str
    service_nom: str | None
    code_produit: str
    nom_produit: str
    unite: str
    quantite: DecimalOut
    notes: str | None
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def of(cls, rule: ConsumptionRule) -> RuleRead:
        return cls(
            id=rule.id, service_id=rule.service_id, service_nom=rule.service_nom,
            code_produit=rule.produit.code_produit, nom_produit=rule.produit.nom_produit, unite=rule.produit.unite,
            quantite=rule.quantite, notes=rule.notes, created_at=rule.created_at, updated_at=rule.updated_at,
        )
