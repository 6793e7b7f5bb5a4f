"""The PLS (Dampp-Chaser) cycle: which pianos are due for their annual maintenance, from the invoices.

A PLS maintenance is an invoice line whose service consumes the PLS pad set under the consumption
rules (INVENTAIRE_PLS_BUVARDS names that product, « PLS-BUVARDS » by default): « Entretien annuel
du système PLS », « Accord 440Hz + nettoyage + entretien PLS », « Buvards, gaine, doublure »…
An installation ships with its pads and consumes none, so it does not count; a rule set changed
later applies to the whole history, since every line with a piano is kept (models.PianoService).

The maintenance is due twelve months after the last one and late at thirteen: a piano whose last
one was eleven months ago or more is listed, so the office calls before it is due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.deductions.models import ServiceStatus
from inventaire.deductions.schemas import ServiceIn
from inventaire.kit.enums import AppointmentStatus
from inventaire.pianos.models import PianoService
from inventaire.regles.models import ConsumptionRule
from inventaire.rendezvous.models import Appointment

DUE_AFTER_MONTHS = 11  # listed from eleven months: due at twelve, late at thirteen


def record(*, db_session: Session, entry: ServiceIn) -> int:
    """Keep the invoice's lines that name a piano (deducted or not); lines gone from it, or a cancelled
    invoice, are marked `annule`. Returns how many lines name a piano."""
    if entry.date is None:
        return 0
    kept = {row.ligne_externe: row for row in db_session.scalars(select(PianoService).where(
        PianoService.source == entry.source, PianoService.facture_externe == entry.id_externe))}
    cancelled = entry.statut == ServiceStatus.ANNULE
    named = [(line, line.piano_id) for line in entry.lignes if line.piano_id]
    for line, piano in named:
        row = kept.pop(line.id_externe, None) or PianoService(source=entry.source, facture_externe=entry.id_externe,
                                                              ligne_externe=line.id_externe)
        row.piano_id, row.service_id, row.client = piano, line.service_id, entry.client
        row.date_service, row.annule = entry.date, cancelled
        db_session.add(row)
    for row in kept.values():  # a line removed from the invoice, or its piano taken off
        row.annule = True
    db_session.flush()
    return len(named)


def pls_services(*, db_session: Session, pads_code: str) -> set[str]:
    """The services whose rules consume the PLS pad set: they are the PLS maintenance."""
    pads = catalogue.get_by_code(db_session=db_session, code_produit=pads_code)
    if pads is None:
        return set()
    return set(db_session.scalars(select(ConsumptionRule.service_id).where(ConsumptionRule.produit_id == pads.id)))


def booked_appointments(*, db_session: Session, piano_ids: set[str]) -> dict[str, dt.date]:
    """Per piano, the day of its next booked appointment among the stored ones (rendezvous/: today to
    INVENTAIRE_GAZELLE_JOURS_AVENIR days ahead, replaced at each sync); a piano is booked when one of
    the appointment's services names it."""
    if not piano_ids:
        return {}
    booked: dict[str, dt.date] = {}
    rows = db_session.execute(select(Appointment.jour, Appointment.services)
                              .where(Appointment.statut == AppointmentStatus.ACTIVE).order_by(Appointment.jour))
    for jour, services in rows:
        for item in services or ():
            piano = item.get("piano_id") if isinstance(item, dict) else None
            if piano in piano_ids and piano not in booked:
                booked[piano] = jour
    return booked


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (29 January → 28 February is 0)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


@dataclass
class DuePiano:
    piano_id: str
    client: str | None
    dernier_entretien: dt.date
    mois_depuis: int
    rendez_vous_prevu: dt.date | None


def last_maintenance(*, db_session: Session, services: set[str]) -> dict[str, tuple[dt.date, str | None]]:
    """Per piano, the day of its last PLS maintenance and the client then (cancelled lines aside)."""
    if not services:
        return {}
    latest = (select(PianoService.piano_id, func.max(PianoService.date_service).label("jour"))
              .where(PianoService.service_id.in_(services), PianoService.annule.is_(False))
              .group_by(PianoService.piano_id).subquery())
    rows = db_session.execute(
        select(PianoService.piano_id, PianoService.date_service, PianoService.client)
        .join(latest, (latest.c.piano_id == PianoService.piano_id) & (latest.c.jour == PianoService.date_service))
        .where(PianoService.service_id.in_(services), PianoService.annule.is_(False))
        .order_by(PianoService.id)
    ).all()
    return {piano: (day, client) for piano, day, client in rows}


def due(*, db_session: Session, pads_code: str, today: dt.date) -> list[DuePiano]:
    """Pianos whose last PLS maintenance was eleven months ago or more, the longest ago first."""
    last = last_maintenance(db_session=db_session, services=pls_services(db_session=db_session, pads_code=pads_code))
    late = {p: v for p, v in last.items() if months_between(v[0], today) >= DUE_AFTER_MONTHS}
    booked = booked_appointments(db_session=db_session, piano_ids=set(late))
    found = [DuePiano(piano_id=p, client=client, dernier_entretien=day, mois_depuis=months_between(day, today),
                      rendez_vous_prevu=booked.get(p)) for p, (day, client) in late.items()]
    return sorted(found, key=lambda d: (d.dernier_entretien, d.piano_id))
