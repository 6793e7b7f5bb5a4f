"""The phone page as an installed app: its manifest, its service worker, and the late uses that
a phone recorded without network (deductions/late.py holds the rule)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from inventaire.deductions import late
from inventaire.idempotency import pages as page_keys
from inventaire.idempotency.routing import HEADER
from inventaire.kit.database import utcnow
from inventaire.kit.quantities import NBSP, with_unit
from inventaire.techniciens.models import Technician
from inventaire.web.render import PageRoute, static_version

if TYPE_CHECKING:
    from inventaire.web.pages.stock import LineRequest

router = APIRouter(route_class=PageRoute, include_in_schema=False)
STATIC = Path(__file__).parent.parent / "static"
LATE_FIELD = "hors_ligne"  # when the change was made offline (ISO 8601, from the phone's clock)
ICONS = [{"src": f"/static/icones/inventaire-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
          "purpose": "any"} for size in (192, 512)] + [
    {"src": "/static/icones/inventaire-maskable-512.png", "sizes": "512x512", "type": "image/png",
     "purpose": "maskable"}]


@router.get("/manifest.webmanifest")
def manifest(technicien: str | None = Query(None, max_length=60)) -> Response:
    """The web app manifest; `?technicien=` makes the installed app open that van's page."""
    start = f"/stock/{quote(technicien, safe='')}" if technicien else "/stock"
    body = {
        "name": "Inventaire — Mon stock", "short_name": "Mon stock", "lang": "fr-CA", "dir": "ltr",
        "description": "Le stock du véhicule, même sans réseau.", "start_url": start, "scope": "/",
        "id": start, "display": "standalone", "orientation": "portrait", "background_color": "#ffffff",
        "theme_color": "#1e3a5f", "icons": ICONS,
    }
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/manifest+json",
                    headers={"Cache-Control": "no-cache"})


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so that its scope covers the pages it keeps."""
    text = (STATIC / "sw.js").read_text(encoding="utf-8").replace("__VERSION__", static_version())
    return Response(text, media_type="text/javascript",
                    headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"})


def seen_at(tz: str) -> str:
    """« 7 h 52 »: when the page was rendered, which a copy opened offline says."""
    local = utcnow().astimezone(ZoneInfo(tz))
    return f"{local.hour}{NBSP}h{NBSP}{local.minute:02d}"


def is_late(request: Request, form: dict[str, str], location: Any) -> bool:
    """A use replayed from a phone's outbox: marked as made offline, with its one-time key, on a van."""
    key = request.headers.get(HEADER)
    return (LATE_FIELD in form and isinstance(location, Technician) and key is not None
            and page_keys.well_formed(key))


def _made_at(form: dict[str, str]) -> dt.datetime | None:
    try:
        made = dt.datetime.fromisoformat(form.get(LATE_FIELD, "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return made if made.tzinfo is not None else made.replace(tzinfo=dt.UTC)


def save_late_use(line: LineRequest, form: dict[str, str], amount: Decimal, reference: str | None,
                  motif: str | None) -> Response:
    """Record a use made offline: never refused for want of stock (the rest is an open shortfall)."""
    key = line.request.headers[HEADER]
    technician = line.technician
    assert isinstance(technician, Technician)
    unit = line.product.unite

    def write() -> tuple[Any, Decimal]:
        return late.record_use(db_session=line.db_session, technician=technician, product=line.product,
                               amount=amount, key=key, made_at=_made_at(form), auteur=line.viewer.principal.nom,
                               reference=reference, motif=motif)

    def describe(result: tuple[Any, Decimal]) -> str:
        taken, short = result
        done = f"Enregistré (fait hors ligne) : utilisation de {with_unit(amount, unit, grouped=True)}."
        if short <= 0:
            return done
        held = taken.quantite_avant if taken is not None else Decimal(0)
        return (f"{done} Le véhicule n'en avait que {with_unit(held, unit, grouped=True)} : "
                f"manque de {with_unit(short, unit, grouped=True)} signalé au bureau (un comptage le règle).")

    return line.save(form, write, describe)
