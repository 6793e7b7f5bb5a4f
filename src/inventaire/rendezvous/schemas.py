"""API shapes of the stored appointments (CONTRACT: "Appointments and loading")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from inventaire.kit.schemas import DecimalOut
from inventaire.rendezvous.models import Appointment
from inventaire.techniciens.models import Technician


class BookedServiceRead(BaseModel):
    service_id: str | None = Field(description="Article MSL de Gazelle (mit_…), null pour un article libre")
    nom: str | None
    quantite: DecimalOut = Field(description="En unités (Gazelle compte en centièmes)")


class AppointmentRead(BaseModel):
    id_externe: str = Field(examples=["evt_3kF9aQ"])
    technicien: str | None = Field(description="null : utilisateur Gazelle sans technicien")
    debut: dt.datetime = Field(description="ISO 8601 avec le décalage de INVENTAIRE_TZ")
    duree_minutes: int
    client: str | None
    statut: str = Field(description="ACTIVE ou COMPLETE (les rendez-vous annulés ne sont pas listés)")
    notes: str | None
    services: list[BookedServiceRead]

    @classmethod
    def of(cls, appointment: Appointment, technician: Technician | None, tz: ZoneInfo) -> AppointmentRead:
        return cls(
            id_externe=appointment.id_externe, technicien=technician.nom if technician else None,
            debut=appointment.debut.astimezone(tz), duree_minutes=appointment.duree_minutes,
            client=appointment.client, statut=appointment.statut, notes=appointment.notes,
            services=[BookedServiceRead(service_id=s["service_id"], nom=s["nom"], quantite=Decimal(s["quantite"]))
                      for s in appointment.services],
        )
