"""QR labels (catalogue/labels.py) for the office to print: chosen products, a van's lines or a
workshop's shelf. Scanning one on the phone page opens that product's card."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from inventaire.catalogue import service as catalogue
from inventaire.catalogue.labels import label_pdf
from inventaire.deps import SessionDep
from inventaire.emplacements import service as locations
from inventaire.kit.exceptions import InvalidInput
from inventaire.stock import reading as stock_lines
from inventaire.web.deps import AdminPage
from inventaire.web.render import PageRoute

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_LABELS = 300  # ten sheets: more is a mistake in the list


def _pdf(body: bytes, name: str) -> Response:
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})


@router.get("/catalogue/etiquettes.pdf")
def chosen_labels(db_session: SessionDep, _: AdminPage,
                  codes: str = Query(min_length=1, max_length=4000, description="Codes séparés par des virgules")) -> Response:
    """Labels of the products named (commas, spaces or new lines between codes), in that order."""
    wanted = [c for c in codes.replace(",", " ").split() if c]
    if len(wanted) > MAX_LABELS:
        raise InvalidInput(f"Au plus {MAX_LABELS} étiquettes à la fois.")
    products = [catalogue.get_or_404(db_session=db_session, code_produit=code) for code in wanted]
    return _pdf(label_pdf(products), "etiquettes.pdf")


@router.get("/stock/{nom}/etiquettes.pdf")
def location_labels(db_session: SessionDep, _: AdminPage, nom: str = Path(min_length=1, max_length=60)) -> Response:
    """Labels of every line a van or a workshop holds (its shelf), by product code."""
    location = locations.get_or_404(db_session=db_session, nom=nom)
    lines = stock_lines.list_lines(db_session=db_session, location=location)
    return _pdf(label_pdf([line.produit for line in lines]), f"etiquettes-{location.nom}.pdf")
