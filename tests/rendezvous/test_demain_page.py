"""« Demain » on the van's phone page: the day's appointments, what is missing and the notes' lines;
on a 390 px Chromium, the technician requests a missing part in two taps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.auth import service as auth_service
from inventaire.demandes.models import StockRequest
from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from inventaire.techniciens import service as techniciens
from tests.helpers import browser_page, make_line, make_product, make_technician, screenshot
from tests.rendezvous.conftest import MONTREAL, local_day

PLS = "mit_2eBOzDvunD7PHs6M"


def stock_up(session, *, offset: int = 1) -> None:
    allan = make_technician(session, nom="Allan", gazelle_id="usr_allan")
    buvards = make_product(session, code_produit="PLS-BUV", nom_produit="Jeu de buvards PLS", unite="jeu",
                           divisible=False)
    gaine = make_product(session, code_produit="PLS-GAINE", nom_produit="Gaine PLS")
    make_line(session, allan, buvards, 1)
    make_line(session, allan, gaine, 4)
    for product in (buvards, gaine):
        regles.create(db_session=session, service_id=PLS, product=product, quantite=Decimal(1))
    day = local_day(offset)
    rows = [Booked(id_externe=f"evt_{n}", gazelle_user="usr_allan", jour=day,
                   debut=dt.datetime.combine(day, dt.time(9 + 2 * n), MONTREAL).astimezone(dt.UTC), duree_minutes=90,
                   statut="ACTIVE", client=f"Client {n}", titre=None,
                   notes="À apporter : cordes #3" if n == 0 else None,
                   services=[{"id": f"esi_{n}", "service_id": PLS, "nom": "Entretien annuel du système PLS",
                              "quantite": "1.000"}]) for n in range(3)]
    rendezvous.replace_window(db_session=session, read=rows, first=day, last=day)


def test_the_page_opens_on_tomorrow(pages, db_session):
    stock_up(db_session)
    db_session.commit()
    html = pages.get("/stock/Allan").text
    assert html.index('id="demain"') < html.index('id="lignes"')  # the page opens on it
    assert "Demain, " in html and "9\u00a0h\u00a000" in html and "Client 2" in html
    assert "À apporter : cordes #3" in html
    assert "2 jeux — Jeu de buvards PLS" in html  # 3 required, 1 in the van
    assert "PLS-GAINE" not in html.split('id="demain"')[1].split("</section>")[0]  # 4 in the van cover 3


def test_the_next_day_with_appointments_when_tomorrow_has_none(pages, db_session):
    stock_up(db_session, offset=3)
    db_session.commit()
    html = pages.get("/stock/Allan").text
    section = html.split('id="demain"')[1].split("</section>")[0]
    assert "Demain" not in section and "Client 0" in section


@pytest.mark.browser
def test_two_taps_on_a_phone(browser, server):
    with server.session() as session:
        stock_up(session)
        allan = techniciens.get_or_404(db_session=session, nom="Allan")
        token, _ = auth_service.create_token(db_session=session, role="technicien", technician=allan)
    context, page = browser_page(browser, server, token, viewport={"width": 390, "height": 844}, is_mobile=True,
                                 has_touch=True)
    try:
        page.goto("/stock/Allan")
        section = page.locator("#demain")
        assert section.locator("h2").inner_text().startswith("Demain")
        assert section.locator("summary").bounding_box()["y"] < 844  # on the first screen
        section.locator("summary", has_text="Demander").tap()  # tap 1: the request, already filled
        section.get_by_role("button", name="Confirmer : 2 jeux de PLS-BUV").tap()  # tap 2: sent
        page.wait_for_url("**/stock/Allan#demandes")
        screenshot(page, "demain-390")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert "Rien ne manque" in page.locator("#demain").inner_text()
        assert page.problems == []
    finally:
        context.close()
    with server.session() as session:
        [request] = session.scalars(select(StockRequest)).all()
        assert (request.produit.code_produit, request.quantite, request.statut) == ("PLS-BUV", 2, "ouverte")
        assert request.note.startswith("Rendez-vous du ")
