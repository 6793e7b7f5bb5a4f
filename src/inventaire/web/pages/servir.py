"""The dashboard's open requests from the vans: « Servir » (a transfer from a workshop, through the
requests service, as the API's `POST /demandes/{id}/servir`) or « Refuser » with a reason.

Each action answers the list as it stands now (HTMX swaps it) and the outcome out of band; a
refusal of the action (workshop short, no reason…) is rolled back first and shown on its request,
with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.ateliers.models import Workshop
from inventaire.demandes import service as demandes
from inventaire.demandes.models import StockRequest
from inventaire.demandes.schemas import RefuseRequest, ServeRequest
from inventaire.deps import SessionDep
from inventaire.kit.enums import RequestState
from inventaire.kit.exceptions import DomainError
from inventaire.kit.forms import field_errors, validate
from inventaire.kit.names import de
from inventaire.kit.quantities import with_unit
from inventaire.stock import reading as stock_lines
from inventaire.stock.models import StockLine
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
IdPath = Path(ge=1, le=2_147_483_647)
POLL_SECONDS = 5
ZERO = Decimal(0)
LABELS = {"atelier": "Atelier", "quantite": "Quantité", "motif": "Motif"}


@dataclass
class OpenRequest:
    demande: StockRequest
    ateliers: list[tuple[Workshop, Decimal]]  # every active workshop and what it holds of the product
    choisi: str | None  # the workshop proposed: the first that has enough, else the one that has most
    dans_vehicule: Decimal
    fraction: bool = False  # a fraction of a whole-unit product, asked before that was refused: to fix


@dataclass
class Outcome:
    """What the last action did (shown above the list) or why it was refused (shown on its request)."""

    succes: str | None = None
    erreurs: dict[int, str] = field(default_factory=dict)
    valeurs: dict[int, dict[str, str]] = field(default_factory=dict)


def open_requests(db_session: Session) -> list[OpenRequest]:
    """The open requests, oldest first, each with what the workshops and the van hold (two queries)."""
    opened = demandes.list_requests(db_session=db_session, statut=RequestState.OUVERTE)
    workshops = ateliers.list_workshops(db_session=db_session, actif=True)
    products = {r.produit_id for r in opened}
    holders = [w.id for w in workshops] + [r.technicien_id for r in opened]
    held: dict[tuple[int, int], Decimal] = {}
    if products:
        held = {(e, p): q for e, p, q in db_session.execute(
            select(StockLine.emplacement_id, StockLine.produit_id, StockLine.quantite)
            .where(StockLine.produit_id.in_(products), StockLine.emplacement_id.in_(holders)))}
    views = []
    for request in opened:
        options = [(w, held.get((w.id, request.produit_id), ZERO)) for w in workshops]
        enough = [w for w, q in options if q >= request.quantite]
        best = enough[0] if enough else max(options, key=lambda o: o[1])[0] if options else None
        views.append(OpenRequest(request, options, best.nom if best else None,
                                 held.get((request.technicien_id, request.produit_id), ZERO),
                                 demandes.is_fraction_of_whole(request.produit, request.quantite)))
    return views


def requests_context(db_session: Session) -> dict[str, Any]:
    return {"ouvertes": open_requests(db_session), "intervalle_demandes": POLL_SECONDS}


def _answer(request: Request, db_session: Session, viewer: Viewer, outcome: Outcome,
            status_code: int = 200) -> HTMLResponse:
    return render(request, "_demandes_bureau.html", status_code, viewer=viewer, resultat=outcome, oob=True,
                  **requests_context(db_session))


def _refused(request: Request, db_session: Session, viewer: Viewer, demande_id: int, status: int, detail: str,
             form: dict[str, str]) -> HTMLResponse:
    return refuse(db_session, lambda: _answer(request, db_session, viewer, Outcome(
        erreurs={demande_id: detail}, valeurs={demande_id: form}), status))


@router.get("/fragments/demandes")
def requests_fragment(request: Request, db_session: SessionDep, viewer: AdminPage) -> Response:
    """The open requests, polled by the dashboard (paused while a form in it is being filled)."""
    return render(request, "_demandes_bureau.html", viewer=viewer, resultat=Outcome(), oob=False,
                  **requests_context(db_session))


@router.post("/demandes/{demande_id}/servir")
def serve(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData, demande_id: int = IdPath) -> Response:
    """Serve a request by a transfer from the workshop chosen; the quantity asked unless another is typed."""
    values = {"atelier": form.get("atelier", ""), "quantite": form.get("quantite", "")}
    body, errors = validate(ServeRequest, values, decimals={"quantite"}, required={"atelier"})
    if body is None:
        return _refused(request, db_session, viewer, demande_id, 422, field_errors(errors, LABELS), values)
    try:
        opened = demandes.get_or_404(db_session=db_session, request_id=demande_id, lock=True)
        workshop = ateliers.get_or_404(db_session=db_session, nom=body.atelier)
        moved = demandes.serve(db_session=db_session, request=opened, workshop=workshop, quantity=body.quantite,
                               auteur=viewer.principal.nom)
    except DomainError as exc:
        return _refused(request, db_session, viewer, demande_id, exc.status_code, exc.detail, values)
    unit = opened.produit.unite
    left = stock_lines.get_line(db_session=db_session, location=workshop, product=opened.produit)
    message = (
        f"Demande n° {opened.id} servie : {with_unit(moved.entree.ajustement, unit, grouped=True)} de "
        f"« {opened.produit.code_produit} » {de(workshop.nom)} vers {opened.technicien.nom} "
        f"({opened.technicien.nom} en a maintenant {with_unit(moved.entree.quantite_apres, unit, grouped=True)}, "
        f"il en reste {with_unit(left.quantite if left else ZERO, unit, grouped=True)} à {workshop.nom})."
    )
    return _answer(request, db_session, viewer, Outcome(succes=message))


@router.post("/demandes/{demande_id}/refuser")
def refuse_request(request: Request, db_session: SessionDep, viewer: AdminPage, form: FormData,
                   demande_id: int = IdPath) -> Response:
    """Refuse a request with the reason the technician will read on their phone (required)."""
    values = {"motif": form.get("motif", "")}
    try:
        opened = demandes.get_or_404(db_session=db_session, request_id=demande_id, lock=True)
        if values["motif"].strip():  # an empty reason: the service's own French refusal
            body, errors = validate(RefuseRequest, values)
            if body is None:
                return _refused(request, db_session, viewer, demande_id, 422, field_errors(errors, LABELS), values)
            values["motif"] = body.motif
        demandes.refuse(db_session=db_session, request=opened, motif=values["motif"])
    except DomainError as exc:
        return _refused(request, db_session, viewer, demande_id, exc.status_code, exc.detail, values)
    message = (f"Demande n° {opened.id} refusée ({opened.technicien.nom}, « {opened.produit.code_produit} ») : "
               f"{opened.motif_refus}")
    return _answer(request, db_session, viewer, Outcome(succes=message))
