"""The van's (or workshop's) page and what its parts share: the line views with their verdict and
forecast, the requests shown, the last moves. The routes that change a line are `stock.py`'s;
the other pages (requests, receptions, levels, transfers) answer with `van_page` too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any, cast

from fastapi import Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.catalogue.models import Product
from inventaire.checks import service as checks
from inventaire.demandes import service as demandes
from inventaire.demandes.models import StockRequest
from inventaire.deps import ensure_own_stock
from inventaire.emplacements import service as locations
from inventaire.emplacements.models import Location
from inventaire.kit.config import Settings
from inventaire.kit.enums import RequestState, Severity
from inventaire.previsions import service as previsions
from inventaire.previsions.booked import Horizon
from inventaire.previsions.service import LineForecast
from inventaire.stock import ledger
from inventaire.stock import reading as stock_lines
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician
from inventaire.web.pages import demain, offline
from inventaire.web.render import render
from inventaire.web.sessions import Viewer

NomPath = Path(min_length=1, max_length=60)
CodePath = Path(min_length=1, max_length=40)
RECENT = 8
RECENT_REQUESTS = 6  # closed requests shown after the open ones
POLL_SECONDS = 5  # the page asks for what changed (a request served by the office) this often
WORKSHOP_NOTICES = {"modifie": "Atelier enregistré.",
                    "desactive": "Atelier désactivé : son historique reste, il ne reçoit plus de stock."}
POSITIVE = "Quantité : un nombre plus grand que zéro (ex. : 1 ou 0,5)."
LABELS = {"ajustement": "Quantité", "quantite": "Quantité", "reference": "Référence", "motif": "Motif"}


@dataclass
class LineView:
    ligne: StockLine
    seuil: Decimal
    gravite: str | None  # the check's verdict for this line, if in alert
    prevision: LineForecast | None = None  # days of cover and predicted stockout
    erreur: str | None = None
    succes: str | None = None
    # A refused change as it was prepared (the form's values), shown again for a retry.
    projet: dict[str, str] | None = None
    # A refused request (« Demander ») as it was typed, shown again, open, for a retry.
    demande: dict[str, str] | None = None
    ouvertes: list[StockRequest] = field(default_factory=list)  # this van's open requests for the product
    niveaux: dict[str, str] | None = None  # a refused « Seuil et niveau de remplissage » as typed

    @property
    def a_demander(self) -> Decimal:
        """What a request asks for unless changed: what brings the line to its par level, else 1."""
        line = self.ligne
        if line.niveau_par is not None and line.quantite < line.niveau_par:
            missing = line.niveau_par - line.quantite
            return missing if line.produit.divisible else missing.to_integral_value(rounding=ROUND_CEILING)
        return Decimal(1)


def alerts_first(views: list[LineView]) -> list[LineView]:
    """Critical lines, then low ones, then the rest; by product code inside each (the list's order)."""
    rank: dict[str | None, int] = {Severity.CRITIQUE: 0, Severity.BAS_STOCK: 1}
    return sorted(views, key=lambda v: rank.get(v.gravite, 2))


def line_views(db_session: Session, settings: Settings, technician: Location, lines: list[StockLine], *, whole_van: bool = False,
               requests: list[StockRequest] | None = None) -> list[LineView]:
    """Lines with their threshold and the check's verdict (the check's rule, not a copy of it).

    Unless it is the whole van, the check and the forecast look at these lines only: a change on
    the phone computes that line's verdict, not the van's. `requests`: the van's requests when
    the page has read them already (van_requests), so that they are not read twice.
    """
    products = None if whole_van else {line.produit_id for line in lines}
    report = checks.build_report(
        db_session=db_session, technician=technician, seuil_critique=None, default=settings.seuil_defaut,
        products=products,
    )
    verdicts = {a.code_produit: a.severity for a in report.alertes}
    forecast = previsions.forecast(db_session=db_session, holder=technician, jours=checks.FORECAST_DAYS,
                                   company_wide=False, products=products, booked=Horizon.of(settings=settings))
    covers = {f.code_produit: f for f in forecast.lignes}
    asked: dict[int, list[StockRequest]] = {}
    if requests is None and isinstance(technician, Technician):
        requests = demandes.list_requests(db_session=db_session, statut=RequestState.OUVERTE, technician=technician)
    for opened in requests or []:
        if opened.statut == RequestState.OUVERTE:
            asked.setdefault(opened.produit_id, []).append(opened)
    return [
        LineView(line, stock_lines.threshold_of(line, settings.seuil_defaut), verdicts.get(line.produit.code_produit),
                 covers.get(line.produit.code_produit), ouvertes=asked.get(line.produit_id, []))
        for line in lines
    ]


def van_requests(db_session: Session, technician: Location) -> list[StockRequest]:
    """The requests a van's page shows: every open one, then the latest closed ones (a workshop: none)."""
    if not isinstance(technician, Technician):
        return []
    opened = demandes.list_requests(db_session=db_session, statut=RequestState.OUVERTE, technician=technician)
    recent = demandes.list_requests(db_session=db_session, technician=technician, limit=RECENT_REQUESTS)
    return opened + [r for r in recent if r.statut != RequestState.OUVERTE]


def recent_moves(db_session: Session, technician: Location) -> list[Transaction]:
    """The location's last ledger rows, newest first (the page's « Derniers mouvements »)."""
    rows, _ = ledger.list_transactions(
        db_session=db_session, flt=ledger.LedgerFilter(emplacement_id=technician.id), limit=RECENT, offset=0
    )
    return rows


def load(db_session: Session, viewer: Viewer, nom: str, code: str | None = None) -> tuple[Location, Product | None]:
    """The van or workshop of the address (404 otherwise), its owner or the office only, and the product asked."""
    technician = locations.get_or_404(db_session=db_session, nom=nom)
    ensure_own_stock(viewer.principal, technician.id)
    product = catalogue.get_or_404(db_session=db_session, code_produit=code) if code else None
    return technician, product


def van_page(request: Request, db_session: Session, settings: Settings, viewer: Viewer, technician: Location,
             status_code: int = 200, reception: dict[str, str] | None = None,
             notes: dict[str, dict[str, Any]] | None = None, demande: dict[str, str] | None = None,
             atelier: dict[str, Any] | None = None, transfert: dict[str, Any] | None = None) -> HTMLResponse:
    """The phone page; `reception` and `demande` hold the values and error of the first-reception form
    or of the request for a product not carried, if it failed; `notes` an outcome to show on a line
    ({code: {"erreur"|"succes": message, "niveaux": typed values}})."""
    lines = stock_lines.list_lines(db_session=db_session, location=technician)
    carried = {line.produit.code_produit for line in lines}
    absent = [p for p in catalogue.list_products(db_session=db_session) if p.code_produit not in carried]
    requests = van_requests(db_session, technician)
    views = alerts_first(line_views(db_session, settings, technician, lines, whole_van=True, requests=requests))
    for view in views:
        for kind, message in (notes or {}).get(view.ligne.produit.code_produit, {}).items():
            setattr(view, kind, message)
    return render(request, "stock.html", status_code, viewer=viewer, nav="stock", technicien=technician,
                  oob=False, lignes=views,
                  derniers=recent_moves(db_session, technician), absents=absent, reception=reception or {},
                  demande=demande or {}, demandes=requests, intervalle=POLL_SECONDS,
                  atelier=atelier or {"avis": WORKSHOP_NOTICES.get(request.query_params.get("atelier", ""))},
                  transfert=transfert or _transfer_done(db_session, technician, request),
                  destinations=_destinations(db_session, technician, viewer),
                  cle=str(uuid.uuid4()), cle_demande=str(uuid.uuid4()), cle_transfert=str(uuid.uuid4()),
                  deduit_aujourdhui=deducted_today(db_session, settings, technician),
                  demain=demain.view(db_session, settings, technician),
                  vu_a=offline.seen_at(settings.tz))


def _transfer_done(db_session: Session, location: Location, request: Request) -> dict[str, str]:
    """The card's message after a transfer from here (its ledger row is in the address: post/redirect/get)."""
    from inventaire.web.pages.transfert import done_message  # that page module renders through this one

    message = done_message(db_session, location, request.query_params.get("transfert"))
    return {"succes": message} if message else {}


def _destinations(db_session: Session, location: Location, viewer: Viewer) -> list[Location]:
    """Where the office may move this location's stock: every other active van and workshop."""
    if not viewer.is_admin:
        return []
    from inventaire.ateliers import service as ateliers
    from inventaire.techniciens import service as techniciens

    others = [*ateliers.list_workshops(db_session=db_session, actif=True),
              *techniciens.list_technicians(db_session=db_session, actif=True)]
    return [other for other in others if other.id != location.id]


def deducted_today(db_session: Session, settings: Settings, technician: Location) -> list[Transaction]:
    """What the billed services took from this van since midnight (company time), and why."""
    from zoneinfo import ZoneInfo

    from inventaire.deductions import overview
    from inventaire.kit.database import utcnow

    midnight = utcnow().astimezone(ZoneInfo(settings.tz)).replace(hour=0, minute=0, second=0, microsecond=0)
    # A workshop has no services: the query finds nothing for it.
    return overview.van_today(db_session=db_session, technician=cast(Technician, technician), since=midnight)
