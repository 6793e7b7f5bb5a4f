"""The evening load lists and the morning's changes (INVENTAIRE_CHARGEMENT_CRON, _MATIN_CRON): job-level
code that commits in steps, like the check's notifications (tasks/check_run.py).

Evening: each technician with an e-mail gets the next working day's list (a link to their page),
and the office's Slack/Discord one line per van. Morning: Gazelle is read again (a sync), the lists
are compared with what the evening's messages described, and only what changed (appointments added,
cancelled, moved to another van) is sent, or nothing. Every message is stored before it is sent
(unique per day, kind, channel and technician: a second run of the tick sends nothing), claimed,
sent with no transaction open, and its outcome stored; a failed one is tried again by the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from inventaire.chargement import messages
from inventaire.chargement import service as chargement
from inventaire.chargement.models import LoadNotice
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.kit.enums import Channel, DeliveryStatus, LoadNoticeKind
from inventaire.kit.exceptions import DomainError
from inventaire.notifications import delivery
from inventaire.techniciens import service as techniciens

log = logging.getLogger(__name__)
RETRY_DAYS = 2


def next_working_day(today: dt.date) -> dt.date:
    """The next day from Monday to Friday."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _today(settings: Settings) -> dt.date:
    return utcnow().astimezone(ZoneInfo(settings.tz)).date()


def _lists(session: Session, day: dt.date) -> list[chargement.LoadList]:
    vans = [t for t in techniciens.list_technicians(db_session=session, actif=True) if t.gazelle_id]
    return chargement.load_lists(db_session=session, technicians=vans, day=day)


def _store(session: Session, notices: list[LoadNotice]) -> list[LoadNotice]:
    """Insert each notice unless its key exists (another run of the tick): the ones this run owns."""
    owned = []
    for notice in notices:
        try:
            with session.begin_nested():
                session.add(notice)
                session.flush()
        except IntegrityError:
            continue
        owned.append(notice)
    return owned


def _chat_notices(settings: Settings, day: dt.date, kind: LoadNoticeKind, lines: list[str], title: str,
                  snap: dict) -> list[LoadNotice]:
    targets = [(Channel.SLACK, settings.slack_webhook_url), (Channel.DISCORD, settings.discord_webhook_url)]
    return [LoadNotice(cle=f"{day}/{kind}/{canal}", jour=day, genre=kind, canal=canal, technicien=None,
                       destinataires=[canal.label], sujet=title[:300], instantane=snap,
                       contenu=messages.chat(lines, title=title, slack=canal == Channel.SLACK), created_at=utcnow())
            for canal, url in targets if url]


def _email_notice(settings: Settings, load: chargement.LoadList, kind: LoadNoticeKind, snap: dict,
                  changed: list[str] | None = None) -> LoadNotice:
    to = [load.technician.email or ""]
    content = messages.email(load, settings=settings, to=to, changed=changed)
    return LoadNotice(cle=f"{load.day}/{kind}/{Channel.EMAIL}/{load.technician.id}", jour=load.day, genre=kind,
                      canal=Channel.EMAIL, technicien=load.technician.nom, destinataires=to,
                      sujet=content["subject"][:300], contenu=content, instantane=snap, created_at=utcnow())


def evening(*, session_factory: sessionmaker[Session], settings: Settings, day: dt.date | None = None,
            sleep: Callable[[float], None] = time.sleep) -> list[LoadNotice]:
    """Store and send the next working day's lists; returns the messages this run sent (or tried)."""
    tz = ZoneInfo(settings.tz)
    day = day or next_working_day(_today(settings))
    with session_scope(session_factory) as session:
        lists = _lists(session, day)
        snaps = {load.technician.nom: messages.snapshot(load, tz) for load in lists}
        notices = [_email_notice(settings, load, LoadNoticeKind.SOIR, {load.technician.nom: snaps[load.technician.nom]})
                   for load in lists if load.technician.email and settings.smtp_host]
        title = f"Chargements du {messages.long_date(day)}"
        notices += _chat_notices(settings, day, LoadNoticeKind.SOIR, [messages.van_line(load) for load in lists],
                                 title, snaps)
        owned = _store(session, notices)
    _deliver(session_factory, settings, owned, sleep)
    return owned


