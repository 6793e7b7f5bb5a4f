"""API shapes of a request from a van."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from inventaire.demandes.models import StockRequest
from inventaire.kit.enums import RequestState
from inventaire.kit.schemas import Code, DecimalOut, Name, NonNegativeQuantityIn, PersonText, Timestamp
from inventaire.stock.schemas import TransferRead

Note = Annotated[str, PersonText(500, min_length=0)]
Reason = Annotated[str, PersonText(500)]


class RequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"technicien": "Allan", "code_produit": "CORD-012", "quantite": 2, "note": "Pour le Yamaha de jeudi"}]})

    technicien: Name
    code_produit: Code
    quantite: NonNegativeQuantityIn = Field(json_schema_extra={"exclusiveMinimum": 0})
    note: Note | None = None


class ServeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid",
                              json_schema_extra={"examples": [{"atelier": "Atelier", "quantite": None}]})

    atelier: Name
    quantite: NonNegativeQuantityIn | None = Field(
        default=None, description="La quantité demandée si absente", json_schema_extra={"exclusiveMinimum": 0})


class RefuseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"motif": "En commande, arrivée lundi"}]})

    motif: Reason


class RequestRead(BaseModel):
    id: int
    technicien: str
    code_produit: str
    nom_produit: str
    unite: str
    quantite: DecimalOut
    note: str | None
    statut: RequestState
    auteur: str
    created_at: Timestamp
    closed_at: Timestamp | None
    motif_refus: str | None
    atelier: str | None
    quantite_servie: DecimalOut | None

    @classmethod
    def of(cls, request: StockRequest) -> RequestRead:
        return cls(
            id=request.id, technicien=request.technicien.nom, code_produit=request.produit.code_produit,
            nom_produit=request.produit.nom_produit, unite=request.produit.unite, quantite=request.quantite,
            note=request.note, statut=RequestState(request.statut), auteur=request.auteur,
            created_at=request.created_at, closed_at=request.closed_at, motif_refus=request.motif_refus,
            atelier=request.atelier.nom if request.atelier else None, quantite_servie=request.quantite_servie,
        )


class ServedRead(RequestRead):
    transfert: TransferRead


