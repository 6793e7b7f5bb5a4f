"""« Entretiens PLS à prévoir », for the office: the pianos whose annual PLS maintenance comes due,
with the client to call (pianos/service.py says how the list is made)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from inventaire.deps import SessionDep, SettingsDep
from inventaire.kit.database import utcnow
from inventaire.pianos import service as pianos
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/entretiens-pls")
def due_page(request: Request, db_session: SessionDep, settings: SettingsDep, viewer: AdminPage) -> Response:
    today = utcnow().astimezone(ZoneInfo(settings.tz)).date()
    services = sorted(pianos.pls_services(db_session=db_session, pads_code=settings.pls_buvards))
    return render(request, "entretiens_pls.html", viewer=viewer, nav="entretiens",
                  pianos=pianos.due(db_session=db_session, pads_code=settings.pls_buvards, today=today),
                  services=services, buvards=settings.pls_buvards)
