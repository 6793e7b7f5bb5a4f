"""The appointments' part of a Gazelle sync (one call from tasks/gazelle_run.py), and its report.

It runs once the invoices are read (a failure there fails the run before it). It reads the window
(today → INVENTAIRE_GAZELLE_JOURS_AVENIR days) with no transaction open (the client commits
rotated tokens meanwhile), then replaces the stored window in one committed
transaction, with the day's snapshot of booked demand (previsions/snapshot.py: a second read the
same day replaces that day's snapshot). A failure to read the appointments is reported with the run and leaves the stored
ones as they were: the invoices' deductions do not depend on it. A preview writes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from inventaire.gazelle.client import GazelleClient, GazelleError
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.previsions import snapshot
from inventaire.previsions.booked import Horizon
from inventaire.rendezvous import reading
from inventaire.rendezvous import service as rendezvous
from inventaire.techniciens import service as techniciens

log = logging.getLogger(__name__)
APPOINTMENT = "APPOINTMENT"


def refresh(*, session_factory: sessionmaker[Session], settings: Settings, apercu: bool = False,
            client: reading.Runner | None = None) -> dict:
    """Read the window's appointments and store them (unless a preview); the report's `rendez_vous` part.

    It runs after the invoices were read (their client is closed by then): a client of its own,
    which reuses the stored access token.
    """
    tz = ZoneInfo(settings.tz)
    first, last = reading.window(today=utcnow().astimezone(tz).date(), jours=settings.gazelle_jours_avenir)
    report: dict = {"du": first.isoformat(), "au": last.isoformat()}
    try:
        if client is None:
            with GazelleClient(settings, session_factory) as own:
                events = list(reading.events(own, first=first, last=last))
        else:
            events = list(reading.events(client, first=first, last=last))
    except (GazelleError, reading.Unreadable) as exc:
        message = exc.detail if isinstance(exc, GazelleError) else str(exc)
        log.warning("gazelle appointments not read: %s", message)
        return {**report, "erreur": f"Rendez-vous non relus (les précédents sont gardés) : {message}"}
    kept: list[reading.Booked] = []
    ignored: Counter[str] = Counter()
    errors: list[dict] = []
    for event in events:
        if event.get("type") != APPOINTMENT:
            ignored[event.get("type") or "inconnu"] += 1
            continue
        try:
            booked = reading.to_booked(event, tz=tz)
        except (reading.Unreadable, KeyError, ValueError, TypeError) as exc:
            errors.append({"rendez_vous": event.get("id"), "erreur": str(exc)[:300]})
            continue
        if first <= booked.jour <= last:
            kept.append(booked)
    with session_scope(session_factory) as session:
        report |= _describe(session, kept, ignored, errors)
        if apercu:
            session.rollback()
            return report
        replaced = rendezvous.replace_window(db_session=session, read=kept, first=first, last=last)
        report |= {"ajoutes": replaced.ajoutes, "modifies": replaced.modifies, "supprimes": replaced.supprimes,
                   "inchanges": replaced.inchanges,
                   "instantane": snapshot.take(db_session=session, horizon=Horizon(first, last))}
    return report


def _describe(session: Session, kept: list[reading.Booked], ignored: Counter, errors: list) -> dict:
    """What was read: unmapped users and free-text items are reported, never guessed."""
    people = techniciens.by_gazelle_id(db_session=session)
    unknown: Counter = Counter()
    free = []
    for booked in kept:
        if booked.gazelle_user not in people:
            unknown[booked.gazelle_user or "aucun"] += 1
        free += [{"rendez_vous": booked.id_externe, "nom": s["nom"]} for s in booked.services if not s["service_id"]]
    return {
        "lus": len(kept), "ignores": dict(ignored),
        "techniciens_inconnus": [{"gazelle_id": g, "rendez_vous": n} for g, n in unknown.most_common()],
        "services_sans_msl": free[:500], "erreurs": errors,
    }
