"""One whole run of the check, shared by the endpoint, the CLI and the scheduler.

Job-level code (it commits): under the check lock, compute and store the run and its pending
notifications, commit, and only then send them, each delivery in its own transaction, so a
failed send never fails or rolls back the check. A notifying run then gives the deliveries
that failed in earlier runs one more try.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session

from inventaire.checks import lock, service
from inventaire.checks.models import Verification
from inventaire.config import Settings
from inventaire.notifications import delivery
from inventaire.notifications import service as notifications
from inventaire.techniciens import service as techniciens


def check_and_notify(
    *, db_session: Session, settings: Settings, technicien: str | None, seuil_critique: Decimal | None,
    notifier: bool, declenchee_par: str, sleep: Callable[[float], None] = time.sleep,
) -> Verification:
    """Run the check (404 for an unknown technician, 409 if another run holds the lock too long), then notify."""
    lock.acquire(db_session=db_session, timeout=settings.check_lock_timeout)
    technician = techniciens.get_or_404(db_session=db_session, nom=technicien) if technicien else None
    audience = notifications.audience(db_session=db_session, settings=settings) if notifier else None
    verification = service.run_check(
        db_session=db_session, technician=technician, seuil_critique=seuil_critique,
        default=settings.seuil_defaut, declenchee_par=declenchee_par, notifier=notifier,
        reaches=audience.reaches if audience else (lambda _nom: False),
        rappel=dt.timedelta(days=settings.rappel_jours), horizon_days=settings.delai_commande_jours,
    )
    pending = []
    if audience is not None:
        pending = notifications.prepare(
            db_session=db_session, settings=settings, verification=verification, audience=audience
        )
    db_session.commit()  # the run is stored (and the lock released) whatever happens to its deliveries
    if audience is not None:
        delivery.deliver(db_session=db_session, settings=settings, notes=pending, sleep=sleep)
        delivery.retry(
            db_session=db_session, settings=settings, jours=settings.rappel_jours, attempts=1,
            exclude_verification=verification.id, sleep=sleep,
        )
    return verification
