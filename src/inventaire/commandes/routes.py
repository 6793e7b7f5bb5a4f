"""HTTP routes of the supplier orders (the office's)."""

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.catalogue import service as catalogue
from inventaire.commandes import sending, service, suggestion
from inventaire.commandes.schemas import (
    OrderCreate,
    OrderLineIn,
    OrderRead,
    OrderUpdate,
    ReceivedRead,
    ReceiveRequest,
    SuggestionRead,
)
from inventaire.deps import AdminUser, SessionDep, SettingsDep
from inventaire.idempotency.routing import IdempotentRoute
from inventaire.kit.enums import OrderState
from inventaire.kit.errors import BAD_GATEWAY, CONFLICT, NOT_FOUND
from inventaire.kit.exceptions import InvalidInput
from inventaire.previsions.booked import Horizon
from inventaire.stock.schemas import TransactionRead

router = APIRouter(prefix="/commandes", tags=["commandes"], route_class=IdempotentRoute)
IdPath = Path(ge=1, le=2_147_483_647, description="N° interne de la commande (son `id`)")


def _lines(db_session: Session, given: list[OrderLineIn]) -> list[service.LineIn]:
    return [service.LineIn(catalogue.get_or_404(db_session=db_session, code_produit=x.code_produit), x.quantite,
                           x.prix_unitaire) for x in given]


@router.get("/suggestion", summary="Que commander ?", response_model=SuggestionRead, responses=NOT_FOUND)
def suggest(
    db_session: SessionDep, settings: SettingsDep, _: AdminUser,
    atelier: str = Query(min_length=1, max_length=60, description="L'atelier où la commande sera reçue"),
) -> SuggestionRead:
    """Per supplier, what to order so that the workshop covers the vans' par levels, the open requests
    and the forecast consumption until the next order, less its stock and what is already on order."""
    workshop = ateliers.get_or_404(db_session=db_session, nom=atelier)
    found = suggestion.suggest(db_session=db_session, workshop=workshop, days=settings.delai_commande_jours,
                               default_threshold=settings.seuil_defaut, pls_pads=settings.pls_buvards,
                               booked=Horizon.of(settings=settings))
    return SuggestionRead.of(found)


@router.post("", summary="Créer une commande", response_model=OrderRead, status_code=201, responses={**NOT_FOUND, **CONFLICT})
def create_order(body: OrderCreate, db_session: SessionDep, settings: SettingsDep, user: AdminUser) -> OrderRead:
    """A draft order (`brouillon`) to a supplier, to be received into a workshop."""
    workshop = ateliers.get_or_404(db_session=db_session, nom=body.atelier)
    order = service.create(db_session=db_session, fournisseur=body.fournisseur, workshop=workshop,
                           lines=_lines(db_session, body.lignes), auteur=user.nom, tz=settings.tz)
    return OrderRead.of(order)


@router.get("", summary="Lister les commandes", response_model=list[OrderRead])
def list_orders(db_session: SessionDep, _: AdminUser, statut: OrderState | None = Query(None)) -> list[OrderRead]:
    """Orders, newest first."""
    return [OrderRead.of(o) for o in service.list_orders(db_session=db_session, statut=statut)]


@router.get("/{commande_id}", summary="Consulter une commande", response_model=OrderRead, responses=NOT_FOUND)
def get_order(db_session: SessionDep, _: AdminUser, commande_id: int = IdPath) -> OrderRead:
    return OrderRead.of(service.get_or_404(db_session=db_session, order_id=commande_id))


@router.put("/{commande_id}", summary="Modifier une commande", response_model=OrderRead, responses={**NOT_FOUND, **CONFLICT})
def update_order(body: OrderUpdate, db_session: SessionDep, _: AdminUser, commande_id: int = IdPath) -> OrderRead:
    """Change a draft: the fields given; `lignes` replaces every line."""
    order = service.get_or_404(db_session=db_session, order_id=commande_id, lock=True)
    cleared = [k for k, v in body.model_dump(exclude_unset=True).items() if v is None]
    if cleared:
        raise InvalidInput(f"Ces champs ne peuvent pas être vides : {', '.join(cleared)}.")
    workshop = ateliers.get_or_404(db_session=db_session, nom=body.atelier) if body.atelier is not None else None
    lines = _lines(db_session, body.lignes) if body.lignes is not None else None
    service.update_draft(db_session=db_session, order=order, fournisseur=body.fournisseur, workshop=workshop,
                         lines=lines)
    return OrderRead.of(order)


@router.post("/{commande_id}/envoyer", summary="Envoyer une commande",
             response_model=OrderRead, responses={**NOT_FOUND, **CONFLICT, **BAD_GATEWAY})
def send_order(db_session: SessionDep, settings: SettingsDep, _: AdminUser, commande_id: int = IdPath) -> OrderRead:
    """The draft is sent to the supplier (`envoyee`): its lines count as on order. When the supplier has a
    `courriel`, the order is e-mailed to it (PDF and CSV attached, the office in copy): `courriel_envoye`
    says so; a send that fails leaves the draft, with the error noted (502)."""
    order, _emailed = sending.send_order(db_session=db_session, order_id=commande_id, settings=settings)
    return OrderRead.of(order)


@router.post("/{commande_id}/annuler", summary="Annuler une commande",
             response_model=OrderRead, responses={**NOT_FOUND, **CONFLICT})
def cancel_order(db_session: SessionDep, _: AdminUser, commande_id: int = IdPath) -> OrderRead:
    """Cancel a draft (only a draft)."""
    order = service.get_or_404(db_session=db_session, order_id=commande_id, lock=True)
    return OrderRead.of(service.cancel(db_session=db_session, order=order))


@router.post("/{commande_id}/recevoir", summary="Recevoir une commande",
             response_model=ReceivedRead, responses={**NOT_FOUND, **CONFLICT})
def receive_order(body: ReceiveRequest, db_session: SessionDep, user: AdminUser, commande_id: int = IdPath) -> ReceivedRead:
    """Receive lines into the order's workshop (`reception` rows, reference = the order's number), in one
    database transaction; 409 and nothing written when a line would exceed what was ordered."""
    order = service.get_or_404(db_session=db_session, order_id=commande_id, lock=True)
    received = [(catalogue.get_or_404(db_session=db_session, code_produit=x.code_produit), x.quantite)
                for x in body.lignes]
    entries = service.receive(db_session=db_session, order=order, lines=received, auteur=user.nom)
    return ReceivedRead(**OrderRead.of(order).model_dump(), mouvements=[TransactionRead.of(e) for e in entries])
