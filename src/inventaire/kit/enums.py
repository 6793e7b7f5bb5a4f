"""The closed lists of the domain, each defined once.

A member is the value stored and exchanged (``TransactionType.RECEPTION == "reception"``) and
carries its French label (``.label``). The CHECK constraints (``Choice.check``), the pydantic
and query parameter types (the enum itself) and the labels of pages, e-mails and the CLI are
derived from these classes: adding a member here is the whole change. The classes' docstrings
are in French: pydantic shows them in the API documentation.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Literal, get_args


class Choice(StrEnum):
    """A closed list whose members carry their French label: ``MEMBER = "value", "Libellé"``."""

    label: str

    def __new__(cls, value: str, label: str | None = None) -> Choice:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    def __repr__(self) -> str:
        # Like the value, so pydantic's messages list « 'reception', 'utilisation' ou … ».
        return repr(self.value)

    @classmethod
    def check(cls, column: str, members: Iterable[Choice] | None = None) -> str:
        """The SQL of a CHECK constraint: ``column IN ('a', 'b')``, in the order of the class."""
        values = ", ".join(f"'{m.value}'" for m in (members if members is not None else cls))
        return f"{column} IN ({values})"

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The stored values, in the order of the class (`"x" in Enum` needs a member on 3.11)."""
        return tuple(m.value for m in cls)

    @classmethod
    def labels(cls) -> dict[str, str]:
        """Value → French label (the Jinja filters and tables)."""
        return {m.value: m.label for m in cls}

    @classmethod
    def label_of(cls, value: Any) -> str:
        """The label of a stored value; an unknown value is shown as it is."""
        try:
            return cls(value).label
        except ValueError:
            return str(value)


class TransactionType(Choice):
    """Type d'un mouvement du journal."""

    RECEPTION = "reception", "Réception"
    UTILISATION = "utilisation", "Utilisation"
    AJUSTEMENT = "ajustement", "Ajustement"
    COMPTAGE = "comptage", "Comptage"
    TRANSFERT = "transfert", "Transfert"


# The types a person or a script sends as a signed change (a count is its own endpoint).
MovementType = Literal[TransactionType.RECEPTION, TransactionType.UTILISATION, TransactionType.AJUSTEMENT]
MOVEMENT_TYPES: tuple[TransactionType, ...] = get_args(MovementType)


class Role(Choice):
    """Rôle d'un jeton d'API ou d'une connexion au tableau de bord."""

    ADMIN = "admin", "Administrateur"
    TECHNICIEN = "technicien", "Technicien"
    CRON = "cron", "Tâche planifiée"


# The roles that may log in to the pages (a cron token has no page).
PAGE_ROLES = (Role.ADMIN, Role.TECHNICIEN)


class Severity(Choice):
    """Gravité : plus rien (critique), sous le seuil (stock bas), ou épuisé d'ici l'horizon (prévision)."""

    CRITIQUE = "critique", "Critique"
    BAS_STOCK = "bas_stock", "Stock bas"
    RUPTURE_PREVUE = "rupture_prevue", "Rupture prévue"


# An alert of the check is a line at or under its threshold; a predicted stockout is not one yet.
AlertSeverity = Literal[Severity.CRITIQUE, Severity.BAS_STOCK]


class AlertState(Choice):
    """État d'une alerte par rapport à la vérification précédente."""

    NOUVELLE = "nouvelle", "Nouvelle"
    AGGRAVEE = "aggravee", "Aggravée"
    PERSISTANTE = "persistante", "Persistante"


class Channel(Choice):
    """Canal d'une notification."""

    EMAIL = "email", "Courriel"
    SLACK = "slack", "Slack"
    DISCORD = "discord", "Discord"


class DeliveryStatus(Choice):
    """État d'un envoi : en attente, en cours, envoyé, ou en échec (sera réessayé)."""

    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    ENVOYEE = "envoyee", "Envoyée"
    ECHEC = "echec", "Échec"


class RunNotifications(Choice):
    """Les notifications d'une vérification, en un mot."""

    DESACTIVEES = "desactivees", "Désactivées"
    AUCUNE = "aucune", "Aucune"
    EN_ATTENTE = "en_attente", "En attente"
    ENVOYEES = "envoyees", "Envoyées"
    ECHEC = "echec", "Échec"
    PARTIELLE = "partielle", "Partielle"


class SmtpSecurity(Choice):
    """Sécurité de la connexion SMTP (INVENTAIRE_SMTP_SECURITY)."""

    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "none"


class OrderState(Choice):
    """État d'une commande au fournisseur : brouillon → envoyée → reçue en partie → reçue ; un brouillon peut être annulé."""

    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée"
    PARTIELLE = "partielle", "Reçue en partie"
    RECUE = "recue", "Reçue"
    ANNULEE = "annulee", "Annulée"


# Orders the supplier is still to deliver (in part): their remaining quantities are "on order".
OPEN_ORDER_STATES = (OrderState.ENVOYEE, OrderState.PARTIELLE)


class AppointmentStatus(Choice):
    """État d'un rendez-vous dans Gazelle (ses propres valeurs : CANCELED s'écrit avec un seul L)."""

    ACTIVE = "ACTIVE", "Prévu"
    COMPLETE = "COMPLETE", "Terminé"
    CANCELED = "CANCELED", "Annulé"
    NO_SHOW = "NO_SHOW", "Client absent"


# Appointments that still happen (or happened): listed, and counted in a van's load list.
BOOKED_STATES = (AppointmentStatus.ACTIVE, AppointmentStatus.COMPLETE)


class LoadNoticeKind(Choice):
    """Envoi du chargement : la liste de la veille au soir, ou les changements du matin."""

    SOIR = "soir", "Liste du soir"
    MATIN = "matin", "Changements du matin"
