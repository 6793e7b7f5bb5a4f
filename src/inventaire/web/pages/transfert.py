"""« Transférer » on a location's page (office): move stock from this van or workshop to any other
active one (van → workshop for returned parts, van → van, workshop → workshop, workshop → van),
through the stock service's `transfer` (two linked rows, 409 and nothing written when short).

A plain form with a one-time key: success goes back to the page's card (post/redirect/get) with
what was moved; a refusal shows the page at the card with the French reason and what was typed.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements import service as locations
from inventaire.emplacements.models import Location
from inventaire.idempotency import pages as page_keys
from inventaire.kit.exceptions import DomainError, InvalidInput
from inventaire.kit.names import de
from inventaire.kit.quantities import parse, with_unit
from inventaire.stock import service as stock
from inventaire.stock.models import Transaction
from inventaire.web.deps import AdminPage, FormData
from inventaire.web.pages.van import NomPath, van_page
from inventaire.web.render import PageRoute, refuse

router = APIRouter(route_class=PageRoute, include_in_schema=False)
FIELDS = ("vers", "code_produit", "quantite", "motif", "cle")


def done_message(db_session: Session, source: Location, entry_id: str | None) -> str | None:
    """What a transfer from this location moved (the ledger's incoming row `entry_id`), for its card."""
    if not entry_id or not entry_id.isdigit():
        return None
    entree = db_session.get(Transaction, int(entry_id))
    sortie = entree.transfert_de if entree is not None else None
    if entree is None or sortie is None or sortie.emplacement_id != source.id:
        return None
    qty = with_unit(entree.ajustement, entree.produit.unite, grouped=True)
    return (f"Transféré : {qty} de « {entree.produit.code_produit} » {de(source.nom)} vers "
            f"{entree.emplacement.nom} ({entree.emplacement.nom} en a maintenant "
            f"{with_unit(entree.quantite_apres, entree.produit.unite, grouped=True)}).")


@router.post("/stock/{nom}/transferer")
def transfer_from_here(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage,
                       form: FormData, nom: str = NomPath) -> Response:
    """Move a quantity of one product from this location to another."""
    source = locations.get_or_404(db_session=db_session, nom=nom)
    typed = {name: form.get(name, "").strip() for name in FIELDS}

    def refused(status_code: int, message: str) -> Response:
        return refuse(db_session, lambda: van_page(request, db_session, settings, viewer, source, status_code,
                                                   transfert={**typed, "erreur": message}))

    try:
        if not typed["vers"]:
            raise InvalidInput("Vers : choisissez où va le stock.")
        if not typed["code_produit"]:
            raise InvalidInput("Produit : choisissez le produit à transférer.")
        amount = parse(typed["quantite"] or "x")
        if amount is None or not amount.is_finite() or amount <= 0:
            raise InvalidInput("Quantité : un nombre plus grand que zéro (ex. : 2 ou 0,5).")
        target = locations.get_or_404(db_session=db_session, nom=typed["vers"])
        product = catalogue.get_or_404(db_session=db_session, code_produit=typed["code_produit"])
        page = f"/stock/{quote(source.nom, safe='')}"
        # A resubmitted form (same one-time key) gets the first answer again and moves nothing more.
        once = page_keys.claim(request=request, db_session=db_session, settings=settings, principal=viewer.principal,
                               form=form)
        moved = stock.transfer(db_session=db_session, source=source, target=target, product=product,
                               quantity=amount, auteur=viewer.principal.nom, motif=typed["motif"] or None)
    except DomainError as exc:
        return refused(exc.status_code, exc.detail)
    return once.keep(RedirectResponse(f"{page}?transfert={moved.entree.id}#transfert", 303))
