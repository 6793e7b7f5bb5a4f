"""Reading the Gazelle sync runs (the run itself, which writes them, is tasks/gazelle_run.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.gazelle.models import GazelleSync
from inventaire.kit.enums import SyncStatus


def recent(*, db_session: Session, limit: int = 20) -> list[GazelleSync]:
    """The runs, newest first."""
    return list(db_session.scalars(
        select(GazelleSync).order_by(GazelleSync.started_at.desc(), GazelleSync.id.desc()).limit(limit)))


def last_success(*, db_session: Session) -> GazelleSync | None:
    """The latest run that succeeded, or None."""
    return db_session.scalar(select(GazelleSync).where(GazelleSync.statut == SyncStatus.REUSSIE)
                             .order_by(GazelleSync.started_at.desc()).limit(1))


def last_failure(*, db_session: Session) -> GazelleSync | None:
    """The latest run that failed or was found dead, or None."""
    return db_session.scalar(select(GazelleSync).where(
        GazelleSync.statut.in_((SyncStatus.ECHEC, SyncStatus.INTERROMPUE)))
        .order_by(GazelleSync.started_at.desc()).limit(1))