def _evening_said(session: Session, day: dt.date) -> dict[str, dict]:
    """What the evening's messages of `day` described, per technician (every channel merged)."""
    said: dict[str, dict] = {}
    for snap in session.scalars(select(LoadNotice.instantane).where(
            LoadNotice.jour == day, LoadNotice.genre == LoadNoticeKind.SOIR)):
        for nom, visits in snap.items():
            said.setdefault(nom, {}).update(visits)
    return said


def morning(*, session_factory: sessionmaker[Session], settings: Settings, day: dt.date | None = None,
            sleep: Callable[[float], None] = time.sleep, sync: Callable[[], Any] | None = None) -> list[LoadNotice]:
    """Read Gazelle again, then send each van's changes since the evening (nothing when none)."""
    from inventaire.tasks import gazelle_run

    try:
        (sync or (lambda: gazelle_run.run_sync(session_factory=session_factory, settings=settings,
                                               by="chargement du matin")))()
    except DomainError as exc:  # Gazelle unreadable, or a sync running: compare with what is stored
        log.warning("morning load lists: Gazelle not read again: %s", exc.detail)
    tz = ZoneInfo(settings.tz)
    day = day or _today(settings)
    with session_scope(session_factory) as session:
        before = _evening_said(session, day)
        if not before:
            return []  # no evening list went out for today: nothing to correct
        lists = _lists(session, day)
        now = {load.technician.nom: messages.snapshot(load, tz) for load in lists}
        changed = messages.changes(before, now)
        notices = [_email_notice(settings, load, LoadNoticeKind.MATIN, {load.technician.nom: now[load.technician.nom]},
                                 changed[load.technician.nom])
                   for load in lists if load.technician.nom in changed and load.technician.email and settings.smtp_host]
        if changed:
            lines = [messages.van_line(load, changed[load.technician.nom]) for load in lists
                     if load.technician.nom in changed]
            notices += _chat_notices(settings, day, LoadNoticeKind.MATIN, lines,
                                     f"Changements pour le {messages.long_date(day)}", now)
        owned = _store(session, notices)
    _deliver(session_factory, settings, owned, sleep)
    return owned


def _claim(session: Session, notice: LoadNotice) -> bool:
    now = utcnow()
    claimable = or_(LoadNotice.statut.in_((DeliveryStatus.EN_ATTENTE, DeliveryStatus.ECHEC)),
                    and_(LoadNotice.statut == DeliveryStatus.EN_COURS, LoadNotice.derniere_tentative < now - delivery.STALE))
    result = session.execute(update(LoadNotice).where(LoadNotice.id == notice.id, claimable)
                             .values(statut=DeliveryStatus.EN_COURS, derniere_tentative=now))
    return cast(Any, result).rowcount == 1


def _deliver(session_factory: sessionmaker[Session], settings: Settings, notices: list[LoadNotice],
             sleep: Callable[[float], None]) -> None:
    """Claim (committed), send with no transaction open, store the outcome (committed): each message once."""
    for notice in notices:
        with session_scope(session_factory) as session:
            if not _claim(session, notice):
                continue
        # The check's sender reads only the channel and the content: the same code sends both kinds.
        outcome = delivery.attempt(cast(Any, notice), settings=settings, attempts=settings.notify_attempts, sleep=sleep)
        with session_scope(session_factory) as session:
            row = session.get_one(LoadNotice, notice.id)
            row.statut = DeliveryStatus.ENVOYEE if outcome.sent else DeliveryStatus.ECHEC
            row.tentatives, row.erreur, row.derniere_tentative = row.tentatives + outcome.tries, outcome.error, utcnow()
            row.envoyee_le = utcnow() if outcome.sent else None
            notice.statut, notice.erreur = row.statut, row.erreur


def retry(*, session_factory: sessionmaker[Session], settings: Settings,
          sleep: Callable[[float], None] = time.sleep) -> list[LoadNotice]:
    """Send again the failed messages of the last days (each run does this first)."""
    since = utcnow() - dt.timedelta(days=RETRY_DAYS)
    with session_scope(session_factory) as session:
        failed = list(session.scalars(select(LoadNotice).where(
            LoadNotice.created_at >= since, LoadNotice.statut == DeliveryStatus.ECHEC).order_by(LoadNotice.id)))
    _deliver(session_factory, settings, failed, sleep)
    return failed
