"""Sending stored deliveries: the steps (claim, send with backoff, record, what a retry picks up).

These functions never commit: the job-level workflow (`inventaire/workflows.py`) commits
between them, so no transaction is open while a message is on the wire. A delivery is claimed
first (`en_attente`/`echec` → `en_cours` in one UPDATE), so a run and a concurrent retry never
both send it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from inventaire.checks.models import Notification
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.kit.enums import Channel, DeliveryStatus
from inventaire.notifications import chat, email
from inventaire.notifications.exceptions import DeliveryError

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
    """Take the delivery for this process (commit before sending); False if someone else has it or it was sent."""
    now = utcnow()
    claimable = or_(
        Notification.statut.in_((DeliveryStatus.EN_ATTENTE, DeliveryStatus.ECHEC)),
        and_(Notification.statut == DeliveryStatus.EN_COURS, Notification.derniere_tentative < now - STALE),
    )
    result = cast(CursorResult[Any], db_session.execute(
        update(Notification).where(Notification.id == note.id, claimable)
        .values(statut=DeliveryStatus.EN_COURS, derniere_tentative=now).execution_options(synchronize_session=False)
    ))
    if result.rowcount != 1:
        return False
    set_committed_value(note, "statut", DeliveryStatus.EN_COURS)
    set_committed_value(note, "derniere_tentative", now)
    return True


def record(*, db_session: Session, note: Notification, outcome: Outcome) -> None:
    """Store how the delivery went (the workflow commits it)."""
    now = utcnow()
    note.statut = DeliveryStatus.ENVOYEE if outcome.sent else DeliveryStatus.ECHEC
    note.tentatives = note.tentatives + outcome.tries
    note.erreur = outcome.error
    note.derniere_tentative = now
    if outcome.sent:
        note.envoyee_le = now
    db_session.flush()


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
    return list(db_session.scalars(query))
