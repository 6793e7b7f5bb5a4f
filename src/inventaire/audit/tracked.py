"""Which models the audit trail follows, how each change is named, and the flush hook that records them.

The hook is installed on a session factory, where sessions are made (`inventaire.sessions`:
the app's, the CLI's, the jobs'), never as a side effect of importing a module: a factory
without it records nothing, which `tests/audit/test_served.py` would show from a real `serve`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from inventaire.ateliers.models import Workshop
from inventaire.audit.service import record
from inventaire.auth.models import ApiToken
from inventaire.catalogue.models import Product
from inventaire.commandes.models import Order, OrderLine
from inventaire.entreprise.models import Company
from inventaire.fournisseurs.models import Supplier
from inventaire.kit import quantities
from inventaire.kit.enums import AuditAction, OrderState
from inventaire.regles.models import ConsumptionRule
from inventaire.stock.models import StockLine
from inventaire.techniciens.models import Technician

PRODUCT_FIELDS = ("code_produit", "nom_produit", "categorie", "unite", "prix_unitaire", "prix_vente",
                  "seuil_reorder", "actif", "divisible")
SUPPLIER_FIELDS = ("nom", "courriel", "telephone", "delai_jours", "minimum_commande", "notes")


def _product(_p, changes: dict) -> AuditAction:
    if "actif" in changes:
        return AuditAction.PRODUIT_RESTAURE if changes["actif"][1] else AuditAction.PRODUIT_ARCHIVE
    return AuditAction.PRODUIT_MODIFIE


def _product_supplier(product: Product) -> dict[str, Any]:
    """The supplier a product names, by name (it is a reference to the suppliers' table)."""
    history = inspect(product).attrs.supplier.history
    if not history.added and not history.deleted:
        return {}
    before = history.deleted[0].nom if history.deleted and history.deleted[0] is not None else None
    after = history.added[0].nom if history.added and history.added[0] is not None else None
    return {"fournisseur": [before, after]} if before != after else {}


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


def _workshop(_w, changes: dict) -> AuditAction:
    if "actif" in changes:
        return AuditAction.ATELIER_REACTIVE if changes["actif"][1] else AuditAction.ATELIER_DESACTIVE
    return AuditAction.ATELIER_RENOMME


# A reception's quantities are the ledger's (its rows' cause is the order): the trail only
# says when the order changed state, so a second partial reception writes nothing here.
ORDER_STATES = {OrderState.ENVOYEE: AuditAction.COMMANDE_ENVOYEE, OrderState.ANNULEE: AuditAction.COMMANDE_ANNULEE,
                OrderState.PARTIELLE: AuditAction.COMMANDE_PARTIELLE, OrderState.RECUE: AuditAction.COMMANDE_RECUE}


def _order(_o, changes: dict) -> AuditAction | None:
    if "statut" in changes:
        return ORDER_STATES.get(changes["statut"][1])
    return AuditAction.COMMANDE_MODIFIEE


def _before(line: OrderLine, field: str) -> Any:
    history = inspect(line).attrs[field].history
    return history.deleted[0] if history.deleted else getattr(line, field)


def _line_text(line: OrderLine, quantite: Any, prix: Any) -> str:
    return f"{quantities.with_unit(quantite, line.produit.unite)} à {quantities.money(prix, space=' ')}"


def _order_related(order: Order) -> dict[str, Any]:
    """The workshop's name and each line (« ligne CORD-012 »: quantity and price) before and after."""
    state = inspect(order)
    out: dict[str, Any] = {}
    workshop = state.attrs.atelier.history
    if workshop.added:
        before = workshop.deleted[0].nom if workshop.deleted else None
        if before != workshop.added[0].nom:
            out["atelier"] = [before, workshop.added[0].nom]
    lines = state.attrs.lignes.history
    old = {f"ligne {x.produit.code_produit}": _line_text(x, _before(x, "quantite"), _before(x, "prix_unitaire"))
           for x in [*lines.unchanged, *lines.deleted]}
    new = {f"ligne {x.produit.code_produit}": _line_text(x, x.quantite, x.prix_unitaire)
           for x in [*lines.unchanged, *lines.added]}
    for key in [*old, *(k for k in new if k not in old)]:
        if old.get(key) != new.get(key):
            out[key] = [old.get(key), new.get(key)]
    return out


@dataclass(frozen=True)
class Tracked:
    """How one model is audited: its fields, its name in the trail, the action of a change."""

    fields: tuple[str, ...]
    name: Callable[[Any], str]
    created: AuditAction | None
    changed: Callable[[Any, dict[str, Any]], AuditAction | None]
    deleted: AuditAction | None = None
    # Changes the fields' history cannot tell (relationships: an order's workshop and lines), as {key: [before, after]}.
    related: Callable[[Any], dict[str, Any]] | None = None


TRACKED: dict[type, Tracked] = {
    Product: Tracked(PRODUCT_FIELDS, lambda p: p.code_produit, AuditAction.PRODUIT_CREE, _product,
                     related=_product_supplier),
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
    Workshop: Tracked(("nom", "actif"), lambda w: w.nom, AuditAction.ATELIER_CREE, _workshop),
    Supplier: Tracked(SUPPLIER_FIELDS, lambda s: s.nom, AuditAction.FOURNISSEUR_CREE,
                      lambda _s, _c: AuditAction.FOURNISSEUR_MODIFIE),
    # The order's own scalars; its workshop and lines through _order_related (receptions leave them alone).
    # The company's name and address (one row): its first save and each change.
    Company: Tracked(("nom", "adresse", "telephone", "courriel"), lambda _c: "entreprise",
                     AuditAction.ENTREPRISE_MODIFIEE, lambda _c, _d: AuditAction.ENTREPRISE_MODIFIEE),
    Order: Tracked(("fournisseur", "statut"), lambda o: o.numero, AuditAction.COMMANDE_CREEE, _order,
                   related=_order_related),
}


def _changes(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for field in fields:
        history = state.attrs[field].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                out[field] = [before, after]
    return out


def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new):
        how = TRACKED.get(type(obj))
        if how and how.created:
            values = {f: [None, getattr(obj, f)] for f in how.fields if getattr(obj, f) is not None}
            values.update(how.related(obj) if how.related else {})
            record(db_session=session, action=how.created, objet=how.name(obj), changements=values)
    for obj in list(session.dirty):
        how = TRACKED.get(type(obj))
        if how and session.is_modified(obj, include_collections=False):
            changes = _changes(obj, how.fields) | (how.related(obj) if how.related else {})
            action = how.changed(obj, changes) if changes else None
            if action:
                record(db_session=session, action=action, objet=how.name(obj), changements=changes)
    for obj in list(session.deleted):
        how = TRACKED.get(type(obj))
        if how and how.deleted:
            record(db_session=session, action=how.deleted, objet=how.name(obj))


def follow(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Record the tracked models' changes in every session of this factory (idempotent); returns it."""
    if not event.contains(factory, "before_flush", _on_flush):
        event.listen(factory, "before_flush", _on_flush)
    return factory
