"""API shape of one delivery."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

from inventaire.schemas import Timestamp


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    canal: Literal["email", "slack", "discord"]
    destinataires: list[str]
    technicien: str | None
    sujet: str
    statut: Literal["en_attente", "en_cours", "envoyee", "echec"]
    tentatives: int
    erreur: str | None
    derniere_tentative: Timestamp | None
    envoyee_le: Timestamp | None
