"""Supplier orders: a draft is written and changed, sent, then received into its workshop in parts.

Receiving writes one `reception` ledger row per line received, into the order's workshop,
through the stock service (the only writer of stock), with the order's number as reference.
Every line of a reception is checked first (on the order, not over what is still due, whole
units for whole products): a refused reception writes nothing. The order's row is locked
first, so two receptions of one order never both pass the check on the same remainder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, type_coerce
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.commandes.models import Order, OrderLine, order_number
from inventaire.fournisseurs import service as suppliers
from inventaire.kit import quantities
from inventaire.kit.database import utcnow
from inventaire.kit.enums import OPEN_ORDER_STATES, MovementCause, OrderState, TransactionType
from inventaire.kit.exceptions import Conflict, InvalidInput, NotFound
from inventaire.stock import service as stock
from inventaire.stock.ledger import QUANTITY_SUM
from inventaire.stock.models import Transaction

NUMBER_ATTEMPTS = 20  # orders created at the same moment: each one that lost a rank takes the next


@dataclass
class LineIn:
    """One line as a person or a script gives it."""

    product: Product
    quantite: Decimal
    prix_unitaire: Decimal


def _clean_supplier(fournisseur: str) -> str:
    name = " ".join(fournisseur.split())
    if not name:
        raise InvalidInput("Fournisseur : indiquez à qui la commande est passée.")
    if len(name) > 120:
        raise InvalidInput("Fournisseur : au plus 120 caractères.")
    return name


def _known_spelling(db_session: Session, name: str) -> str:
    """A supplier's own spelling when the name is one's (« roslau » is « Röslau »): its address is found again."""
    supplier = suppliers.get_by_name(db_session=db_session, nom=name)
    return supplier.nom if supplier is not None else name


def _checked_lines(lines: list[LineIn]) -> list[LineIn]:
    """Refuse an empty order, a product twice, an archived product, a fraction of a whole product."""
    if not lines:
        raise InvalidInput("Une commande a au moins une ligne.")
    seen: set[int] = set()
    for line in lines:
        code = line.product.code_produit
        if line.product.id in seen:
            raise Conflict(f"« {code} » figure deux fois dans la commande : une ligne par produit.")
        seen.add(line.product.id)
        if line.quantite <= 0:
            raise InvalidInput(f"Quantité de « {code} » : elle doit être plus grande que zéro.")
        if line.prix_unitaire < 0:
            raise InvalidInput(f"Prix de « {code} » : il ne peut pas être négatif.")
        if not line.product.actif:
            raise Conflict(f"Le produit « {code} » est archivé : il ne peut plus être commandé.")
        stock.check_divisible(line.product, line.quantite)
    return lines


def _next_rank(db_session: Session, year: int) -> int:
    return (db_session.scalar(select(func.max(Order.rang)).where(Order.annee == year)) or 0) + 1


def create(
    *, db_session: Session, fournisseur: str, workshop: Workshop, lines: list[LineIn], auteur: str, tz: str,
) -> Order:
    """A draft order, numbered CMD-<year>-<rank> in the company's year."""
    fournisseur = _known_spelling(db_session, _clean_supplier(fournisseur))
    _checked_lines(lines)
    now = utcnow()
    year = now.astimezone(ZoneInfo(tz)).year
    for _attempt in range(NUMBER_ATTEMPTS):
        rank = _next_rank(db_session, year)
        order = Order(annee=year, rang=rank, numero=order_number(year, rank), fournisseur=fournisseur,
                      atelier=workshop, statut=OrderState.BROUILLON, auteur=auteur, created_at=now, updated_at=now,
                      lignes=[OrderLine(produit=x.product, quantite=x.quantite, quantite_recue=Decimal(0),
                                        prix_unitaire=x.prix_unitaire) for x in lines])
        try:
            with db_session.begin_nested():
                db_session.add(order)
                db_session.flush()
            return order
        except IntegrityError:  # another order took this rank meanwhile: take the next one
            continue
    raise Conflict("Numéro de commande indisponible pour l'instant : réessayez.")


def get_or_404(*, db_session: Session, order_id: int, lock: bool = False) -> Order:
    """One order, or NotFound; `lock` holds its row until the transaction ends (state changes)."""
    query = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    order = db_session.scalar(query.with_for_update(of=Order) if lock else query)
    if order is None:
        raise NotFound(f"Commande inconnue : n° {order_id}.")
    return order


def list_orders(*, db_session: Session, statut: OrderState | None = None, limit: int = 200) -> list[Order]:
    """Orders, newest first."""
    query = select(Order).order_by(Order.created_at.desc(), Order.id.desc()).limit(limit)
    if statut is not None:
        query = query.where(Order.statut == statut)
    return list(db_session.scalars(query))


def _ensure_state(order: Order, allowed: tuple[OrderState, ...], action: str) -> None:
    if order.statut not in allowed:
        raise Conflict(f"La commande {order.numero} est {OrderState.label_of(order.statut).lower()} : "
                       f"impossible de {action}.")


def update_draft(
    *, db_session: Session, order: Order, fournisseur: str | None = None, workshop: Workshop | None = None,
    lines: list[LineIn] | None = None,
) -> Order:
    """Change a draft: its supplier, its workshop, or all its lines at once (those given replace the others)."""
    _ensure_state(order, (OrderState.BROUILLON,), "la modifier (seul un brouillon se modifie)")
    if fournisseur is not None:
        order.fournisseur = _known_spelling(db_session, _clean_supplier(fournisseur))
    if workshop is not None:
        order.atelier = workshop
    if lines is not None:
        _checked_lines(lines)
        kept = {line.produit_id: line for line in order.lignes}
        order.lignes = [_replace(kept.get(x.product.id), x) for x in lines]
    order.updated_at = utcnow()
    db_session.flush()
    return order


