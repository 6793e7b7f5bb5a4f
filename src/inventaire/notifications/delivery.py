"""Sending stored deliveries: claimed, tried with backoff, recorded, each step in its own transaction.

This is job-level code: it commits. No transaction is open while a message is on the wire
(on SQLite an open transaction is the database's write lock). A delivery is claimed first
(`en_attente`/`echec` → `en_cours` in one UPDATE), so a run and a concurrent retry never
both send it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from inventaire.config import Settings
from inventaire.database import utcnow
from inventaire.enums import Channel, DeliveryStatus
from inventaire.notifications import chat, email
from inventaire.notifications.exceptions import DeliveryError
from inventaire.notifications.models import Notification

log = logging.getLogger(__name__)
# A claimed or pending delivery untouched for this long belongs to a process that died.
STALE = dt.timedelta(minutes=15)


@dataclass
class Outcome:
    sent: bool
    tries: int
    error: str | None = None
    retryable: bool = False


def send(note: Notification, *, settings: Settings) -> str | None:
    """Send one delivery once; returns a remark (partial refusal) or raises DeliveryError."""
    if note.canal == Channel.EMAIL:
        return email.send(note.contenu, settings=settings)
    url = settings.slack_webhook_url if note.canal == Channel.SLACK else settings.discord_webhook_url
    chat.post(url, note.contenu, service=Channel(note.canal).label, timeout=settings.notify_timeout)
    return None


def attempt(note: Notification, *, settings: Settings, attempts: int, sleep: Callable[[float], None]) -> Outcome:
    """Up to `attempts` tries, waiting notify_backoff × 2^(n−1) seconds after the n-th failure."""
    for n in range(1, attempts + 1):
        try:
            return Outcome(sent=True, tries=n, error=send(note, settings=settings))
        except DeliveryError as exc:
            log.warning("notification %s (%s) try %d failed: %s", note.id, note.canal, n, exc.detail)
            if not exc.retryable or n == attempts:
                return Outcome(sent=False, tries=n, error=exc.detail, retryable=exc.retryable)
        except Exception as exc:  # a sender's bug must not turn into a failed check
            log.exception("notification %s (%s): unexpected error", note.id, note.canal)
            return Outcome(sent=False, tries=n, error=f"erreur inattendue : {exc.__class__.__name__}: {exc}")
        sleep(settings.notify_backoff * 2 ** (n - 1))
    raise AssertionError("unreachable")


def claim(*, db_session: Session, note: Notification) -> bool:
    """Take the delivery for this process (committed); False if someone else has it or it was sent."""
    now = utcnow()
    claimable = or_(
        Notification.statut.in_((DeliveryStatus.EN_ATTENTE, DeliveryStatus.ECHEC)),
        and_(Notification.statut == DeliveryStatus.EN_COURS, Notification.derniere_tentative < now - STALE),
    )
    result = cast(CursorResult[Any], db_session.execute(
        update(Notification).where(Notification.id == note.id, claimable)
        .values(statut=DeliveryStatus.EN_COURS, derniere_tentative=now).execution_options(synchronize_session=False)
    ))
    db_session.commit()
    if result.rowcount != 1:
        return False
    set_committed_value(note, "statut", DeliveryStatus.EN_COURS)
    set_committed_value(note, "derniere_tentative", now)
    return True


def record(*, db_session: Session, note: Notification, outcome: Outcome) -> None:
    """Store how the delivery went (committed)."""
    now = utcnow()
    note.statut = DeliveryStatus.ENVOYEE if outcome.sent else DeliveryStatus.ECHEC
    note.tentatives = note.tentatives + outcome.tries
    note.erreur = outcome.error
    note.derniere_tentative = now
    if outcome.sent:
        note.envoyee_le = now
    db_session.commit()


def deliver(
    *, db_session: Session, settings: Settings, notes: list[Notification], attempts: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Send these deliveries; a failure is recorded, never raised.

    Once a channel has failed in a way that may pass (server down), the rest of this pass
    skips it and records why, so a dead SMTP server costs one backoff, not one per e-mail.
    """
    attempts = attempts or settings.notify_attempts
    down: dict[str, str] = {}
    for note in notes:
        if not claim(db_session=db_session, note=note):
            continue
        if note.canal in down:
            outcome = Outcome(sent=False, tries=0, error=f"non tenté : {down[note.canal]}", retryable=True)
        else:
            outcome = attempt(note, settings=settings, attempts=attempts, sleep=sleep)
        record(db_session=db_session, note=note, outcome=outcome)
        if not outcome.sent and outcome.retryable and note.canal not in down:
            down[note.canal] = outcome.error or "échec"


def retryable(*, db_session: Session, since: dt.datetime, exclude_verification: int | None = None) -> list[Notification]:
    """Failed deliveries created since `since` (and pending ones abandoned by a dead process), oldest first."""
    stale = utcnow() - STALE
    query = select(Notification).where(
        Notification.created_at >= since,
        or_(
            Notification.statut == DeliveryStatus.ECHEC,
            and_(Notification.statut.in_((DeliveryStatus.EN_ATTENTE, DeliveryStatus.EN_COURS)),
                 func.coalesce(Notification.derniere_tentative, Notification.created_at) < stale),
        ),
    ).order_by(Notification.id)
    if exclude_verification is not None:
        query = query.where(Notification.verification_id != exclude_verification)
    notes = list(db_session.scalars(query))
    db_session.commit()  # end the read: no transaction stays open while sending
    return notes


def retry(
    *, db_session: Session, settings: Settings, jours: int, attempts: int | None = None,
    exclude_verification: int | None = None, sleep: Callable[[float], None] = time.sleep,
) -> list[Notification]:
    """Try again every failed delivery of the last `jours` days; returns them with their new state."""
    notes = retryable(db_session=db_session, since=utcnow() - dt.timedelta(days=jours),
                      exclude_verification=exclude_verification)
    deliver(db_session=db_session, settings=settings, notes=notes, attempts=attempts, sleep=sleep)
    return notes
