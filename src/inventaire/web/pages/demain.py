"""« Demain » on the phone page: the day's appointments, what is missing from the van, the notes' lines.

The section opens the van's page on tomorrow, or on the next day with appointments when tomorrow
has none (a Friday shows Monday). Each missing line carries its request already filled: « Demander »
opens it, « Confirmer » sends it through the page's plain request form (one-time key, the office told).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from inventaire.chargement import service as chargement
from inventaire.chargement.messages import hour, long_date
from inventaire.chargement.service import Line, LoadList
from inventaire.emplacements.models import Location
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.kit.quantities import quantity
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.models import Appointment
from inventaire.techniciens.models import Technician


@dataclass
class Visit:
    heure: str
    rendez_vous: Appointment
    a_apporter: list[str]

    @property
    def services(self) -> list[str]:
        """« Entretien annuel du système PLS », « Traitement de l'eau ×2 »"""
        return [(s["nom"] or s["service_id"] or "Article libre")
                + ("" if Decimal(s["quantite"]) == 1 else f" ×{quantity(Decimal(s['quantite']), grouped=True)}")
                for s in self.rendez_vous.services]


@dataclass
class Missing:
    line: Line
    demander: Decimal  # what « Demander » asks: a_charger, whole units for a product sold whole
    cle: str = field(default_factory=lambda: str(uuid.uuid4()))


    @property
    def saisie(self) -> str:
        """The quantity as the request form reads it (« 2,5 »)."""
        return quantity(self.demander, grouped=False)


@dataclass
class DayView:
    titre: str
    jour: dt.date
    load: LoadList
    visites: list[Visit]
    manquants: list[Missing]


def view(db_session: Session, settings: Settings, technician: Location) -> DayView | None:
    """The « Demain » section of a van's page; None for a workshop or a technician with no Gazelle user."""
    if not isinstance(technician, Technician) or not technician.gazelle_id:
        return None
    tz = ZoneInfo(settings.tz)
    today = utcnow().astimezone(tz).date()
    day = today + dt.timedelta(days=1)
    if not rendezvous.booked(db_session=db_session, first=day, last=day, technicians=[technician]):
        day = chargement.next_day_with_appointments(db_session=db_session, technician=technician, after=day,
                                                    within=settings.gazelle_jours_avenir) or day
    load = chargement.load_list(db_session=db_session, technician=technician, day=day)
    label = long_date(day)
    titre = f"Demain, {label}" if day == today + dt.timedelta(days=1) else label[0].upper() + label[1:]
    visits = [Visit(hour(a.debut, tz), a, rendezvous.lines_to_bring(a.notes)) for a in load.appointments]
    missing = [Missing(line, line.a_charger if line.product.divisible
                       else line.a_charger.to_integral_value(rounding=ROUND_CEILING)) for line in load.missing]
    return DayView(titre, day, load, visits, missing)
