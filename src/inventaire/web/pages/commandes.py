"""« Commandes », for the office: the supplier orders, the suggestion they start from, and each order
as a page (printable), a PDF to e-mail to the supplier and a CSV.

Plain forms (they work without JavaScript). A refused form shows the page again with the French
reason and nothing written (`refuse`); creating and receiving carry a one-time key, so a double
click or a resubmitted form creates one order and records one reception.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.ateliers import service as ateliers
from inventaire.ateliers.models import Workshop
from inventaire.catalogue import service as catalogue
from inventaire.commandes import document, sending, suggestion
from inventaire.commandes import service as orders
from inventaire.commandes.models import Order
from inventaire.deps import SessionDep, SettingsDep
from inventaire.entreprise import service as company
from inventaire.fournisseurs import service as suppliers
from inventaire.idempotency import pages as page_keys
from inventaire.kit.config import Settings
from inventaire.kit.enums import OrderState
from inventaire.kit.exceptions import DomainError, InvalidInput
from inventaire.kit.quantities import MAX_MONEY, MAX_QUANTITY, parse
from inventaire.previsions.booked import Horizon
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.render import PageRoute, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
IdPath = Path(ge=1, le=2_147_483_647)
NOTICES = {"creee": "Brouillon créé : vérifiez les quantités et les prix, puis envoyez-le.",
           "modifiee": "Brouillon enregistré.", "envoyee": "Commande marquée envoyée : ses lignes sont en commande.",
           "courriel": "Commande envoyée par courriel : ses lignes sont en commande.",
           "annulee": "Commande annulée.", "recue": "Réception enregistrée dans l'atelier."}


def _number(text: str, what: str, *, money: bool = False) -> Decimal | None:
    """A number typed in a form (« 2,5 »); None when empty; InvalidInput in French otherwise."""
    if not text.strip():
        return None
    value = parse(text)
    bound = MAX_MONEY if money else MAX_QUANTITY
    if value is None or not value.is_finite() or value < 0 or value > bound:
        raise InvalidInput(f"{what} : un nombre positif est attendu (ex. : {'12,50' if money else '2 ou 0,5'}), "
                           f"« {text.strip()} » n'en est pas un.")
    places = Decimal("0.01") if money else Decimal("0.001")
    if value != value.quantize(places):
        raise InvalidInput(f"{what} : au plus {2 if money else 3} décimales.")
    return value


class FieldError(InvalidInput):
    """A refusal about one field of the form, shown beside it (`field` is the input's name)."""

    def __init__(self, detail: str, field: str):
        super().__init__(detail)
        self.field = field


def _form_lines(db_session: Session, form: dict[str, str]) -> list[orders.LineIn]:
    """The lines of a form (`code-N`, `quantite-N`, `prix-N`): an empty or zero quantity leaves a suggested
    line out; an empty price takes the product's cost. A product picked in « Ajouter un produit » (N is
    `nouveau`) needs its quantity: dropping it while the page says « enregistré » would lose it silently."""
    lines = []
    indexes = sorted({key.split("-", 1)[1] for key in form if key.startswith("code-")})
    for index in indexes:
        code = form.get(f"code-{index}", "").strip()
        if not code:
            continue
        product = catalogue.get_or_404(db_session=db_session, code_produit=code)
        quantity = _field(form, f"quantite-{index}", f"Quantité de « {product.code_produit} »")
        if not quantity:
            if index == "nouveau":
                raise FieldError(f"Quantité de « {product.code_produit} » : indiquez combien en commander "
                                 "(ou choisissez « — Ajouter un produit — » pour ne rien ajouter).", "quantite-nouveau")
            continue
        price = _field(form, f"prix-{index}", f"Prix de « {product.code_produit} »", money=True)
        lines.append(orders.LineIn(product, quantity, product.prix_unitaire if price is None else price))
    return lines


def _field(form: dict[str, str], name: str, what: str, *, money: bool = False) -> Decimal | None:
    try:
        return _number(form.get(name, ""), what, money=money)
    except InvalidInput as exc:
        raise FieldError(exc.detail, name) from None


def _list_page(request: Request, db_session: Session, viewer: Viewer, *, statut: OrderState | None = None,
               status_code: int = 200, erreur: str | None = None,
               valeurs: dict[str, str] | None = None) -> HTMLResponse:
    settings: Settings = request.app.state.settings  # as SettingsDep, without threading it through every caller
    return render(request, "commandes.html", status_code, viewer=viewer, nav="commandes",
                  entreprise=company.identity(db_session=db_session, settings=settings),
                  entreprise_invite=company.needs_asking(db_session=db_session, settings=settings),
                  commandes=orders.list_orders(db_session=db_session, statut=statut), statut=statut,
                  etats=list(OrderState), ateliers=ateliers.list_workshops(db_session=db_session, actif=True),
                  produits=catalogue.list_products(db_session=db_session), erreur=erreur, valeurs=valeurs or {},
                  cle=page_keys.new_key(), fournisseurs=suppliers.list_suppliers(db_session=db_session))


@router.get("/commandes")
def orders_page(request: Request, db_session: SessionDep, viewer: AdminPage, statut: OrderState | None = None) -> Response:
    return _list_page(request, db_session, viewer, statut=statut)


@router.get("/commandes/suggestion")
def suggestion_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                    atelier: str = Query(min_length=1, max_length=60)) -> Response:
    workshop = ateliers.get_or_404(db_session=db_session, nom=atelier)
    return _suggestion_page(request, db_session, settings, viewer, workshop)


