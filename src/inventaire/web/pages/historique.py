"""A van's whole history on the phone: every movement, newest first, a page at a time."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from inventaire.deps import SessionDep, ensure_own_stock
from inventaire.emplacements import service as locations
from inventaire.stock import ledger
from inventaire.web.deps import PageUser
from inventaire.web.pages.van import NomPath
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 30  # a phone screen or two


@router.get("/stock/{nom}/historique")
def van_history(request: Request, db_session: SessionDep, viewer: PageUser, nom: str = NomPath,
                page: int = Query(1, ge=1, le=100_000)) -> Response:
    technician = locations.get_or_404(db_session=db_session, nom=nom)
    ensure_own_stock(viewer.principal, technician.id)
    rows, total = ledger.list_transactions(
        db_session=db_session, flt=ledger.LedgerFilter(emplacement_id=technician.id),
        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
    )
    return render(request, "historique.html", viewer=viewer, nav="stock", technicien=technician, lignes=rows,
                  total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)))
