"""The jobs on a schedule inside `inventaire serve`, in INVENTAIRE_TZ: the check (INVENTAIRE_CHECK_CRON)
and the Gazelle sync (INVENTAIRE_GAZELLE_CRON).

One scheduler per `serve` command (it lives in the supervising process, whatever the number
of workers). Several servers on one database each fire at the same tick: the check lock
serialises them and the later ones see that the tick's run exists and skip it; a sync already
running elsewhere makes the second one give up (tasks/gazelle_run.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from inventaire.checks import lock
from inventaire.checks.models import Verification
from inventaire.kit.config import Settings
from inventaire.kit.database import engine_for, session_scope, utcnow
from inventaire.kit.exceptions import DomainError, InvalidInput
from inventaire.kit.quantities import count
from inventaire.sessions import session_factory as sessions_for
from inventaire.tasks import chargement_run, check_run, gazelle_run

log = logging.getLogger(__name__)
JOB_ID = "verification-planifiee"
GAZELLE_JOB_ID = "synchronisation-gazelle"
EVENING, MORNING = "chargement-du-soir", "chargement-du-matin"  # the load lists' two jobs
DECLENCHEUR = "planificateur"


WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _weekday(token: str) -> int:
    token = token.lower()
    if token[:3] in WEEKDAYS:
        return WEEKDAYS.index(token[:3])
    number = int(token)  # ValueError for nonsense, reported as an invalid expression
    if not 0 <= number <= 7:
        raise ValueError(f"jour de semaine hors limites : {number}")
    return number % 7


def crontab_weekdays(field: str) -> str:
    """A crontab day-of-week field (0 or 7 = Sunday) as the day names APScheduler 3 reads.

    APScheduler 3 numbers weekdays from Monday = 0, so « 1-5 » would mean Tuesday to
    Saturday there; expanding to names keeps the crontab meaning (Monday to Friday).
    """
    if field == "*":
        return field
    days: set[int] = set()
    for part in field.split(","):
        span, _, step = part.partition("/")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            first, last = (_weekday(t) for t in span.split("-", 1))
            last = 7 if last == 0 and span.split("-", 1)[1] == "7" else last
            if first > last:
                raise ValueError(f"plage de jours invalide : {span}")
        else:
            first = last = _weekday(span)
            if step:
                last = 6
        days.update(d % 7 for d in range(first, last + 1, int(step) if step else 1))
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def cron_trigger(settings: Settings, expression: str | None = None, name: str = "INVENTAIRE_CHECK_CRON") -> CronTrigger:
    """The trigger for INVENTAIRE_CHECK_CRON (or another crontab expression) in INVENTAIRE_TZ; InvalidInput
    (French) when malformed."""
    expression = settings.check_cron if expression is None else expression
    try:
        zone = ZoneInfo(settings.tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(f"INVENTAIRE_TZ invalide : « {settings.tz} » (exemple : America/Montreal).") from exc
    try:
        fields = (expression or "").split()
        if len(fields) != 5:
            raise ValueError(f"{count(len(fields), 'champ')} au lieu de 5")
        minute, hour, day, month, weekday = fields
        return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                           day_of_week=crontab_weekdays(weekday), timezone=zone)
    except ValueError as exc:
        raise InvalidInput(
            f"{name} invalide : « {expression} » ({exc}). "
            "Format : minute heure jour mois jour-de-semaine, par exemple « 0 9 * * * »."
        ) from exc


def _tick_already_run(db_session: Session, tick: dt.datetime) -> bool:
    """Whether a scheduled run of every technician exists since this tick (another server did it)."""
    return db_session.scalar(
        select(Verification.id).where(
            Verification.declenchee_par == DECLENCHEUR, Verification.technicien_id.is_(None),
            Verification.generated_at >= tick,
        ).limit(1)
    ) is not None


def scheduled_check(
    *, session_factory: sessionmaker[Session], settings: Settings, sleep: Callable[[float], None] = time.sleep
) -> Verification | None:
    """The job: a notifying check of every technician (None when this tick was already run, or busy).

    The check lock is taken once, here, before reading whether the tick was run: the run itself is told it holds it.
    """
    tick = utcnow().replace(second=0, microsecond=0)  # cron fires on whole minutes
    with session_scope(session_factory) as session:
        try:
            lock.acquire(db_session=session, timeout=settings.check_lock_timeout)
            if _tick_already_run(session, tick):
                log.info("scheduled check: this tick was already run by another server")
                return None
            verification = check_run.check_and_notify(
                db_session=session, settings=settings, technicien=None, seuil_critique=None,
                notifier=True, declenchee_par=DECLENCHEUR, sleep=sleep, locked=True,
            )
        except DomainError as exc:
            log.warning("scheduled check not run: %s", exc.detail)
            return None
    log.info("scheduled check %s: %s", verification.id, verification.rapport["summary"])
    return verification


def gazelle_trigger(settings: Settings) -> CronTrigger:
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


def scheduled_loads(run: Callable[..., list], *, session_factory: sessionmaker[Session], settings: Settings) -> None:
    """The evening list or the morning's changes: retry what failed, then run; a failure is logged, never raised."""
    try:
        chargement_run.retry(session_factory=session_factory, settings=settings)
        sent = run(session_factory=session_factory, settings=settings)
        log.info("%s: %d message(s)", run.__name__, len(sent))
    except Exception:
        log.exception("scheduled load lists failed")


def _any_schedule(settings: Settings) -> bool:
    return bool(settings.check_cron or settings.gazelle_cron or settings.chargement_cron or settings.chargement_matin_cron)


def build_scheduler(settings: Settings, session_factory: sessionmaker[Session]) -> BackgroundScheduler | None:
    """A scheduler with the check, the Gazelle sync and the load lists' jobs, each when its cron is set; None when none is."""
    if not _any_schedule(settings):
        return None
    scheduler = BackgroundScheduler(timezone=ZoneInfo(settings.tz))
    if settings.check_cron:
        scheduler.add_job(
            scheduled_check, cron_trigger(settings), id=JOB_ID, name="Vérification d'inventaire planifiée",
            kwargs={"session_factory": session_factory, "settings": settings},
            coalesce=True, max_instances=1, misfire_grace_time=300, replace_existing=True,
        )
    if settings.gazelle_cron:
        scheduler.add_job(
            scheduled_sync, gazelle_trigger(settings), id=GAZELLE_JOB_ID, name="Synchronisation Gazelle planifiée",
            kwargs={"session_factory": session_factory, "settings": settings},
            coalesce=True, max_instances=1, misfire_grace_time=300, replace_existing=True,
        )
    for job_id, expression, name, run, label in (
            (EVENING, settings.chargement_cron, "INVENTAIRE_CHARGEMENT_CRON", chargement_run.evening, "du soir"),
            (MORNING, settings.chargement_matin_cron, "INVENTAIRE_CHARGEMENT_MATIN_CRON", chargement_run.morning,
             "du matin")):
        if expression:
            scheduler.add_job(scheduled_loads, cron_trigger(settings, expression, name), args=[run], id=job_id,
                              name=f"Chargement {label}", kwargs={"session_factory": session_factory, "settings": settings},
                              coalesce=True, max_instances=1, misfire_grace_time=600, replace_existing=True)
    return scheduler


def start(settings: Settings) -> BackgroundScheduler | None:
    """Start the scheduler of `serve` on its own engine; None when no schedule is set."""
    if not _any_schedule(settings):
        return None
    engine = engine_for(settings)
    scheduler = build_scheduler(settings, sessions_for(engine))
    if scheduler is not None:
        scheduler.start()
    return scheduler
