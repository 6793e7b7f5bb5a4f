"""How numbers, money and dates read in Québec French (the Jinja filters of the pages)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from jinja2 import Environment

from inventaire.kit import quantities
from inventaire.kit.dates import Clock, month
from inventaire.kit.enums import (
    AlertState,
    Channel,
    DeliveryStatus,
    MovementCause,
    OrderState,
    RequestState,
    RunNotifications,
    Severity,
    StockoutSource,
    TransactionType,
)
from inventaire.kit.names import de

NBSP = quantities.NBSP


def quantite(value: Decimal | int | None) -> str:
    """2,5 · 3 · 1 250 (no trailing zeros)."""
    return quantities.quantity(value, grouped=True)


variation = quantities.signed
argent = quantities.money


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


def guillemets(value: object) -> object:
    """« » with no-break spaces inside, whatever wrote the text (a template, a domain's message, a notice).

    The pages' `finalize`: every value a template prints goes through it, so a message raised by a
    service (« Le produit « X » est archivé ») reads right on a page; the API and the CLI keep theirs.
    """
    if isinstance(value, str):  # Markup too: its replace keeps it Markup
        return value.replace("« ", f"«{NBSP}").replace(" »", f"{NBSP}»")
    return value


def install(env: Environment, clock: Clock) -> None:
    """Register the filters on a Jinja environment."""
    env.filters.update(
        quantite=quantite, variation=variation, argent=argent, mois=month, couverture=couverture,
        date=clock.date, date_heure=clock.date_time,
        chemin=lambda v: quote(str(v), safe=""),
        type_mouvement=TransactionType.label_of, cause=MovementCause.label_of,
        gravite=Severity.label_of, etat=AlertState.label_of,
        notifications=RunNotifications.label_of, envoi=DeliveryStatus.label_of, canal=Channel.label_of,
        etat_commande=OrderState.label_of, saisie=quantities.editable,  # a stored decimal in a form: « 18,50 »
        accord=lambda unite, quantity: quantities.unit_for(quantity, unite),  # {{ p.unite|accord(q) }}: « 2 bobines »
        estimation=quantities.estimate,  # a forecast: « 37,4 », to the tenth
        compte=quantities.count,  # {{ n|compte("alerte") }}: « 1 alerte », « 27 alertes »
        etat_demande=request_state, source_rupture=StockoutSource.label_of,  # « les rendez-vous », « le rythme »
        de=de,  # {{ nom|de }}: « d'Allan », « de Marc » (kit/names.py)
    )


def request_state(value: str) -> str:
    """« Ouverte », « Servie », « Refusée »: a request's state as the pages show it."""
    return RequestState.label_of(value)
