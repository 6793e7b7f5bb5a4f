"""The phone page's requests to the office: « Demander » on a line (two taps), a product the van
does not carry, and the poll that brings the office's answers (and the lines they changed).

Requests are opened by the requests service (`demandes/service.py`), with the API's rule: a
technician asks for their own van only. The office is told once, after the commit, through the
same announcement as the API's (`demandes/notify.py`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inventaire.catalogue import search
from inventaire.catalogue import service as catalogue
from inventaire.demandes import notify
from inventaire.demandes import service as demandes
from inventaire.demandes.models import StockRequest
from inventaire.demandes.schemas import RequestCreate
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements.models import Location
from inventaire.idempotency import pages as page_keys
from inventaire.kit.config import Settings
from inventaire.kit.exceptions import DomainError, InvalidInput
from inventaire.kit.forms import field_errors, validate
from inventaire.kit.quantities import parse, with_unit
from inventaire.stock import reading as stock_lines
from inventaire.techniciens.models import Technician
from inventaire.web.deps import FormData, PageUser
from inventaire.web.pages.stock import line_request
from inventaire.web.pages.van import (
    POLL_SECONDS,
    POSITIVE,
    CodePath,
    NomPath,
    line_views,
    load,
    recent_moves,
    van_page,
    van_requests,
)
from inventaire.web.render import PageRoute, refuse, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
LABELS = {"quantite": "Quantité demandée", "note": "Note", "code_produit": "Produit"}
MAX_SEEN = 2000  # lines a page may report having shown (a van carries a few hundred at most)


def _van(location: Location) -> Technician:
    """Only a van asks the office for parts: a workshop is where they come from."""
    if not isinstance(location, Technician):
        raise InvalidInput(f"« {location.nom} » est un atelier : seuls les véhicules font des demandes.")
    return location


def _checked(form: dict[str, str], technician: Technician, code: str) -> tuple[RequestCreate | None, str | None]:
    """The request typed on the page, checked by the API's schema; or the French reason it is refused."""
    amount = parse(form.get("quantite", "").strip() or "x")
    if amount is None or not amount.is_finite() or amount <= 0:
        return None, POSITIVE
    body, errors = validate(RequestCreate, {
        "technicien": technician.nom, "code_produit": code, "quantite": form.get("quantite", ""),
        "note": form.get("note", ""),
    }, decimals={"quantite"}, required={"quantite"})
    return body, (field_errors(errors, LABELS) if body is None else None)


def _announce(request: Request, background: BackgroundTasks, settings: Settings, opened: StockRequest) -> None:
    background.add_task(notify.announce, factory=request.app.state.sessionmaker, settings=settings,
                        request_id=opened.id)


def _sent(opened: StockRequest) -> str:
    qty = with_unit(opened.quantite, opened.produit.unite, grouped=True)
    return f"Demande n° {opened.id} envoyée : {qty} de « {opened.produit.code_produit} ». Le bureau est prévenu."


@router.post("/stock/{nom}/{code}/demander")
def ask_for_a_line(request: Request, background: BackgroundTasks, db_session: SessionDep, settings: SettingsDep,
                   viewer: PageUser, form: FormData, nom: str = NomPath, code: str = CodePath) -> Response:
    """« Demander » on a product's card: the quantity confirmed (prefilled to bring the line to par)."""
    line = line_request(request, db_session, settings, viewer, nom, code)
    technician = _van(line.technician)
    values = {"quantite": form.get("quantite", ""), "note": form.get("note", "")}
    body, problem = _checked(form, technician, line.product.code_produit)
    if body is None:
        return line.answer(422, erreur=problem, demande=values)
    return line.save(
        {**form, "demande": "1"},
        lambda: demandes.create(db_session=db_session, technician=technician, product=line.product,
                                quantity=body.quantite, note=body.note, auteur=viewer.principal.nom),
        _sent,
        refused=lambda status, detail: line.answer(status, erreur=detail, demande=values),
        done=lambda opened: _announce(request, background, settings, opened),
    )


@router.post("/stock/{nom}/demander")
def ask_for_a_product_not_carried(request: Request, background: BackgroundTasks, db_session: SessionDep,
                                  settings: SettingsDep, viewer: PageUser, form: FormData, nom: str = NomPath) -> Response:
    """A request for a product the van does not carry (picked from the catalogue); a plain form."""
    technician = _van(load(db_session, viewer, nom)[0])
    values = {name: form.get(name, "").strip() for name in ("code_produit", "quantite", "note", "cle")}

    def refused(status_code: int, message: str) -> HTMLResponse:
        return refuse(db_session, lambda: van_page(request, db_session, settings, viewer, technician, status_code,
                                                   demande={**values, "erreur": message}))

    if not values["code_produit"]:
        return refused(422, "Produit : choisissez le produit demandé.")
    product = catalogue.get_by_code(db_session=db_session, code_produit=values["code_produit"])
    if product is None:  # words of a name typed instead of picking a suggestion
        try:
            product = search.choose(query=values["code_produit"], among=catalogue.list_products(db_session=db_session))
        except DomainError as exc:
            return refused(exc.status_code, exc.detail)
    body, problem = _checked(values, technician, product.code_produit)
    if body is None:
        return refused(422, problem or POSITIVE)
    landing = RedirectResponse(f"/stock/{quote(technician.nom, safe='')}#demandes", 303)
    once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                           form=form)  # a resubmitted form shows the requests and opens nothing more
    try:
        opened = demandes.create(db_session=db_session, technician=technician, product=product,
                                 quantity=body.quantite, note=body.note, auteur=viewer.principal.nom)
    except DomainError as exc:
        return refused(exc.status_code, exc.detail)
    _announce(request, background, settings, opened)
    return once.keep(landing)


def seen_quantities(vu: list[str]) -> dict[str, Decimal]:
    """The quantity the page shows of each line (« CODE=5.000 »); what cannot be read counts as changed."""
    seen: dict[str, Decimal] = {}
    for item in vu[:MAX_SEEN]:
        code, _, shown = item.partition("=")
        try:
            seen[code] = Decimal(shown)
        except InvalidOperation:
            continue
    return seen


@router.get("/stock/{nom}/suivi")
def follow_the_van(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser,
                   nom: str = NomPath, vu: list[str] = Query(default=[], max_length=MAX_SEEN)) -> Response:
    """What the phone page polls: its requests as they stand, and every line whose quantity is not what
    the page shows (a request served, a deduction), swapped in place; lines new to the van are added."""
    technician = _van(load(db_session, viewer, nom)[0])
    seen = seen_quantities(vu)
    changed = [line for line in stock_lines.list_lines(db_session=db_session, location=technician)
               if seen.get(line.produit.code_produit) != line.quantite]
    views = line_views(db_session, settings, technician, changed) if changed else []
    return render(request, "_suivi_van.html", viewer=viewer, technicien=technician, oob=False,
                  demandes=van_requests(db_session, technician), intervalle=POLL_SECONDS,
                  changees=[(v, v.ligne.produit.code_produit in seen) for v in views],
                  derniers=recent_moves(db_session, technician) if views else [])
