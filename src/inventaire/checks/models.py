"""Stored runs of the low-stock check, with the deliveries of each run's notifications.

The deliveries are stored with the run they belong to; `notifications/` renders and sends them.
"""

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.emplacements.models import Location
from inventaire.kit.database import Base, Quantity, UTCDateTime, utcnow
from inventaire.kit.enums import Channel, DeliveryStatus, RunNotifications


class Notification(Base):
    """One delivery of a run's notification on one channel: what was sent, to whom, and how it went."""

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


class Verification(Base):
    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    technicien_id: Mapped[int | None] = mapped_column(ForeignKey("emplacements.id"), nullable=True, index=True)
    seuil_critique: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    total_alertes: Mapped[int] = mapped_column(Integer)
    alertes_critiques: Mapped[int] = mapped_column(Integer)
    declenchee_par: Mapped[str] = mapped_column(String(120))
    # Whether this run was asked to notify (False: `?notifier=false`, `check` without --notify).
    notifier: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The whole report, exactly as it was answered (alert lifecycle included).
    rapport: Mapped[dict] = mapped_column(JSON)

    technicien: Mapped[Location | None] = relationship(lazy="joined")
    # Every delivery of this run, in the order they were prepared.
    notifications: Mapped[list[Notification]] = relationship(
        lazy="selectin", order_by=Notification.id, cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def statut_notifications(self) -> RunNotifications:
        """One word for the run's notifications, for lists and pages.

        desactivees (a silent run), aucune (nothing new to say, or no channel configured),
        en_attente, envoyees, echec (every delivery failed), partielle (some failed).
        """
        if not self.notifier:
            return RunNotifications.DESACTIVEES
        statuses = {n.statut for n in self.notifications}
        if not statuses:
            return RunNotifications.AUCUNE
        if statuses & {DeliveryStatus.EN_ATTENTE, DeliveryStatus.EN_COURS}:
            return RunNotifications.EN_ATTENTE
        if statuses == {DeliveryStatus.ENVOYEE}:
            return RunNotifications.ENVOYEES
        return RunNotifications.ECHEC if statuses == {DeliveryStatus.ECHEC} else RunNotifications.PARTIELLE
