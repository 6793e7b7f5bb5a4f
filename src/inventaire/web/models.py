"""Dashboard sessions: an opaque random id in the cookie, only its hash stored here."""

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventaire.auth.models import ApiToken
from inventaire.kit.database import Base, UTCDateTime, utcnow


class WebSession(Base):
    __tablename__ = "sessions_web"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cle_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A session lives only as long as the token that opened it (revoking it logs out).
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    token: Mapped[ApiToken] = relationship(lazy="joined", innerjoin=True)
