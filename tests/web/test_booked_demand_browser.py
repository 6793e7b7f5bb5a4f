"""Booked demand on the pages, in a real Chromium: the phone's line says what is booked and how much of
its cover the bookings set; the evolution chart's legend says it too. Both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from inventaire.auth import service as auth_service
from inventaire.kit.database import utcnow
from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from inventaire.stock import service as stock
from tests.helpers import browser_page, make_product, make_technician, screenshot
from tests.rendezvous.conftest import MONTREAL, local_day

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PLS = "mit_pls"


def _booked(key: str, offset: int, units: str) -> Booked:
    day = local_day(offset)
    return Booked(id_externe=key, gazelle_user="usr_margot", jour=day,
                  debut=dt.datetime.combine(day, dt.time(9), MONTREAL).astimezone(dt.UTC), duree_minutes=60,
                  statut="ACTIVE", client="Client", titre=None, notes=None,
                  services=[{"id": f"esi_{key}", "service_id": PLS, "nom": None, "quantite": units}])


@pytest.fixture
def margot(server):
    """Margot holds 40 pad sets and has used none; 10 are booked on day 2 and 35 on day 4."""
    with server.session() as s:
        tech = make_technician(s, nom="Margot", gazelle_id="usr_margot")
        pads = make_product(s, code_produit="PLS-BUV", nom_produit="Buvards PLS", unite="jeu")
        stock.adjust(db_session=s, location=tech, product=pads, kind="reception", delta=Decimal(40),
                     auteur="essai", at=utcnow() - dt.timedelta(days=70), cause="manuel")
        regles.create(db_session=s, service_id=PLS, product=pads, quantite=Decimal(1))
        rendezvous.replace_window(db_session=s, first=local_day(0), last=local_day(14),
                                  read=[_booked("evt_2", 2, "10.000"), _booked("evt_4", 4, "35.000")])
        token, _ = auth_service.create_token(db_session=s, role="technicien", technician=tech)
    return token


def test_the_phone_line_shows_the_booked_part(browser, server, margot):
    context, page = browser_page(browser, server, margot, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto("/stock/Margot")
        line = page.locator("#ligne-PLS-BUV")
        booked = line.locator(".reservee")
        assert booked.inner_text() == ("Rendez-vous réservés : 45 jeux · 1,9 j de la couverture selon les "
                                       "rendez-vous, le reste au rythme")
        assert booked.is_visible() and booked.bounding_box()["width"] <= PHONE["width"]
        cover = line.locator(".couverture")
        assert cover.inner_text().startswith("≈ ")
        assert cover.get_attribute("title").endswith("(selon les rendez-vous)")
        assert local_day(4).strftime("%Y") in cover.get_attribute("title")
        screenshot(page, "reservee-telephone")
        assert page.problems == []
    finally:
        context.close()


def test_the_evolution_legend_says_what_the_bookings_set(browser, server, margot):
    context, page = browser_page(browser, server, server.admin_token)
    try:
        page.goto("/evolution?code_produit=PLS-BUV&technicien=Margot")
        page.wait_for_function("() => window.Chart && Object.values(Chart.instances).length > 0")
        labels = page.evaluate("() => Object.values(Chart.instances)[0].data.datasets.map(d => d.label)")
        assert "Prévision Margot (0 / jour ; 45 réservé(s) aux rendez-vous, 1,9 j de couverture selon les " \
               "rendez-vous, le reste au rythme)" in labels
        assert page.problems == []
    finally:
        context.close()
