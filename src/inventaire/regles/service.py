"""Consumption rules: the only code that reads and writes them."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.kit.exceptions import Conflict, InvalidInput, NotFound
from inventaire.regles.models import ConsumptionRule
from inventaire.stock import service as stock


def get_or_404(*, db_session: Session, rule_id: int) -> ConsumptionRule:
    """The rule with this id, or NotFound."""
    rule = db_session.get(ConsumptionRule, rule_id)
    if rule is None:
        raise NotFound(f"Règle inconnue : n° {rule_id}.")
    return rule


def list_rules(*, db_session: Session, service_id: str | None = None) -> list[ConsumptionRule]:
    """Every rule, by service then product code."""
    query = select(ConsumptionRule).join(ConsumptionRule.produit).order_by(
        ConsumptionRule.service_id, Product.code_produit
    )
    if service_id is not None:
        query = query.where(ConsumptionRule.service_id == service_id)
    return list(db_session.scalars(query))


def rules_by_service(*, db_session: Session) -> dict[str, list[ConsumptionRule]]:
    """All rules grouped by service, read in one query (a sync applies them to thousands of lines)."""
    grouped: dict[str, list[ConsumptionRule]] = defaultdict(list)
    for rule in list_rules(db_session=db_session):
        grouped[rule.service_id].append(rule)
    return dict(grouped)


def _conflict(service_id: str, product: Product) -> Conflict:
    return Conflict(
        f"Une règle existe déjà pour le service « {service_id} » et le produit « {product.code_produit} » : "
        "modifiez-la plutôt."
    )


def create(
    *, db_session: Session, service_id: str, product: Product, quantite: Decimal,
    service_nom: str | None = None, notes: str | None = None,
) -> ConsumptionRule:
    """Add a rule; the pair (service, product) exists at most once."""
    _check_quantity(product, quantite)
    exists = db_session.scalar(select(ConsumptionRule.id).where(
        ConsumptionRule.service_id == service_id, ConsumptionRule.produit_id == product.id))
    if exists is not None:
        raise _conflict(service_id, product)
    rule = ConsumptionRule(service_id=service_id, produit=product, quantite=quantite,
                           service_nom=service_nom, notes=notes)
    db_session.add(rule)
    try:
        with db_session.begin_nested():
            db_session.flush()
    except IntegrityError as exc:  # a concurrent request added the same pair
        raise _conflict(service_id, product) from exc
    return rule


def update(*, db_session: Session, rule: ConsumptionRule, changes: dict[str, Any]) -> ConsumptionRule:
    """Change a rule's quantity, service name or notes."""
    if "quantite" in changes:
        if changes["quantite"] is None:
            raise InvalidInput("La quantité d'une règle ne peut pas être vide.")
        _check_quantity(rule.produit, changes["quantite"])
    for field, value in changes.items():
        setattr(rule, field, value)
    db_session.flush()
    return rule


def delete(*, db_session: Session, rule: ConsumptionRule) -> None:
    """Remove a rule; what it deducted stays in the ledger and in the deductions."""
    db_session.delete(rule)
    db_session.flush()


def fractional_rules(*, db_session: Session) -> list[ConsumptionRule]:
    """Rules deducting a fraction of a product counted in whole units (written before they were refused):
    their shortfall never clears, so the office is shown them to fix."""
    return [r for r in list_rules(db_session=db_session)
            if not r.produit.divisible and r.quantite != r.quantite.to_integral_value()]


def _check_quantity(product: Product, quantite: Decimal) -> None:
    if not quantite > 0:
        raise InvalidInput("La quantité consommée doit être supérieure à zéro.")
    stock.check_divisible(product, quantite)
