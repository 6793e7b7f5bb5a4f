"""Stock d'un technicien: the phone page. Each change is saved explicitly and answered with
the line as the server now has it (an HTMX swap), or with the reason it was refused."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.deps import SessionDep, SettingsDep
from inventaire.emplacements.models import Location
from inventaire.idempotency import pages as page_keys
from inventaire.kit.config import Settings
from inventaire.kit.enums import MovementCause, TransactionType
from inventaire.kit.exceptions import DomainError
from inventaire.kit.forms import field_errors, validate
from inventaire.kit.quantities import parse, with_unit
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.stock.schemas import AdjustRequest, CountRequest
from inventaire.web.deps import FormData, PageUser
from inventaire.web.formatting import quantite, variation
from inventaire.web.pages import offline
from inventaire.web.pages.van import (
    LABELS,
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
from inventaire.web.render import PageRoute, error_response, refuse, render
from inventaire.web.sessions import Viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/stock/{nom}")
def stock_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser,
               nom: str = NomPath) -> Response:
    technician, _ = load(db_session, viewer, nom)
    return van_page(request, db_session, settings, viewer, technician)


@dataclass
class LineRequest:
    """A change asked for on one line, and how the page answers it."""

    request: Request
    db_session: Session
    settings: Settings
    viewer: Viewer
    technician: Location
    product: Product

    def answer(self, status_code: int = 200, erreur: str | None = None, succes: str | None = None,
               projet: dict[str, str] | None = None, demande: dict[str, str] | None = None) -> Response:
        """The line as stored now, with the outcome, and the recent movements and the van's requests
        swapped out of band; a refused change or request comes back prepared (`projet`, `demande`),
        ready to be corrected or sent again."""
        line = stock_lines.get_line(db_session=self.db_session, location=self.technician, product=self.product)
        if line is None:
            return error_response(self.request, status_code, erreur or "Ligne de stock introuvable.")
        requests = van_requests(self.db_session, self.technician)
        item = line_views(self.db_session, self.settings, self.technician, [line], requests=requests)[0]
        item.erreur, item.succes, item.projet, item.demande = erreur, succes, projet, demande
        return render(self.request, "_ligne.html", status_code, viewer=self.viewer, technicien=self.technician,
                      item=item, oob=True, derniers=recent_moves(self.db_session, self.technician),
                      demandes=requests, intervalle=POLL_SECONDS)

    def save(self, form: dict[str, str], write: Callable[[], Any], describe: Callable[[Any], str],
             refused: Callable[[int, str], Response] | None = None,
             done: Callable[[Any], None] | None = None) -> Response:
        """Write through the stock service; a refusal is rolled back and shown on the line.

        A retry with the same Idempotency-Key (the page sends one per prepared change) gets the
        first answer again and writes nothing, as the API's stock POSTs do (idempotency/pages.py). `refused(status, detail)`
        builds the answer to a refusal (default: the line with the change prepared again); `done(entry)`
        runs after a write that succeeded (not after a replay).
        """
        once = page_keys.claim(request=self.request, db_session=self.db_session, settings=self.settings,
                               principal=self.viewer.principal, form=form)
        try:
            entry = write()
        except DomainError as exc:
            status, detail = exc.status_code, exc.detail
            build = refused or (lambda status, detail: self.answer(status, erreur=detail, projet=form))
            return refuse(self.db_session, lambda: build(status, detail))
        if done is not None:
            done(entry)
        return once.keep(self.answer(succes=describe(entry)))


def line_request(request: Request, db_session: Session, settings: Settings, viewer: Viewer, nom: str,
                  code: str) -> LineRequest:
    technician, product = load(db_session, viewer, nom, code)
    assert product is not None  # a code was given: _load found it or answered 404
    return LineRequest(request, db_session, settings, viewer, technician, product)


@router.post("/stock/{nom}/{code}/ajuster")
def adjust_line(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser,
                form: FormData, nom: str = NomPath, code: str = CodePath) -> Response:
    """Record a use (−) or a reception (+) of the amount typed or tapped."""
    line = line_request(request, db_session, settings, viewer, nom, code)
    kind = form.get("sens")
    amount = parse(form.get("quantite", "").strip() or "x")
    if kind not in (TransactionType.UTILISATION, TransactionType.RECEPTION):
        return line.answer(422, erreur="Choisissez − (utilisation) ou + (réception).")
    if amount is None or not amount.is_finite() or amount <= 0:
        return line.answer(422, erreur=POSITIVE, projet=form)
    body, errors = validate(AdjustRequest, {
        "technicien": line.technician.nom, "code_produit": line.product.code_produit, "type": kind,
        "ajustement": str(-amount if kind == TransactionType.UTILISATION else amount),
        "reference": form.get("reference", ""), "motif": form.get("motif", ""),
    }, decimals={"ajustement"})
    if body is None:
        return line.answer(422, erreur=field_errors(errors, LABELS), projet=form)
    if kind == TransactionType.UTILISATION and offline.is_late(request, form, line.technician):
        return offline.save_late_use(line, form, amount, body.reference, body.motif)
    return line.save(
        form,
        lambda: stock.adjust(
            db_session=db_session, location=line.technician, product=line.product, kind=body.type,
            delta=body.ajustement, motif=body.motif, reference=body.reference, auteur=viewer.principal.nom,
            cause=MovementCause.MANUEL,
        ),
        lambda entry: (
            f"Enregistré : {TransactionType(entry.type).label.lower()} de "
            f"{with_unit(abs(entry.ajustement), line.product.unite, grouped=True)}. "
            f"Quantité : {quantite(entry.quantite_apres)}."
        ),
    )


@router.post("/stock/{nom}/{code}/compter")
def count_line(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: PageUser,
               form: FormData, nom: str = NomPath, code: str = CodePath) -> Response:
    """Record a physical count; refused if the line changed since the page showed it."""
    line = line_request(request, db_session, settings, viewer, nom, code)
    body, errors = validate(CountRequest, {
        "technicien": line.technician.nom, "code_produit": line.product.code_produit,
        "quantite": form.get("quantite", ""), "quantite_vue": form.get("quantite_vue", ""),
    }, decimals={"quantite", "quantite_vue"}, required={"quantite"})
    if body is None:
        return line.answer(422, erreur=field_errors(errors, LABELS), projet={**form, "comptage": "1"})
    return line.save(
        {**form, "comptage": "1"},
        lambda: stock.count(
            db_session=db_session, location=line.technician, product=line.product, counted=body.quantite,
            seen=body.quantite_vue, auteur=viewer.principal.nom,
        ),
        lambda entry: (
            f"Comptage enregistré : {with_unit(entry.quantite_apres, line.product.unite, grouped=True)} "
            f"(écart {variation(entry.ajustement) or '0'})."
        ),
    )
