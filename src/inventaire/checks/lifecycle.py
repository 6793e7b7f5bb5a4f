"""Alert lifecycle: each alert compared with the previous run of the same scope.

`etat` describes the change since that run (nouvelle, aggravee, persistante); lines that left
alert are `resolues`. Whether an alert goes into this run's notifications is decided here too:
new and worsened alerts always, an alert nobody was told about yet (say, first seen by a
silent run), and a persistent alert once its last notification is `rappel` old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.checks.models import Verification
from inventaire.checks.schemas import Alert, Evolution, Report, ResolvedAlert
from inventaire.emplacements.models import Location
from inventaire.kit.enums import AlertState, Severity

# A daily check drifts by seconds: a reminder due "in 7 days" must not slip to the 8th day.
REMINDER_GRACE = dt.timedelta(hours=1)
RANK: dict[str, int] = {Severity.BAS_STOCK: 0, Severity.CRITIQUE: 1}


def previous_run(
    *, db_session: Session, technician: Location | None, seuil_critique: Decimal | None
) -> Verification | None:
    """The latest stored run of the same scope: same technician (or all), same forced threshold."""
    query = select(Verification).order_by(Verification.generated_at.desc(), Verification.id.desc()).limit(1)
    if technician is None:
        query = query.where(Verification.technicien_id.is_(None))
    else:
        query = query.where(Verification.technicien_id == technician.id)
    if seuil_critique is None:
        query = query.where(Verification.seuil_critique.is_(None))
    else:
        query = query.where(Verification.seuil_critique == seuil_critique)
    return db_session.scalar(query)


class PreviousAlert(NamedTuple):
    """What the comparison needs of an alert of the previous run."""

    technicien: str
    code_produit: str
    nom_produit: str
    quantite_actuelle: Decimal
    severity: str
    notifiee_le: dt.datetime | None


def previous_alerts(rapport: dict) -> dict[tuple[str, str], PreviousAlert]:
    """The previous run's alerts by line, read straight from its stored JSON.

    Validating the stored report back into models cost about 30 ms for 5,000 alerts, a fifth of
    the whole check (BENCHMARKS.md); the comparison reads six fields.
    """
    alerts = {}
    for a in rapport.get("alertes", ()):
        notified = a.get("notifiee_le")
        alerts[a["technicien"], a["code_produit"]] = PreviousAlert(
            a["technicien"], a["code_produit"], a["nom_produit"], Decimal(str(a["quantite_actuelle"])),
            a["severity"], dt.datetime.fromisoformat(notified) if notified else None,
        )
    return alerts


def _key(alert: Alert | PreviousAlert) -> tuple[str, str]:
    return alert.technicien, alert.code_produit


def _etat(alert: Alert, before: PreviousAlert | None) -> AlertState:
    if before is None:
        return AlertState.NOUVELLE
    if alert.quantite_actuelle < before.quantite_actuelle or RANK[alert.severity] > RANK[before.severity]:
        return AlertState.AGGRAVEE
    return AlertState.PERSISTANTE


def annotate(
    *, report: Report, previous: Verification | None, reaches: Callable[[str], bool],
    rappel: dt.timedelta, current_quantity: Callable[[list[tuple[str, str]]], dict],
) -> None:
    """Set each alert's etat and notification marks, list the resolved lines, fill `evolution`.

    `reaches(technicien)` says whether this run's notifications reach someone for that
    technician's alerts (always False for a silent run); `current_quantity` looks up the
    quantities of the resolved lines.
    """
    before = previous_alerts(previous.rapport) if previous else {}
    now = report.generated_at
    for alert in report.alertes:
        prior = before.get(_key(alert))
        alert.etat = _etat(alert, prior)
        last = prior.notifiee_le if prior else None
        due = alert.etat != AlertState.PERSISTANTE or last is None or now - last >= rappel - REMINDER_GRACE
        alert.notifiee = due and reaches(alert.technicien)
        alert.notifiee_le = now if alert.notifiee else last
        alert.signalee_avant = last
    current = {_key(a) for a in report.alertes}
    gone = [a for key, a in before.items() if key not in current]
    quantities = current_quantity([_key(a) for a in gone]) if gone else {}
    report.resolues = [
        ResolvedAlert(
            code_produit=a.code_produit, technicien=a.technicien, nom_produit=a.nom_produit,
            quantite_precedente=a.quantite_actuelle, quantite_actuelle=quantities.get(_key(a)),
            notifiee_le=a.notifiee_le,
        )
        for a in sorted(gone, key=lambda a: (a.technicien.casefold(), a.code_produit))
    ]
    etats = [a.etat for a in report.alertes]
    report.evolution = Evolution(
        precedente_id=previous.id if previous else None,
        nouvelles=etats.count(AlertState.NOUVELLE), aggravees=etats.count(AlertState.AGGRAVEE),
        persistantes=etats.count(AlertState.PERSISTANTE), resolues=len(report.resolues),
        notifiees=sum(1 for a in report.alertes if a.notifiee),
    )
