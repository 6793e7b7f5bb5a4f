"""The audit trail: every change that is not a stock movement, with who and when, in one table."""

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inventaire.kit.database import Base, UTCDateTime, utcnow


class AuditAction(StrEnum):
    """What happened (the page shows AUDIT_LABELS)."""

    PRODUIT_CREE = "produit_cree"
    PRODUIT_MODIFIE = "produit_modifie"
    PRODUIT_ARCHIVE = "produit_archive"
    PRODUIT_RESTAURE = "produit_restaure"
    TECHNICIEN_CREE = "technicien_cree"
    TECHNICIEN_RENOMME = "technicien_renomme"
    TECHNICIEN_MODIFIE = "technicien_modifie"
    TECHNICIEN_DESACTIVE = "technicien_desactive"
    TECHNICIEN_REACTIVE = "technicien_reactive"
    NIVEAUX_MODIFIES = "niveaux_modifies"
    JETON_CREE = "jeton_cree"
    JETON_REVOQUE = "jeton_revoque"
    REGLE_CREEE = "regle_creee"
    REGLE_MODIFIEE = "regle_modifiee"
    REGLE_SUPPRIMEE = "regle_supprimee"
    ATELIER_CREE = "atelier_cree"
    ATELIER_RENOMME = "atelier_renomme"
    ATELIER_DESACTIVE = "atelier_desactive"
    ATELIER_REACTIVE = "atelier_reactive"
    COMMANDE_CREEE = "commande_creee"
    COMMANDE_MODIFIEE = "commande_modifiee"
    COMMANDE_ENVOYEE = "commande_envoyee"
    COMMANDE_ANNULEE = "commande_annulee"
    # A reception's quantities are in the ledger (cause = commande, cause_id = the order); only the
    # order's change of state is recorded here, once per state.
    COMMANDE_PARTIELLE = "commande_partielle"
    COMMANDE_RECUE = "commande_recue"


AUDIT_LABELS = {
    AuditAction.PRODUIT_CREE: "Produit ajouté", AuditAction.PRODUIT_MODIFIE: "Produit modifié",
    AuditAction.PRODUIT_ARCHIVE: "Produit archivé", AuditAction.PRODUIT_RESTAURE: "Produit restauré",
    AuditAction.TECHNICIEN_CREE: "Technicien ajouté", AuditAction.TECHNICIEN_RENOMME: "Technicien renommé",
    AuditAction.TECHNICIEN_MODIFIE: "Technicien modifié", AuditAction.TECHNICIEN_DESACTIVE: "Technicien désactivé",
    AuditAction.TECHNICIEN_REACTIVE: "Technicien réactivé", AuditAction.NIVEAUX_MODIFIES: "Seuil ou niveau modifié",
    AuditAction.JETON_CREE: "Jeton créé", AuditAction.JETON_REVOQUE: "Jeton révoqué",
    AuditAction.REGLE_CREEE: "Règle ajoutée", AuditAction.REGLE_MODIFIEE: "Règle modifiée",
    AuditAction.REGLE_SUPPRIMEE: "Règle supprimée",
    AuditAction.ATELIER_CREE: "Atelier ajouté", AuditAction.ATELIER_RENOMME: "Atelier renommé",
    AuditAction.ATELIER_DESACTIVE: "Atelier désactivé", AuditAction.ATELIER_REACTIVE: "Atelier réactivé",
    AuditAction.COMMANDE_CREEE: "Commande créée", AuditAction.COMMANDE_MODIFIEE: "Commande modifiée",
    AuditAction.COMMANDE_ENVOYEE: "Commande envoyée", AuditAction.COMMANDE_ANNULEE: "Commande annulée",
    AuditAction.COMMANDE_PARTIELLE: "Commande reçue en partie", AuditAction.COMMANDE_RECUE: "Commande reçue",
}


class AuditEntry(Base):
    __tablename__ = "journal_audit"
    __table_args__ = (
        CheckConstraint("action IN (" + ", ".join(f"'{a.value}'" for a in AuditAction) + ")", name="action_connue"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    auteur: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(30))
    objet: Mapped[str] = mapped_column(String(200))  # « CORD-012 », « Allan », « Allan / CORD-012 », « jeton n° 3 »
    # {field: [before, after]} as JSON-native values (decimals as text), or {} for a creation.
    changements: Mapped[dict] = mapped_column(JSON, default=dict)
