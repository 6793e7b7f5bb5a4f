"""Requests from a van: open one, list them, serve one by a transfer from a workshop, or refuse it.

Serving goes through the stock service's `transfer` (two linked rows, 409 and nothing written
when the workshop is short). The office is told of a new request once (`notify.py`).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.ateliers.models import Workshop
from inventaire.catalogue.models import Product
from inventaire.demandes.models import StockRequest
from inventaire.kit.database import utcnow
from inventaire.kit.enums import MovementCause, RequestState
from inventaire.kit.exceptions import Conflict, InvalidInput, NotFound
from inventaire.stock import service as stock
from inventaire.techniciens.models import Technician


def create(
    *, db_session: Session, technician: Technician, product: Product, quantity: Decimal, note: str | None,
    auteur: str,
) -> StockRequest:
    """Open a request from this van (the product need not be carried yet)."""
    if quantity <= 0:
        raise InvalidInput("La quantité demandée doit être plus grande que zéro.")
    stock.check_divisible(product, quantity)
    if not product.actif:
        raise Conflict(f"Le produit « {product.code_produit} » est archivé : il ne peut plus être demandé.")
    request = StockRequest(technicien=technician, produit=product, quantite=quantity, note=note or None,
                           statut=RequestState.OUVERTE, auteur=auteur, created_at=utcnow())
    db_session.add(request)
    db_session.flush()
    return request


def get_or_404(*, db_session: Session, request_id: int, lock: bool = False) -> StockRequest:
    """One request, or NotFound; `lock` holds its row until the transaction ends.

    Serving and refusing lock it before reading its state: two of them at once would otherwise
    both see it open, and both answer 200 (the parts moved twice, or moved while « Refusée »).
    """
    query = select(StockRequest).where(StockRequest.id == request_id).execution_options(populate_existing=True)
    request = db_session.scalar(query.with_for_update(of=StockRequest) if lock else query)
    if request is None:
        raise NotFound(f"Demande inconnue : n° {request_id}.")
    return request


def list_requests(
    *, db_session: Session, statut: RequestState | None = None, technician: Technician | None = None,
    limit: int = 200, lock: bool = False,
) -> list[StockRequest]:
    """Requests, newest first (open ones oldest first: the office serves them in order).

    `lock` (« Préparer ») holds their rows, taken in this order; PostgreSQL reads again a row it
    waited for, so a request served meanwhile no longer matches « ouverte ».
    """
    query = select(StockRequest)
    if lock:
        query = query.with_for_update(of=StockRequest).execution_options(populate_existing=True)
    if statut is not None:
        query = query.where(StockRequest.statut == statut)
    if technician is not None:
        query = query.where(StockRequest.technicien_id == technician.id)
    order = (StockRequest.created_at, StockRequest.id) if statut == RequestState.OUVERTE else (
        StockRequest.created_at.desc(), StockRequest.id.desc())
    return list(db_session.scalars(query.order_by(*order).limit(limit)))


def is_fraction_of_whole(product: Product, quantity: Decimal) -> bool:
    """A fraction of a product counted in whole units: asked before such requests were refused; the office fixes it."""
    return not product.divisible and quantity != quantity.to_integral_value()


def _ensure_open(request: StockRequest) -> None:
    if request.statut != RequestState.OUVERTE:
        state = "servie" if request.statut == RequestState.SERVIE else "refusée"
        raise Conflict(f"La demande n° {request.id} est déjà {state}.")


def serve(
    *, db_session: Session, request: StockRequest, workshop: Workshop, quantity: Decimal | None, auteur: str,
) -> stock.Transfer:
    """Serve a request by a transfer from the workshop (the requested quantity unless given)."""
    _ensure_open(request)
    amount = request.quantite if quantity is None else quantity
    moved = stock.transfer(
        db_session=db_session, source=workshop, target=request.technicien, product=request.produit,
        quantity=amount, auteur=auteur, reference=f"Demande #{request.id}",
        cause=MovementCause.DEMANDE, cause_id=request.id,
    )
    close_served(request=request, workshop=workshop, quantity=amount, entry_id=moved.entree.id)
    return moved


def close_served(*, request: StockRequest, workshop: Workshop, quantity: Decimal, entry_id: int) -> None:
    """Mark a request served by a transfer already written (here or by a replenishment)."""
    request.statut, request.closed_at = RequestState.SERVIE, utcnow()
    request.atelier, request.quantite_servie, request.transaction_id = workshop, quantity, entry_id


def refuse(*, db_session: Session, request: StockRequest, motif: str) -> StockRequest:
    """Refuse a request with the reason the technician will read."""
    _ensure_open(request)
    motif = " ".join(motif.split())
    if not motif:
        raise InvalidInput("Motif : dites au technicien pourquoi la demande est refusée.")
    request.statut, request.closed_at, request.motif_refus = RequestState.REFUSEE, utcnow(), motif
    db_session.flush()
    return request
