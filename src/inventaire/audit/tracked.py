"""Which models the audit trail follows, and how each change is named."""

from __future__ import annotations

from inventaire.audit.models import AuditAction
from inventaire.audit.service import TRACKED, Tracked
from inventaire.auth.models import ApiToken
from inventaire.catalogue.models import Product
from inventaire.regles.models import ConsumptionRule
from inventaire.stock.models import StockLine
from inventaire.techniciens.models import Technician

PRODUCT_FIELDS = ("code_produit", "nom_produit", "categorie", "unite", "prix_unitaire", "prix_vente", "fournisseur",
                  "seuil_reorder", "actif", "divisible")


def _product(_p, changes: dict) -> AuditAction:
    if "actif" in changes:
        return AuditAction.PRODUIT_RESTAURE if changes["actif"][1] else AuditAction.PRODUIT_ARCHIVE
    return AuditAction.PRODUIT_MODIFIE


def _technician(_t, changes: dict) -> AuditAction:
    if "actif" in changes:
        return AuditAction.TECHNICIEN_REACTIVE if changes["actif"][1] else AuditAction.TECHNICIEN_DESACTIVE
    if "nom" in changes:
        return AuditAction.TECHNICIEN_RENOMME
    return AuditAction.TECHNICIEN_MODIFIE


def _token(_t, changes: dict) -> AuditAction | None:
    return AuditAction.JETON_REVOQUE if changes.get("revoked_at", [None, None])[1] else None


def _line_name(line: StockLine) -> str:
    return f"{line.emplacement.nom} / {line.produit.code_produit}"


def _rule_name(rule: ConsumptionRule) -> str:
    code = rule.produit.code_produit if rule.produit is not None else f"produit n° {rule.produit_id}"
    return f"{rule.service_id} → {code}"


TRACKED.update({
    Product: Tracked(PRODUCT_FIELDS, lambda p: p.code_produit, AuditAction.PRODUIT_CREE, _product),
    Technician: Tracked(("nom", "email", "actif", "gazelle_id"), lambda t: t.nom, AuditAction.TECHNICIEN_CREE,
                        _technician),
    # Only the levels: the quantity changes through the ledger, which is its own trail.
    StockLine: Tracked(("seuil_min", "niveau_par"), _line_name, None,
                       lambda _l, _c: AuditAction.NIVEAUX_MODIFIES),
    ApiToken: Tracked(("nom", "role", "revoked_at"), lambda t: f"jeton « {t.nom} » ({t.role})",
                      AuditAction.JETON_CREE, _token),
    ConsumptionRule: Tracked(("service_id", "service_nom", "quantite", "notes"), _rule_name,
                             AuditAction.REGLE_CREEE, lambda _r, _c: AuditAction.REGLE_MODIFIEE,
                             AuditAction.REGLE_SUPPRIMEE),
})
