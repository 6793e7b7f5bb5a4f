"""An appointment (`APPOINTMENT` event) read from Gazelle, with the services booked on it.

Rows are replaced at each read of the window (today → INVENTAIRE_GAZELLE_JOURS_AVENIR days):
a row is written only when its fingerprint changed, so an unchanged read writes nothing.
The technician is not stored: the Gazelle user is, and joined to `techniciens.gazelle_id`
when read, so a user mapped to a technician later finds their appointments without a re-read.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow
from inventaire.kit.enums import AppointmentStatus

ID_MAX = 60


class Appointment(Base):
    __tablename__ = "rendez_vous"
    __table_args__ = (
        CheckConstraint(AppointmentStatus.check("statut"), name="statut_connu"),
        Index("ix_rendez_vous_utilisateur_jour", "gazelle_user", "jour"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_externe: Mapped[str] = mapped_column(String(ID_MAX), unique=True)  # evt_…
    gazelle_user: Mapped[str | None] = mapped_column(String(ID_MAX), nullable=True)  # usr_…, None: nobody
    jour: Mapped[dt.date] = mapped_column(Date, index=True)  # the local day (INVENTAIRE_TZ) it starts on
    debut: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    duree_minutes: Mapped[int] = mapped_column(Integer)
    statut: Mapped[str] = mapped_column(String(12))
    client: Mapped[str | None] = mapped_column(String(200), nullable=True)
    titre: Mapped[str | None] = mapped_column(String(200), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    # [{"id", "service_id" (None: a free-text item), "nom", "quantite" (units, as text)}]
    services: Mapped[list] = mapped_column(JSON)
    empreinte: Mapped[str] = mapped_column(String(64))  # digest of everything above: unchanged, not written
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
