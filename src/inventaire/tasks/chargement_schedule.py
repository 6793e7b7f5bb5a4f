"""The evening list and the morning's changes on a schedule inside `inventaire serve`
(INVENTAIRE_CHARGEMENT_CRON and INVENTAIRE_CHARGEMENT_MATIN_CRON, in INVENTAIRE_TZ; off when unset)."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.orm import Session, sessionmaker

from inventaire.kit.config import Settings
from inventaire.tasks import chargement_run
from inventaire.tasks.scheduler import cron_trigger

log = logging.getLogger(__name__)
EVENING, MORNING = "chargement-du-soir", "chargement-du-matin"


def enabled(settings: Settings) -> bool:
    return bool(settings.chargement_cron or settings.chargement_matin_cron)


def _job(run, *, session_factory: sessionmaker[Session], settings: Settings) -> None:
    """Retry what failed, then run; a failure is logged, never raised (the scheduler keeps running)."""
    try:
        chargement_run.retry(session_factory=session_factory, settings=settings)
        sent = run(session_factory=session_factory, settings=settings)
        log.info("%s: %d message(s)", run.__name__, len(sent))
    except Exception:
        log.exception("scheduled load lists failed")


def add_jobs(scheduler: BackgroundScheduler, settings: Settings, session_factory: sessionmaker[Session]) -> None:
    for job_id, expression, name, run, label in (
            (EVENING, settings.chargement_cron, "INVENTAIRE_CHARGEMENT_CRON", chargement_run.evening, "du soir"),
            (MORNING, settings.chargement_matin_cron, "INVENTAIRE_CHARGEMENT_MATIN_CRON", chargement_run.morning,
             "du matin")):
        if expression:
            scheduler.add_job(_job, cron_trigger(settings, expression, name), args=[run], id=job_id,
                              name=f"Chargement {label}", kwargs={"session_factory": session_factory, "settings": settings},
                              coalesce=True, max_instances=1, misfire_grace_time=600, replace_existing=True)