def _suggestion_page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, workshop: Workshop, *,
                     status_code: int = 200, erreur: str | None = None, champ: str | None = None,
                     valeurs: dict[str, str] | None = None) -> HTMLResponse:
    """The suggestion; after a refusal, the supplier's lines as typed and the error beside its field."""
    found = suggestion.suggest(db_session=db_session, workshop=workshop, days=settings.delai_commande_jours,
                               default_threshold=settings.seuil_defaut, pls_pads=settings.pls_buvards,
                               booked=Horizon.of(settings=settings))
    return render(request, "commande_suggestion.html", status_code, viewer=viewer, nav="commandes",
                  suggestion=found, cle=page_keys.new_key(), erreur=erreur, champ=champ, valeurs=valeurs or {})


def workshop_or_none(db_session: Session, form: dict[str, str]) -> Workshop | None:
    try:
        return ateliers.get_or_404(db_session=db_session, nom=form.get("atelier", "").strip() or "?")
    except DomainError:
        return None


@router.post("/commandes/nouvelle")
def create_order(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                 form: FormData) -> Response:
    """A draft from the suggestion (one supplier's lines) or from the blank form of the list."""
    once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                           form=form)  # already created: a resubmitted form shows that order
    try:
        workshop = ateliers.get_or_404(db_session=db_session, nom=form.get("atelier", "").strip() or "?")
        order = orders.create(db_session=db_session, fournisseur=form.get("fournisseur", ""), workshop=workshop,
                              lines=_form_lines(db_session, form), auteur=viewer.principal.nom, tz=settings.tz)
    except DomainError as exc:
        status, message = exc.status_code, f"Commande non créée : {exc.detail}"
        shop = workshop_or_none(db_session, form)
        if form.get("origine") == "suggestion" and shop is not None:
            field = getattr(exc, "field", None)
            return refuse(db_session, lambda: _suggestion_page(
                request, db_session, settings, viewer, shop, status_code=status,
                erreur=message, champ=field, valeurs=form))
        return refuse(db_session, lambda: _list_page(request, db_session, viewer, status_code=status,
                                                     erreur=message, valeurs=form))
    return once.keep(RedirectResponse(f"/commandes/{order.id}?avis=creee", 303))


def _order_page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, order: Order, *,
                status_code: int = 200, avis: str | None = None, erreur: str | None = None,
                saisis: dict[str, str] | None = None, champ: str | None = None) -> HTMLResponse:
    return render(request, "commande.html", status_code, champ=champ, viewer=viewer, nav="commandes", commande=order,
                  entreprise=company.identity(db_session=db_session, settings=settings),
                  date_commande=document.order_date(order), avis=avis, erreur=erreur, cle=page_keys.new_key(),
                  saisis=saisis or {}, fournisseur=suppliers.get_by_name(db_session=db_session, nom=order.fournisseur),
                  produits=catalogue.list_products(db_session=db_session),
                  ateliers=ateliers.list_workshops(db_session=db_session, actif=True))


