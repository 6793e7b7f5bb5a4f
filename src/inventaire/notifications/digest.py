"""What a run has to tell people: the alerts it notifies and the resolved lines, in French.

Built from the stored report, so every channel (and every retry) says the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from inventaire.checks.schemas import Alert, Report, ResolvedAlert
from inventaire.kit.dates import Clock
from inventaire.kit.enums import AlertState, Severity
from inventaire.kit.quantities import count, quantity, with_unit

SECTIONS = (
    (AlertState.NOUVELLE, "Nouvelles alertes"),
    (AlertState.AGGRAVEE, "Alertes aggravées"),
    ("non_signalee", "Non encore signalées : en alerte depuis une vérification précédente"),
    (AlertState.PERSISTANTE, "Rappel : toujours en alerte"),
)
# How each section is counted in the headline (singular, plural).
COUNTED = ((AlertState.NOUVELLE, "nouvelle", "nouvelles"), (AlertState.AGGRAVEE, "aggravée", "aggravées"),
           ("non_signalee", "non encore signalée", "non encore signalées"), (AlertState.PERSISTANTE, "rappel", "rappels"))


def section_of(alert: Alert) -> str:
    """Where an alert goes: a persistent one nobody was told about is not a reminder."""
    if alert.etat == AlertState.PERSISTANTE and alert.signalee_avant is None:
        return "non_signalee"
    return alert.etat or AlertState.NOUVELLE


def local_time(moment: dt.datetime, tz: str) -> str:
    """« 9 décembre 2025 à 13 h 30 » in the company's timezone."""
    return Clock(tz).long(moment)


def severity_label(alert: Alert) -> str:
    """« CRITIQUE » stands out in a message; « stock bas » does not need to."""
    return alert.severity.label.upper() if alert.severity == Severity.CRITIQUE else alert.severity.label.lower()


@dataclass(frozen=True)
class Digest:
    """The part of one report that goes into its notifications (or into one technician's)."""

    verification_id: int
    when: str
    scope: str
    technicien: str | None
    alertes: tuple[Alert, ...]
    resolues: tuple[ResolvedAlert, ...]
    total_alertes: int
    total_critiques: int
    lien: str = ""  # the check on the dashboard
    # Every alert's (technician, severity), notified or not: a technician's totals are theirs only.
    gravites: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, report: Report, *, verification_id: int, tz: str, base_url: str | None = None) -> Digest:
        """The notified alerts, and the resolved lines someone had been told about."""
        from inventaire.auth.links import public_base

        return cls(
            lien=f"{public_base(configured=base_url)}/verifications/{verification_id}",
            gravites=tuple((a.technicien, a.severity) for a in report.alertes),
            verification_id=verification_id,
            when=local_time(report.generated_at, tz),
            scope=report.technicien or "tous les techniciens",
            technicien=None,
            alertes=tuple(a for a in report.alertes if a.notifiee),
            resolues=tuple(r for r in report.resolues if r.notifiee_le is not None),
            total_alertes=report.statistiques.total_alertes,
            total_critiques=report.statistiques.alertes_critiques,
        )

    def only(self, nom: str) -> Digest:
        """The same digest restricted to one technician's lines: their van, their totals, nothing else."""
        mine = [a for a in self.alertes if a.technicien == nom]
        theirs = [g for t, g in self.gravites if t == nom]
        return replace(
            self, technicien=nom, scope=nom, alertes=tuple(mine),
            resolues=tuple(r for r in self.resolues if r.technicien == nom),
            total_alertes=len(theirs), total_critiques=theirs.count(Severity.CRITIQUE),
            gravites=tuple((t, g) for t, g in self.gravites if t == nom),
        )

    @property
    def empty(self) -> bool:
        return not self.alertes and not self.resolues

    @property
    def critiques(self) -> list[Alert]:
        return [a for a in self.alertes if a.severity == Severity.CRITIQUE]

    def sections(self) -> list[tuple[str, list[Alert]]]:
        """The notified alerts grouped by lifecycle state, non-empty groups only."""
        groups = [(title, [a for a in self.alertes if section_of(a) == key]) for key, title in SECTIONS]
        return [(title, alerts) for title, alerts in groups if alerts]

    def headline(self) -> str:
        """The counts in one French line: « 3 alertes à signaler dont 1 critique — 2 nouvelles, 1 rappel »."""
        parts = []
        if self.alertes:
            head = count(len(self.alertes), "alerte à signaler", "alertes à signaler")
            if self.critiques:
                head += f" dont {count(len(self.critiques), 'critique')}"
            counts = [(sum(1 for a in self.alertes if section_of(a) == key), one, many) for key, one, many in COUNTED]
            detail = ", ".join(count(n, one, many) for n, one, many in counts if n)
            parts.append(f"{head} — {detail}" if detail else head)
        if self.resolues:
            parts.append(count(len(self.resolues), "résolue"))
        return " ; ".join(parts) or "rien à signaler"

    def subject(self) -> str:
        who = f" ({self.technicien})" if self.technicien else ""
        return f"Inventaire{who} : {self.headline()}"

    def line(self, alert: Alert) -> str:
        """One alert on one line, for chat messages and plain text."""
        extra = f", à commander {quantity(alert.quantite_a_commander, grouped=True)}" if alert.quantite_a_commander else ""
        return (f"{alert.technicien} — {alert.code_produit} {alert.nom_produit} : "
                f"{with_unit(alert.quantite_actuelle, alert.unite, grouped=True)} "
                f"(seuil {quantity(alert.seuil, grouped=True)}{extra})")
