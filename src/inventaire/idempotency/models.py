"""Idempotency keys: the first answer to a stock-changing request, kept for replays."""

import datetime as dt

from sqlalchemy import Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow


class IdempotencyKey(Base):
    """One key of one caller, inserted in the same transaction as the change it protects."""

    __tablename__ = "cles_idempotence"
    __table_args__ = (
        # The unique key is what serialises two racing requests: the second waits on it.
        UniqueConstraint("appelant", "cle", name="uq_cles_idempotence_appelant_cle"),
        Index("ix_cles_idempotence_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appelant: Mapped[str] = mapped_column(String(40))
    cle: Mapped[str] = mapped_column(String(200))
    empreinte: Mapped[str] = mapped_column(String(64))
    statut: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reponse: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
