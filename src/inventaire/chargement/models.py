"""What was sent about the vans' loads: the evening list and the morning's changes, one row per message.

Each row is one message on one channel (a technician's e-mail, or the office's chat summary) with
exactly what is sent (so a retry resends it) and the lists it described (`instantane`: technician →
appointment id → what it was), which the morning compares with what Gazelle says then. `cle`
(day/kind/channel/technician) is unique: a second run of the same tick finds it and sends nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow
from inventaire.kit.enums import Channel, DeliveryStatus, LoadNoticeKind


class LoadNotice(Base):
    __tablename__ = "chargement_envois"
    __table_args__ = (
        CheckConstraint(LoadNoticeKind.check("genre"), name="genre_connu"),
        CheckConstraint(Channel.check("canal"), name="canal_connu"),
        CheckConstraint(DeliveryStatus.check("statut"), name="statut_connu"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cle: Mapped[str] = mapped_column(String(120), unique=True)
    jour: Mapped[dt.date] = mapped_column(Date, index=True)  # the day the list is for
    genre: Mapped[str] = mapped_column(String(10))
    canal: Mapped[str] = mapped_column(String(20))
    technicien: Mapped[str | None] = mapped_column(String(60), nullable=True)  # None: the office's summary
    destinataires: Mapped[list] = mapped_column(JSON)
    sujet: Mapped[str] = mapped_column(String(300))
    contenu: Mapped[dict] = mapped_column(JSON)
    instantane: Mapped[dict] = mapped_column(JSON)
    statut: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.EN_ATTENTE, index=True)
    tentatives: Mapped[int] = mapped_column(Integer, default=0)
    erreur: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    derniere_tentative: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    envoyee_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
