"""API shape of a piano due for its PLS maintenance."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class DuePianoRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    piano_id: str = Field(examples=["pno_8dKx2"])
    client: str | None
    dernier_entretien: dt.date = Field(description="Jour de la dernière facture d'entretien PLS de ce piano")
    mois_depuis: int = Field(description="Mois entiers depuis ; dû à 12, en retard à 13")
    rendez_vous_prevu: dt.date | None = Field(description="Le prochain rendez-vous réservé pour ce piano, s'il y en a "
                                                          "un ; vide : le piano est « dû », à appeler")
