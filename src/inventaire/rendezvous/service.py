"""Stored appointments: replacing a window with what Gazelle said, and reading them back.

A read replaces the window: an appointment read is inserted or, when its fingerprint moved
(reassigned, cancelled, a service added, notes edited), updated in place; a stored one of the
window that Gazelle no longer has is deleted. An unchanged appointment is not written at all.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVarTuple

from sqlalchemy import Select, delete, insert, or_, select
from sqlalchemy.orm import Session

from inventaire.kit.database import utcnow
from inventaire.kit.enums import BOOKED_STATES
from inventaire.rendezvous.models import Appointment
from inventaire.rendezvous.reading import Booked
from inventaire.techniciens.models import Technician

FIELDS = ("gazelle_user", "jour", "debut", "duree_minutes", "statut", "client", "titre", "notes", "services")
# « À apporter : cordes #3 », « ⚠️ RAPPEL : !! Apporter cordes de remplacement »: any line asking to bring.
TO_BRING = re.compile(r"\bapporter\b")
Ts = TypeVarTuple("Ts")


@dataclass
class Replaced:
    ajoutes: int = 0
    modifies: int = 0
    supprimes: int = 0
    inchanges: int = 0


def replace_window(*, db_session: Session, read: Iterable[Booked], first: dt.date, last: dt.date) -> Replaced:
    """Make the stored appointments of days first..last (inclusive) be exactly `read`."""
    wanted = {b.id_externe: b for b in read}
    stored = {a.id_externe: a for a in db_session.scalars(select(Appointment).where(or_(
        Appointment.jour.between(first, last), Appointment.id_externe.in_(list(wanted)))))}
    outcome, now, new = Replaced(), utcnow(), []
    for key, booked in wanted.items():
        digest = booked.empreinte
        row = stored.get(key)
        if row is None:
            new.append({"id_externe": key, "empreinte": digest, "created_at": now, "updated_at": now,
                        **{f: getattr(booked, f) for f in FIELDS}})
        elif row.empreinte != digest:
            for name in FIELDS:
                setattr(row, name, getattr(booked, name))
            row.empreinte, row.updated_at = digest, utcnow()
            outcome.modifies += 1
        else:
            outcome.inchanges += 1
    if new:  # one executemany: a first read stores thousands
        db_session.execute(insert(Appointment), new)
    outcome.ajoutes = len(new)
    gone = [a.id for k, a in stored.items() if k not in wanted and first <= a.jour <= last]
    if gone:
        db_session.execute(delete(Appointment).where(Appointment.id.in_(gone)))
    outcome.supprimes = len(gone)
    db_session.flush()
    return outcome


def _still_on(query: Select[*Ts], first: dt.date, last: dt.date,
              technicians: list[Technician] | None) -> Select[*Ts] | None:
    """`query` narrowed to the appointments still on of days first..last (of these technicians); None: none can be."""
    query = query.where(Appointment.jour.between(first, last), Appointment.statut.in_(BOOKED_STATES))
    if technicians is not None:
        users = [t.gazelle_id for t in technicians if t.gazelle_id]
        if not users:
            return None
        query = query.where(Appointment.gazelle_user.in_(users))
    return query


def booked(
    *, db_session: Session, first: dt.date, last: dt.date, technicians: list[Technician] | None = None,
) -> list[tuple[Appointment, Technician | None]]:
    """Appointments still on (not cancelled, not a no-show) of days first..last, by start, with their technician.

    `technicians` narrows to theirs (a technician with no Gazelle user has none); None: everyone's,
    unmapped users included (technician None).
    """
    query = _still_on(select(Appointment, Technician)
                      .outerjoin(Technician, Technician.gazelle_id == Appointment.gazelle_user)
                      .order_by(Appointment.debut, Appointment.id_externe), first, last, technicians)
    return [] if query is None else [(a, t) for a, t in db_session.execute(query)]


def booked_services(
    *, db_session: Session, first: dt.date, last: dt.date, technicians: list[Technician] | None = None,
) -> list[tuple[dt.date, int | None, list[dict[str, Any]]]]:
    """The same appointments as `booked`, as plain rows (day, technician id or None, services), in no order:
    the forecast reads thousands of them and needs no object (half its cost as ORM entities)."""
    query = _still_on(select(Appointment.jour, Technician.id, Appointment.services)
                      .outerjoin(Technician, Technician.gazelle_id == Appointment.gazelle_user), first, last, technicians)
    return [] if query is None else [(day, tid, services) for day, tid, services in db_session.execute(query)]


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def lines_to_bring(notes: str | None) -> list[str]:
    """The lines of the notes that ask to bring something, verbatim (stripped of surrounding blanks)."""
    return [line.strip() for line in (notes or "").splitlines() if TO_BRING.search(_folded(line))]


def uncovered(*, db_session: Session, first: dt.date, last: dt.date, covered: set[str]) -> list[dict[str, Any]]:
    """Services booked on days first..last that no rule covers (`covered`: the service ids with a rule),
    most booked first: {"service_id", "nom", "rendez_vous", "quantite"}. Free-text items are not services."""
    found: dict[str, dict[str, Any]] = {}
    for appointment, _ in booked(db_session=db_session, first=first, last=last):
        for item in appointment.services:
            sid = item["service_id"]
            if not sid or sid in covered:
                continue
            entry = found.setdefault(sid, {"service_id": sid, "nom": item["nom"], "rendez_vous": set(),
                                           "quantite": Decimal(0)})
            entry["rendez_vous"].add(appointment.id_externe)
            entry["quantite"] += Decimal(item["quantite"])
    rows = [{**e, "rendez_vous": len(e["rendez_vous"])} for e in found.values()]
    return sorted(rows, key=lambda e: (-e["rendez_vous"], -e["quantite"], e["service_id"]))
