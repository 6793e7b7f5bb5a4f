"""How numbers, money and dates read in Québec French (the Jinja filters of the pages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from inventaire.units import count, unit_for

NBSP = "\u00a0"
MOIS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
TYPES = {"reception": "Réception", "utilisation": "Utilisation", "ajustement": "Ajustement", "comptage": "Comptage"}
GRAVITES = {"critique": "Critique", "bas_stock": "Stock bas", "rupture_prevue": "Rupture prévue"}
ETATS = {"nouvelle": "Nouvelle", "aggravee": "Aggravée", "persistante": "Persistante"}
# A run's notifications as one word (Verification.statut_notifications), and one delivery's status.
NOTIFICATIONS = {"desactivees": "Désactivées", "aucune": "Aucune", "en_attente": "En attente",
                 "envoyees": "Envoyées", "echec": "Échec", "partielle": "Partielle"}
ENVOIS = {"en_attente": "En attente", "en_cours": "En cours", "envoyee": "Envoyée", "echec": "Échec"}
CANAUX = {"email": "Courriel", "slack": "Slack", "discord": "Discord"}


def _group(digits: str) -> str:
    """Thousands separated by a no-break space: 12 345."""
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    groups = []
    while len(digits) > 3:
        digits, tail = digits[:-3], digits[-3:]
        groups.insert(0, tail)
    return sign + NBSP.join([digits, *groups])


def quantite(value: Decimal | int | None) -> str:
    """2,5 · 3 · 1 250 (no trailing zeros)."""
    if value is None:
        return "—"
    value = Decimal(value)
    text = format(value.normalize(), "f") if value else "0"
    whole, _, fraction = text.partition(".")
    return _group(whole) + ("," + fraction if fraction else "")


def variation(value: Decimal) -> str:
    """A signed change: +3, −2,5 (a real minus sign)."""
    return ("+" if value > 0 else "−" if value < 0 else "") + quantite(abs(value))


def argent(value: Decimal | None) -> str:
    """1 234,50 $"""
    if value is None:
        return "—"
    whole, _, cents = f"{Decimal(value):.2f}".partition(".")
    return f"{_group(whole)},{cents}{NBSP}$"


class Clock:
    """Dates shown in the company's timezone."""

    def __init__(self, tz: str):
        self.zone = ZoneInfo(tz)

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(self.zone)

    def date(self, value: dt.datetime | dt.date | None) -> str:
        """9 déc. 2025"""
        if value is None:
            return "—"
        if isinstance(value, dt.datetime):
            value = self.local(value)
        return f"{value.day} {MOIS[value.month - 1]} {value.year}"

    def date_time(self, value: dt.datetime | None) -> str:
        """9 déc. 2025, 13 h 05"""
        if value is None:
            return "—"
        local = self.local(value)
        return f"{self.date(local)}, {local.hour}{NBSP}h{NBSP}{local.minute:02d}"

    def iso(self, value: dt.datetime) -> str:
        """ISO 8601 in local time with its offset (CSV exports)."""
        return self.local(value).replace(microsecond=0).isoformat()


def couverture(days: Decimal | None) -> str:
    """Days of cover as a person reads them: « ≈ 6 jours », « < 1 jour »; empty without a forecast."""
    if days is None:
        return ""
    if days < 1:
        return "< 1 jour"
    if days >= 365:
        return "> 1 an"
    whole = int(days)
    return f"≈ {whole} jour{'s' if whole >= 2 else ''}"


def month(value: dt.date) -> str:
    """déc. 2025"""
    return f"{MOIS[value.month - 1]} {value.year}"


def install(env, clock: Clock) -> None:
    """Register the filters on a Jinja environment."""
    env.filters.update(
        quantite=quantite, variation=variation, argent=argent, mois=month, couverture=couverture,
        date=clock.date, date_heure=clock.date_time,
        chemin=lambda v: quote(str(v), safe=""),
        type_mouvement=lambda t: TYPES.get(t, t), gravite=lambda g: GRAVITES.get(g, g),
        etat=lambda e: ETATS.get(e, e), notifications=lambda n: NOTIFICATIONS.get(n, n),
        envoi=lambda n: ENVOIS.get(n, n), canal=lambda c: CANAUX.get(c, c),
        accord=lambda unite, quantity: unit_for(quantity, unite),
        compte=count,  # {{ n|compte("alerte") }}: « 1 alerte », « 27 alertes »  # {{ p.unite|accord(q) }}: « 2 bobines »
    )
