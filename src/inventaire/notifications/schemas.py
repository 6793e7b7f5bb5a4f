"""API shape of one delivery."""

from pydantic import BaseModel, ConfigDict

from inventaire.enums import Channel, DeliveryStatus
from inventaire.schemas import Timestamp


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    canal: Channel
    destinataires: list[str]
    technicien: str | None
    sujet: str
    statut: DeliveryStatus
    tentatives: int
    erreur: str | None
    derniere_tentative: Timestamp | None
    envoyee_le: Timestamp | None
