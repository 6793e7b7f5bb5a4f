"""The phone page's first reception: a product the van does not carry yet gets its line.

A plain form (it works without JavaScript): on success the page is shown again at the new
line; a refusal shows the page with the French reason next to the form, and nothing written.
The form carries a one-time key, so a double tap or a resubmitted form records one reception.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from inventaire.catalogue import search
from inventaire.catalogue import service as catalogue
from inventaire.deps import SessionDep, SettingsDep, ensure_own_stock
from inventaire.emplacements import service as locations
from inventaire.idempotency import pages as page_keys
from inventaire.kit.enums import MovementCause, TransactionType
from inventaire.kit.exceptions import DomainError
from inventaire.kit.forms import field_errors, validate
from inventaire.kit.quantities import parse
from inventaire.stock import service as stock
from inventaire.stock.schemas import AdjustRequest
from inventaire.web.deps import FormData, PageUser
from inventaire.web.pages.van import LABELS, POSITIVE, NomPath, van_page
from inventaire.web.render import PageRoute, refuse

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.post("/stock/{nom}/recevoir")
def receive_new_product(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser,
                        form: FormData, nom: str = NomPath) -> Response:
    """Record the first reception of a product in this van."""
    technician = locations.get_or_404(db_session=db_session, nom=nom)
    ensure_own_stock(viewer.principal, technician.id)
    values = {field: form.get(field, "").strip() for field in ("code_produit", "quantite", "reference", "cle")}

    def refused(status_code: int, message: str) -> HTMLResponse:
        return refuse(db_session, lambda: van_page(request, db_session, settings, viewer, technician, status_code,
                                                   reception={**values, "erreur": message}))

    if not values["code_produit"]:
        return refused(422, "Produit : choisissez le produit reçu.")
    amount = parse(values["quantite"] or "x")
    if amount is None or not amount.is_finite() or amount <= 0:
        return refused(422, POSITIVE)
    product = catalogue.get_by_code(db_session=db_session, code_produit=values["code_produit"])
    if product is None:  # words of a name typed instead of picking a suggestion
        try:
            product = search.choose(query=values["code_produit"], among=catalogue.list_products(db_session=db_session))
        except DomainError as exc:
            return refused(exc.status_code, exc.detail)
    if not product.actif:
        return refused(422, f"Produit : « {product.code_produit} » n'est pas au catalogue (ou il est archivé).")
    body, errors = validate(AdjustRequest, {
        "technicien": technician.nom, "code_produit": product.code_produit, "type": TransactionType.RECEPTION,
        "ajustement": values["quantite"], "reference": values["reference"],
    }, decimals={"ajustement"}, required={"ajustement"})
    if body is None:
        return refused(422, field_errors(errors, LABELS))
    landing = RedirectResponse(f"/stock/{quote(technician.nom, safe='')}#ligne-{quote(product.code_produit)}", 303)
    once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                           form=form)  # a resubmitted form shows where it went and writes nothing more
    try:
        stock.adjust(db_session=db_session, location=technician, product=product, kind=TransactionType.RECEPTION,
                     delta=body.ajustement, reference=body.reference, auteur=viewer.principal.nom,
                     cause=MovementCause.MANUEL)
    except DomainError as exc:
        return refused(exc.status_code, exc.detail)
    return once.keep(landing)
