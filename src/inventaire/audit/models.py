"""The audit trail: every change that is not a stock movement, with who and when, in one table."""

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow
from inventaire.kit.enums import AuditAction


class AuditEntry(Base):
    __tablename__ = "journal_audit"
    __table_args__ = (
        CheckConstraint(AuditAction.check("action"), name="action_connue"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    auteur: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))
    objet: Mapped[str] = mapped_column(String(200))  # « CORD-012 », « Allan », « Allan / CORD-012 », « jeton n° 3 »
    # {field: [before, after]} as JSON-native values (decimals as text), or {} for a creation.
    changements: Mapped[dict] = mapped_column(JSON, default=dict)