@router.get("/commandes/{commande_id}")
def order_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
               commande_id: int = IdPath,
               avis: Literal["creee", "modifiee", "envoyee", "courriel", "annulee", "recue"] | None = None) -> Response:
    order = orders.get_or_404(db_session=db_session, order_id=commande_id)
    return _order_page(request, db_session, settings, viewer, order, avis=NOTICES.get(avis) if avis else None)


def _change(request: Request, db_session: Session, settings: Settings, viewer: Viewer, commande_id: int,
            action: Callable[[Order], str], form: dict[str, str] | None = None) -> Response:
    """Run one change of an order (locked): on success back to its page, on refusal the page with why
    (and the quantities typed, to correct one)."""
    order = orders.get_or_404(db_session=db_session, order_id=commande_id, lock=True)
    try:
        notice = action(order)
    except DomainError as exc:
        status, message = exc.status_code, exc.detail
        field = getattr(exc, "field", None)
        return refuse(db_session, lambda: _order_page(
            request, db_session, settings, viewer, orders.get_or_404(db_session=db_session, order_id=commande_id),
            status_code=status, erreur=message, saisis=form, champ=field))
    return RedirectResponse(f"/commandes/{commande_id}?avis={notice}", 303)


@router.post("/commandes/{commande_id}/modifier")
def edit_order(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage, form: FormData,
               commande_id: int = IdPath) -> Response:
    def edit(order: Order) -> str:
        workshop = ateliers.get_or_404(db_session=db_session, nom=form["atelier"]) if form.get("atelier") else None
        orders.update_draft(db_session=db_session, order=order, fournisseur=form.get("fournisseur"),
                            workshop=workshop, lines=_form_lines(db_session, form))
        return "modifiee"

    return _change(request, db_session, settings, viewer, commande_id, edit, form)


@router.post("/commandes/{commande_id}/envoyer")
def send_order(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
               commande_id: int = IdPath) -> Response:
    """Mark it sent and e-mail it when its supplier has an address (commandes.sending); a failed e-mail
    leaves the draft, its page showing why (the error is also kept on the order)."""
    try:
        _order, emailed = sending.send_order(db_session=db_session, order_id=commande_id, settings=settings)
    except DomainError as exc:
        status, message = exc.status_code, exc.detail
        return refuse(db_session, lambda: _order_page(
            request, db_session, settings, viewer, orders.get_or_404(db_session=db_session, order_id=commande_id),
            status_code=status, erreur=message))
    return RedirectResponse(f"/commandes/{commande_id}?avis={'courriel' if emailed else 'envoyee'}", 303)


@router.post("/commandes/{commande_id}/annuler")
def cancel_order(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                 commande_id: int = IdPath) -> Response:
    def cancel(order: Order) -> str:
        orders.cancel(db_session=db_session, order=order)
        return "annulee"

    return _change(request, db_session, settings, viewer, commande_id, cancel)


@router.post("/commandes/{commande_id}/recevoir")
def receive_order(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                  form: FormData, commande_id: int = IdPath) -> Response:
    """Per-line quantities received (`recu-<code>`); an empty field is a line not received this time."""
    once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                           form=form)  # already recorded: a resubmitted form shows the order

    def receive(order: Order) -> str:
        received = []
        for line in order.lignes:
            code = line.produit.code_produit
            amount = _number(form.get(f"recu-{code}", ""), f"Quantité reçue de « {code} »")
            if amount:
                received.append((line.produit, amount))
        orders.receive(db_session=db_session, order=order, lines=received, auteur=viewer.principal.nom)
        return "recue"

    return once.keep(_change(request, db_session, settings, viewer, commande_id, receive, form))


@router.get("/commandes/{commande_id}/pdf")
def order_pdf(db_session: SessionDep, settings: SettingsDep, _: AdminPage, commande_id: int = IdPath) -> Response:
    """The order as a PDF to e-mail to the supplier."""
    order = orders.get_or_404(db_session=db_session, order_id=commande_id)
    body = document.pdf(order=order, entreprise=company.identity(db_session=db_session, settings=settings),
                        tz=settings.tz)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{order.numero}.pdf"'})


@router.get("/commandes/{commande_id}/csv")
def order_csv(db_session: SessionDep, _: AdminPage, commande_id: int = IdPath) -> Response:
    order = orders.get_or_404(db_session=db_session, order_id=commande_id)
    return Response(document.csv(order=order), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{order.numero}.csv"'})
