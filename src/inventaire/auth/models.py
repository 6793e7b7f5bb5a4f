"""API tokens: stored as a SHA-256 hash, never in clear."""

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.kit.database import Base, UTCDateTime, utcnow
from inventaire.techniciens.models import Technician


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nom: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    technicien_id: Mapped[int | None] = mapped_column(ForeignKey("techniciens.id"), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    technicien: Mapped[Technician | None] = relationship(lazy="joined")


class AuthFailure(Base):
    """One failed authentication (bad bearer token or login) from one client address.

    Kept a minute (the throttling window), in the database so that every worker and every
    instance sees the same count without new infrastructure; see auth/throttle.py.
    """

    __tablename__ = "echecs_authentification"
    __table_args__ = (Index("ix_echecs_authentification_adresse_date", "adresse", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    adresse: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