def _replace(line: OrderLine | None, given: LineIn) -> OrderLine:
    """The line of a product kept (its id too) with the new figures, or a new one."""
    if line is None:
        return OrderLine(produit=given.product, quantite=given.quantite, quantite_recue=Decimal(0),
                         prix_unitaire=given.prix_unitaire)
    line.quantite, line.prix_unitaire = given.quantite, given.prix_unitaire
    return line


def send(*, db_session: Session, order: Order) -> Order:
    """A draft is sent to its supplier: its lines are now on order."""
    _ensure_state(order, (OrderState.BROUILLON,), "l'envoyer (seul un brouillon s'envoie)")
    order.statut, order.envoyee_le = OrderState.ENVOYEE, utcnow()
    order.updated_at = order.envoyee_le
    db_session.flush()
    return order


def record_email(*, order: Order, recipients: str) -> Order:
    """The sent order was e-mailed now to these addresses (supplier first, office in copy)."""
    order.courriel_envoye_le, order.courriel_destinataires, order.courriel_erreur = utcnow(), recipients[:600], None
    return order


def record_email_failure(*, db_session: Session, order: Order, error: str) -> Order:
    """The e-mail failed: the order stays a draft, with the error its page shows until a send succeeds."""
    order.courriel_erreur = error[:1000]
    order.updated_at = utcnow()
    db_session.flush()
    return order


def cancel(*, db_session: Session, order: Order) -> Order:
    """Cancel a draft (a sent order is the supplier's business now: it is received, or stays open)."""
    _ensure_state(order, (OrderState.BROUILLON,), "l'annuler (seul un brouillon s'annule)")
    order.statut, order.annulee_le = OrderState.ANNULEE, utcnow()
    order.updated_at = order.annulee_le
    db_session.flush()
    return order


def _format(value: Decimal, product: Product) -> str:
    return quantities.with_unit(value, product.unite)


def receive(
    *, db_session: Session, order: Order, lines: list[tuple[Product, Decimal]], auteur: str,
    at: dt.datetime | None = None,
) -> list[Transaction]:
    """Receive part or all of a sent order into its workshop: one `reception` row per line, or nothing.

    The order must be locked by the caller (get_or_404(lock=True)). `at`: demo data only.
    """
    _ensure_state(order, OPEN_ORDER_STATES, "la recevoir (envoyez-la d'abord)"
                  if order.statut == OrderState.BROUILLON else "la recevoir")
    if not lines:
        raise InvalidInput("Réception : indiquez au moins une ligne reçue.")
    by_product = {line.produit_id: line for line in order.lignes}
    planned: list[tuple[OrderLine, Decimal]] = []
    for product, amount in lines:
        line = by_product.get(product.id)
        if line is None:
            raise Conflict(f"« {product.code_produit} » n'est pas dans la commande {order.numero}.")
        if any(p is line for p, _ in planned):
            raise Conflict(f"« {product.code_produit} » figure deux fois dans la réception : une ligne par produit.")
        if amount <= 0:
            raise InvalidInput(f"Quantité reçue de « {product.code_produit} » : elle doit être plus grande que zéro.")
        if amount > line.reste:
            raise Conflict(
                f"Réception refusée : « {product.code_produit} » : commandé {_format(line.quantite, product)}, "
                f"déjà reçu {_format(line.quantite_recue, product)}, reste {_format(line.reste, product)} ; "
                f"impossible d'en recevoir {_format(amount, product)}. Rien n'a été enregistré."
            )
        stock.check_divisible(product, amount)
        planned.append((line, amount))
    # Every line locked first, in the stock service's one order, then each written.
    stock.lock_lines(db_session=db_session, pairs=[(order.atelier, line.produit, True) for line, _ in planned])
    entries = [
        stock.adjust(db_session=db_session, location=order.atelier, product=line.produit,
                     kind=TransactionType.RECEPTION, delta=amount, auteur=auteur, reference=order.numero,
                     cause=MovementCause.COMMANDE, cause_id=order.id,
                     motif=f"Commande {order.numero} ({order.fournisseur})", at=at)
        for line, amount in planned
    ]
    for line, amount in planned:
        line.quantite_recue += amount
    complete = all(line.reste == 0 for line in order.lignes)
    order.statut = OrderState.RECUE if complete else OrderState.PARTIELLE
    order.updated_at = at or utcnow()
    if complete:
        order.recue_le = order.updated_at
    db_session.flush()
    return entries


def on_order(*, db_session: Session, workshop: Workshop) -> dict[int, Decimal]:
    """Per product id, what sent orders into this workshop still have to deliver."""
    rows = db_session.execute(
        select(OrderLine.produit_id,
               type_coerce(func.sum(OrderLine.quantite - OrderLine.quantite_recue), QUANTITY_SUM))
        .join(Order, Order.id == OrderLine.commande_id)
        .where(Order.atelier_id == workshop.id, Order.statut.in_(OPEN_ORDER_STATES))
        .group_by(OrderLine.produit_id)
    ).all()
    return {product_id: total for product_id, total in rows if total}
