"""What the dashboard says about the Gazelle sync: nothing when it is fine, else why not (in French)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from inventaire.gazelle import service as gazelle_service
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.kit.enums import SyncStatus


def problem(*, db_session: Session, settings: Settings) -> str | None:
    """A failed last run, or no successful run for `gazelle_late_hours` while Gazelle is set up."""
    runs = [r for r in gazelle_service.recent(db_session=db_session, limit=5) if r.statut != SyncStatus.EN_COURS]
    if not runs and not settings.gazelle_configured:
        return None
    if runs and runs[0].statut in (SyncStatus.ECHEC, SyncStatus.INTERROMPUE):
        return f"La dernière synchronisation Gazelle (n° {runs[0].id}) a échoué : {runs[0].erreur}"
    if not settings.gazelle_configured:
        return None
    last = gazelle_service.last_success(db_session=db_session)
    late = dt.timedelta(hours=settings.gazelle_late_hours)
    if last is None:
        return "Aucune synchronisation Gazelle n'a encore réussi : les factures ne sont pas déduites."
    if utcnow() - last.started_at > late:
        return (f"Synchronisation Gazelle en retard : aucune réussie depuis plus de "
                f"{settings.gazelle_late_hours:g} h (dernière : n° {last.id}).")
    return None
