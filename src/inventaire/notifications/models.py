"""One delivery of a check's notification on one channel: what was sent, to whom, and how it went."""

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.database import Base, UTCDateTime, utcnow
from inventaire.enums import Channel, DeliveryStatus


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(Channel.check("canal"), name="canal_connu"),
        CheckConstraint(DeliveryStatus.check("statut"), name="statut_connu"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verification_id: Mapped[int] = mapped_column(ForeignKey("verifications.id", ondelete="CASCADE"), index=True)
    canal: Mapped[str] = mapped_column(String(20))
    # Who it is for, as a person reads it: e-mail addresses, or "Slack" / "Discord" (webhook
    # URLs are secrets and are never stored).
    destinataires: Mapped[list] = mapped_column(JSON)
    # The technician an individual e-mail is for (None: the office digest, or a chat message).
    technicien: Mapped[str | None] = mapped_column(String(60), nullable=True)
    sujet: Mapped[str] = mapped_column(String(300))
    # Exactly what is sent (e-mail parts, or the webhook's JSON payload), so a retry resends it.
    contenu: Mapped[dict] = mapped_column(JSON)
    statut: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.EN_ATTENTE, index=True)
    tentatives: Mapped[int] = mapped_column(Integer, default=0)
    erreur: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    derniere_tentative: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    envoyee_le: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
