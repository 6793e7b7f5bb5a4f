"""Job-level workflows: a check run and the sending of its notifications, committed in steps.

The commit policy (README, "How it is built"): a request commits once (the request dependency),
a CLI command once (its session), and services never commit. The one exception is named here:
a run spans two domains and the network, so it commits as it goes. The run is stored (and the
check lock released) before anything is sent; each delivery is claimed in a committed
transaction, sent with no transaction open (on SQLite an open transaction is the database's
write lock), then its outcome committed. A failed send never fails or rolls back the check.

The check (`checks/`) knows nothing of notifications; `notifications/` builds its messages from
a stored run; this module is the only one that uses both, and the entry points (the check
endpoint, the page, the CLI, the scheduler) call it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session

from inventaire.checks import lock
from inventaire.checks import service as checks
from inventaire.checks.models import Notification, Verification
from inventaire.emplacements import service as locations
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.notifications import delivery
from inventaire.notifications import service as notifications
from inventaire.previsions.booked import Horizon


def check_and_notify(
    *, db_session: Session, settings: Settings, technicien: str | None, seuil_critique: Decimal | None,
    notifier: bool, declenchee_par: str, sleep: Callable[[float], None] = time.sleep, locked: bool = False,
) -> Verification:
    """Run the check (404 for an unknown technician, 409 if another run holds the lock too long), then notify.

    `locked`: the caller holds the check lock already in this transaction (the scheduler). A notifying
    run then gives the deliveries that failed in earlier runs one more try.
    """
    if not locked:
        lock.acquire(db_session=db_session, timeout=settings.check_lock_timeout)
    technician = locations.get_or_404(db_session=db_session, nom=technicien) if technicien else None
    audience = notifications.audience(db_session=db_session, settings=settings) if notifier else None
    verification = checks.run_check(
        db_session=db_session, technician=technician, seuil_critique=seuil_critique,
        default=settings.seuil_defaut, declenchee_par=declenchee_par, notifier=notifier,
        reaches=audience.reaches if audience else (lambda _nom: False),
        rappel=dt.timedelta(days=settings.rappel_jours), horizon_days=settings.delai_commande_jours,
        booked=Horizon.of(settings=settings),
    )
    pending = []
    if audience is not None:
        pending = notifications.prepare(
            db_session=db_session, settings=settings, verification=verification, audience=audience
        )
    db_session.commit()  # the run is stored (and the lock released) whatever happens to its deliveries
    if audience is not None:
        deliver(db_session=db_session, settings=settings, notes=pending, sleep=sleep)
        retry(db_session=db_session, settings=settings, jours=settings.rappel_jours, attempts=1,
              exclude_verification=verification.id, sleep=sleep)
    return verification


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
        claimed = delivery.claim(db_session=db_session, note=note)
        db_session.commit()  # the claim is seen by other senders; nothing stays open while sending
        if not claimed:
            continue
        if note.canal in down:
            outcome = delivery.Outcome(sent=False, tries=0, error=f"non tenté : {down[note.canal]}", retryable=True)
        else:
            outcome = delivery.attempt(note, settings=settings, attempts=attempts, sleep=sleep)
        delivery.record(db_session=db_session, note=note, outcome=outcome)
        db_session.commit()
        if not outcome.sent and outcome.retryable and note.canal not in down:
            down[note.canal] = outcome.error or "échec"


def retry(
    *, db_session: Session, settings: Settings, jours: int, attempts: int | None = None,
    exclude_verification: int | None = None, sleep: Callable[[float], None] = time.sleep,
) -> list[Notification]:
    """Try again every failed delivery of the last `jours` days; returns them with their new state."""
    notes = delivery.retryable(db_session=db_session, since=utcnow() - dt.timedelta(days=jours),
                               exclude_verification=exclude_verification)
    db_session.commit()  # end the read: no transaction stays open while sending
    deliver(db_session=db_session, settings=settings, notes=notes, attempts=attempts, sleep=sleep)
    return notes
