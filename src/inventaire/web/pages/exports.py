"""Spreadsheet exports for the office: every van's stock as CSV (the check's alerts: verifications.py)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from fastapi.responses import Response

from inventaire.deps import SessionDep, SettingsDep
from inventaire.exports import service as exports
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/stock.csv")
def stock_csv(db_session: SessionDep, settings: SettingsDep, _: AdminPage) -> Response:
    """Every van's stock for a spreadsheet (names, `;`, decimal commas, BOM, dates Excel reads)."""
    body = exports.stock_csv(db_session=db_session, default=settings.seuil_defaut, tz=settings.tz)
    name = f"stock-{dt.date.today().isoformat()}.csv"
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
