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


class MovementCause(Choice):
    """Ce qui a causé un mouvement du journal ; `cause_id` désigne alors la demande, la commande ou le service déduit."""

    MANUEL = "manuel", "Changement manuel"
    COMPTAGE = "comptage", "Comptage"
    TRANSFERT = "transfert", "Transfert"
    DEMANDE = "demande", "Demande servie"
    PREPARATION = "preparation", "Liste de préparation"
    COMMANDE = "commande", "Réception de commande"
    DEDUCTION = "deduction", "Déduction"
    IMPORT_OUVERTURE = "import_ouverture", "Stock d'ouverture"
    DEMO = "demo", "Démonstration"


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


class RequestState(Choice):
    """État d'une demande d'un véhicule : ouverte, servie (par un transfert) ou refusée."""

    OUVERTE = "ouverte", "Ouverte"
    SERVIE = "servie", "Servie"
    REFUSEE = "refusee", "Refusée"


class LocationKind(Choice):
    """Ce qui détient du stock : le véhicule d'un technicien ou un atelier."""

    VEHICULE = "vehicule", "Véhicule"
    ATELIER = "atelier", "Atelier"


class ServiceStatus(Choice):
    """Un service selon sa source : fait et facturé (actif), ou finalement non facturé (annulé)."""

    ACTIF = "actif", "Actif"
    ANNULE = "annule", "Annulé"


class NotDeducted(Choice):
    """Pourquoi (une partie d')une ligne de service n'a pas été déduite du véhicule."""

    SANS_REGLE = "sans_regle", "Aucune règle"
    TECHNICIEN_INCONNU = "technicien_inconnu", "Technicien inconnu"
    PRODUIT_ARCHIVE = "produit_archive", "Produit archivé"
    STOCK_INSUFFISANT = "stock_insuffisant", "Stock insuffisant"


class SyncStatus(Choice):
    """État d'une synchronisation avec Gazelle."""

    EN_COURS = "en_cours", "En cours"
    REUSSIE = "reussie", "Réussie"
    ECHEC = "echec", "Échec"
    INTERROMPUE = "interrompue", "Interrompue"  # its process died: found "in progress" long after it started


class Pooler(Choice):
    """Ce qui se trouve entre le service et PostgreSQL (INVENTAIRE_DB_POOLER)."""

    SESSION = "session"  # nothing, or a session-mode pooler: a connection is ours until we close it
    TRANSACTION = "transaction"  # PgBouncer pool_mode=transaction: another server connection each transaction


class AuditAction(Choice):
    """Ce qui a changé, hors mouvements de stock (le journal des modifications)."""

    PRODUIT_CREE = "produit_cree", "Produit ajouté"
    PRODUIT_MODIFIE = "produit_modifie", "Produit modifié"
    PRODUIT_ARCHIVE = "produit_archive", "Produit archivé"
    PRODUIT_RESTAURE = "produit_restaure", "Produit restauré"
    TECHNICIEN_CREE = "technicien_cree", "Technicien ajouté"
    TECHNICIEN_RENOMME = "technicien_renomme", "Technicien renommé"
    TECHNICIEN_MODIFIE = "technicien_modifie", "Technicien modifié"
    TECHNICIEN_DESACTIVE = "technicien_desactive", "Technicien désactivé"
    TECHNICIEN_REACTIVE = "technicien_reactive", "Technicien réactivé"
    NIVEAUX_MODIFIES = "niveaux_modifies", "Seuil ou niveau modifié"
    JETON_CREE = "jeton_cree", "Jeton créé"
    JETON_REVOQUE = "jeton_revoque", "Jeton révoqué"
    REGLE_CREEE = "regle_creee", "Règle ajoutée"
    REGLE_MODIFIEE = "regle_modifiee", "Règle modifiée"
    REGLE_SUPPRIMEE = "regle_supprimee", "Règle supprimée"
    ATELIER_CREE = "atelier_cree", "Atelier ajouté"
    ATELIER_RENOMME = "atelier_renomme", "Atelier renommé"
    ATELIER_DESACTIVE = "atelier_desactive", "Atelier désactivé"
    ATELIER_REACTIVE = "atelier_reactive", "Atelier réactivé"
    COMMANDE_CREEE = "commande_creee", "Commande créée"
    COMMANDE_MODIFIEE = "commande_modifiee", "Commande modifiée"
    COMMANDE_ENVOYEE = "commande_envoyee", "Commande envoyée"
    COMMANDE_ANNULEE = "commande_annulee", "Commande annulée"
    # A reception's quantities are in the ledger (cause = commande, cause_id = the order); only the
    # order's change of state is recorded here, once per state.
    COMMANDE_PARTIELLE = "commande_partielle", "Commande reçue en partie"
    COMMANDE_RECUE = "commande_recue", "Commande reçue"
    ENTREPRISE_MODIFIEE = "entreprise_modifiee", "Nom ou adresse de l'entreprise modifié"
    FOURNISSEUR_CREE = "fournisseur_cree", "Fournisseur ajouté"
    FOURNISSEUR_MODIFIE = "fournisseur_modifie", "Fournisseur modifié"


class StockoutSource(Choice):
    """Ce qui épuise une ligne dans la prévision : les rendez-vous réservés ou le rythme de consommation."""

    RENDEZ_VOUS = "rendez-vous", "les rendez-vous"
    RYTHME = "rythme", "le rythme"


class GazelleMode(Choice):
    """Comment le connecteur entre dans Gazelle (la clé d'API l'emporte quand les deux sont réglés)."""

    CLE_API = "cle_api", "clé d'API"
    OAUTH = "oauth", "autorisation OAuth"
    AUCUN = "aucun", "non configuré"


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
