"""API tokens: stored as a SHA-256 hash, never in clear."""

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.database import Base, UTCDateTime, utcnow
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
