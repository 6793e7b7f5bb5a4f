"""The check report: the seed's fields, field for field, plus `seuil` and friends."""

from typing import Literal

from pydantic import BaseModel, Field

from inventaire.schemas import Timestamp, DecimalOut


class Alert(BaseModel):
    code_produit: str
    technicien: str
    quantite_actuelle: DecimalOut
    severity: Literal["critique", "bas_stock"]
    nom_produit: str
    seuil: DecimalOut
    unite: str
    quantite_a_commander: DecimalOut | None = None


class Statistics(BaseModel):
    total_produits: int
    total_alertes: int
    alertes_critiques: int
    alertes_bas_stock: int
    valeur_totale_estimee: DecimalOut


class Report(BaseModel):
    generated_at: Timestamp
    technicien: str | None
    seuil_critique: DecimalOut
    statistiques: Statistics
    alertes: list[Alert]
    summary: str


class CheckResponse(BaseModel):
    status: Literal["success"] = "success"
    message: str = "Vérification d'inventaire terminée"
    alerts_detected: int
    verification_id: int
    rapport: Report = Field(description="Le rapport complet, tel qu'il est enregistré.")
