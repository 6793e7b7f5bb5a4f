"""The Gazelle sync on a schedule inside `inventaire serve` (INVENTAIRE_GAZELLE_CRON, in INVENTAIRE_TZ)."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from inventaire.kit.config import Settings
from inventaire.kit.exceptions import DomainError
from inventaire.tasks import gazelle_run
from inventaire.tasks.scheduler import cron_trigger

log = logging.getLogger(__name__)
JOB_ID = "synchronisation-gazelle"
DECLENCHEUR = "planificateur"


def trigger(settings: Settings):
    """The trigger of INVENTAIRE_GAZELLE_CRON; InvalidInput (French) when malformed."""
    return cron_trigger(settings, settings.gazelle_cron, "INVENTAIRE_GAZELLE_CRON")


def scheduled_sync(*, session_factory: sessionmaker[Session], settings: Settings) -> None:
    """The job: one sync; a failure is stored with the run (and told after repeated ones), never raised."""
    try:
        result = gazelle_run.run_sync(session_factory=session_factory, settings=settings, by=DECLENCHEUR)
    except DomainError as exc:
        log.warning("scheduled gazelle sync failed: %s", exc.detail)
        return
    except Exception:  # stored as a failed run already; the scheduler must keep running
        log.exception("scheduled gazelle sync failed")
        return
    run_id = result.run.id if result.run else None
    log.info("scheduled gazelle sync: %s", result.rapport.summary(run_id=run_id))


def add_job(scheduler: BackgroundScheduler, settings: Settings, session_factory: sessionmaker[Session]) -> None:
    scheduler.add_job(
        scheduled_sync, trigger(settings), id=JOB_ID, name="Synchronisation Gazelle planifiée",
        kwargs={"session_factory": session_factory, "settings": settings},
        coalesce=True, max_instances=1, misfire_grace_time=300, replace_existing=True,
    )
