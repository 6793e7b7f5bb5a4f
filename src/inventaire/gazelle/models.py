"""Gazelle's side kept in the database: the OAuth tokens (rotated by Gazelle) and every sync run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow
from inventaire.kit.enums import SyncStatus


class GazelleToken(Base):
    """One row: the refresh token to use next and the access token while it lives. Never exported or shown."""

    __tablename__ = "gazelle_jetons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    refresh_token: Mapped[str] = mapped_column(Text)
    # Digest of INVENTAIRE_GAZELLE_REFRESH_TOKEN when this chain started: a new one set there wins.
    origine: Mapped[str] = mapped_column(String(64))
    access_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When an administrator authorized the application from the « Gazelle » page, and who.
    connecte_depuis: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    autorise_par: Mapped[str | None] = mapped_column(String(120), nullable=True)


class OAuthState(Base):
    """A one-time `state` of « Connecter Gazelle », bound to the browser that asked for it.

    Only digests are kept: of the state sent to Gazelle, and of the nonce held in the browser's
    own cookie (SameSite=Lax, so it comes back with Gazelle's cross-site redirect, which the
    page session's Strict cookie does not).
    """

    __tablename__ = "gazelle_etats_oauth"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    etat: Mapped[str] = mapped_column(String(64), unique=True)
    navigateur: Mapped[str] = mapped_column(String(64))
    demande_par: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SchemaCheck(Base):
    """One check of Gazelle's live schema against the fields the connector reads."""

    __tablename__ = "gazelle_verifications"
    __table_args__ = (Index("ix_gazelle_verifications_checked_at", "checked_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean)
    mode: Mapped[str] = mapped_column(String(12))
    champs_manquants: Mapped[list] = mapped_column(JSON, default=list)
    utilisateurs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    erreur: Mapped[str | None] = mapped_column(Text, nullable=True)


class GazelleSync(Base):
    """One sync run with its report; the row "in progress" is also the lock (one run at a time)."""

    __tablename__ = "gazelle_syncs"
    __table_args__ = (
        CheckConstraint(SyncStatus.check("statut"), name="statut_connu"),
        # At most one run in progress, on both databases (a partial unique index).
        Index("uq_gazelle_syncs_en_cours", "statut", unique=True,
              sqlite_where=text("statut = 'en_cours'"), postgresql_where=text("statut = 'en_cours'")),
        Index("ix_gazelle_syncs_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statut: Mapped[str] = mapped_column(String(12))
    jours: Mapped[int] = mapped_column(Integer)
    declenchee_par: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    rapport: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    erreur: Mapped[str | None] = mapped_column(Text, nullable=True)
    notifiee: Mapped[bool] = mapped_column(default=False)  # the office was told about the failures up to this run
    # Moved by the running process at every page and batch: a run whose heartbeat stopped is dead.
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
