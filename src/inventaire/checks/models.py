"""Stored runs of the low-stock check, with the notifications each run sent."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.database import Base, Quantity, UTCDateTime, utcnow
from inventaire.enums import DeliveryStatus, RunNotifications
from inventaire.notifications.models import Notification
from inventaire.techniciens.models import Technician


class Verification(Base):
    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    technicien_id: Mapped[int | None] = mapped_column(ForeignKey("techniciens.id"), nullable=True, index=True)
    seuil_critique: Mapped[Decimal | None] = mapped_column(Quantity(), nullable=True)
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    total_alertes: Mapped[int] = mapped_column(Integer)
    alertes_critiques: Mapped[int] = mapped_column(Integer)
    declenchee_par: Mapped[str] = mapped_column(String(120))
    # Whether this run was asked to notify (False: `?notifier=false`, `check` without --notify).
    notifier: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The whole report, exactly as it was answered (alert lifecycle included).
    rapport: Mapped[dict] = mapped_column(JSON)

    technicien: Mapped[Technician | None] = relationship(lazy="joined")
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
