"""The phone page's requests: par levels shown, alerts first, « Demander » on a line or for a product the van
does not carry, the state of the requests, and the poll that brings the lines the office changed."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from inventaire.demandes.models import StockRequest
from inventaire.stock import service as stock
from tests.helpers import database_state, log_in, make_line, make_product, make_technician, make_token, make_workshop

HX = {"HX-Request": "true"}


@pytest.fixture
def van(db_session):
    """Allan: strings low (1, par 6), felt fine (8, par 10), pins critical (0); Margot; the workshop."""
    allan, margot = make_technician(db_session, nom="Allan"), make_technician(db_session, nom="Margot")
    workshop = make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        seuil_reorder=Decimal(2), divisible=False)
    felt = make_product(db_session, code_produit="FEUT-01", nom_produit="Feutre", unite="m", seuil_reorder=Decimal(1))
    pin = make_product(db_session, code_produit="GOUP-01", nom_produit="Goupilles", unite="unité")
    make_product(db_session, code_produit="MART-01", nom_produit="Marteau Abel", unite="unité")
    make_line(db_session, allan, felt, 8, niveau_par=Decimal(10))
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(6))
    make_line(db_session, allan, pin, 0)
    make_line(db_session, margot, cord, 4)
    make_line(db_session, workshop, cord, 20)
    db_session.commit()
    return allan


@pytest.fixture
def phone(app, db_session, van) -> TestClient:
    """Allan's phone, logged in with his technician token."""
    with TestClient(app, raise_server_exceptions=False) as client:
        client.csrf = log_in(client, make_token(db_session, "technicien", technician=van))
        yield client


def _requests(db_session) -> list[StockRequest]:
    db_session.expire_all()
    return list(db_session.scalars(select(StockRequest).order_by(StockRequest.id)))


def test_lines_show_their_par_level_and_alerts_come_first(phone):
    page = phone.get("/stock/Allan").text
    order = re.findall(r'<li class="ligne[^"]*" id="ligne-([^"]+)"', page)
    assert order == ["GOUP-01", "CORD-012", "FEUT-01"]  # critical, low, then the rest
    assert "par 6</span>" in page and "par 10</span>" in page
    # « Demander » is prefilled with what brings the line to par, else 1.
    forms = dict(re.findall(r'hx-post="/stock/Allan/([^/]+)/demander".*?name="quantite"[^>]*value="([^"]*)"', page,
                            re.S))
    assert forms == {"GOUP-01": "1", "CORD-012": "5", "FEUT-01": "2"}
    assert page.count('class="demander"') == 3 and 'id="demandes"' in page
    assert 'hx-get="/stock/Allan/suivi"' in page and 'hx-trigger="every 5s"' in page


def test_a_request_from_a_card_is_opened_and_shown(phone, db_session):
    response = phone.post("/stock/Allan/CORD-012/demander", headers={**HX, "X-CSRF-Token": phone.csrf},
                          data={"quantite": "5", "note": "Pour le Yamaha de jeudi"})
    assert response.status_code == 200, response.text
    [opened] = _requests(db_session)
    assert (opened.technicien.nom, opened.produit.code_produit, opened.quantite, opened.note, opened.statut,
            opened.auteur) == ("Allan", "CORD-012", 5, "Pour le Yamaha de jeudi", "ouverte", "Allan")
    assert f"Demande n° {opened.id} envoyée : 5 bobines de «\u00a0CORD-012\u00a0». Le bureau est prévenu." in response.text
    assert f"Demandé : 5 bobines (n° {opened.id}), en attente du bureau" in response.text
    assert 'id="demandes"' in response.text and 'hx-swap-oob="true"' in response.text  # the list, out of band
    assert "Ouverte" in response.text


def test_a_retry_with_the_same_key_opens_one_request(phone, db_session):
    headers = {**HX, "X-CSRF-Token": phone.csrf, "Idempotency-Key": "a" * 32}
    first = phone.post("/stock/Allan/FEUT-01/demander", headers=headers, data={"quantite": "2"})
    again = phone.post("/stock/Allan/FEUT-01/demander", headers=headers, data={"quantite": "2"})
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true" and len(_requests(db_session)) == 1


@pytest.mark.parametrize("data, message", [
    ({"quantite": "0"}, "Quantité : un nombre plus grand que zéro"),
    ({"quantite": "deux"}, "Quantité : un nombre plus grand que zéro"),
    ({"quantite": "2", "note": "x" * 501}, "Note :"),
])
def test_a_bad_request_is_refused_in_french_and_nothing_changes(phone, db_session, data, message):
    before = database_state(db_session)
    response = phone.post("/stock/Allan/CORD-012/demander", headers={**HX, "X-CSRF-Token": phone.csrf}, data=data)
    assert response.status_code == 422 and message in response.text
    assert '<form class="demande"  hx-post' in response.text  # open again, with what was typed
    assert database_state(db_session) == before


def test_a_technician_asks_for_their_own_van_only(phone, db_session):
    before = database_state(db_session)
    for path in ("/stock/Margot/CORD-012/demander", "/stock/Margot/demander"):
        response = phone.post(path, headers={"X-CSRF-Token": phone.csrf},
                              data={"quantite": "1", "code_produit": "CORD-012"})
        assert response.status_code == 403 and "propre stock" in response.text, path
    assert database_state(db_session) == before


def test_a_product_the_van_does_not_carry(phone, db_session):
    page = phone.get("/stock/Allan").text
    assert "Demander un produit absent du véhicule" in page
    key = re.search(r'action="/stock/Allan/demander#demande-absent".*?name="cle" value="([^"]+)"', page, re.S).group(1)
    form = {"csrf": phone.csrf, "cle": key, "code_produit": "marteau abel", "quantite": "2", "note": ""}
    sent = phone.post("/stock/Allan/demander", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/stock/Allan#demandes"
    again = phone.post("/stock/Allan/demander", data=form, follow_redirects=False)  # a double tap
    assert again.status_code == 303
    [opened] = _requests(db_session)
    assert (opened.produit.code_produit, opened.quantite, opened.statut) == ("MART-01", 2, "ouverte")
    shown = phone.get("/stock/Allan").text
    assert re.search(rf'data-demande="{opened.id}" data-statut="ouverte">\s*<span class="etat-demande ouverte">Ouverte',
                     shown)


@pytest.mark.parametrize("data, message", [
    ({"code_produit": "", "quantite": "1"}, "Produit : choisissez le produit demandé."),
    ({"code_produit": "INCONNU-9", "quantite": "1"}, "Produit : «\u00a0INCONNU-9\u00a0» n'est pas au catalogue"),
    ({"code_produit": "MART-01", "quantite": "-1"}, "Quantité : un nombre plus grand que zéro"),
])
def test_a_bad_request_for_a_product_not_carried(phone, db_session, data, message):
    before = database_state(db_session)
    response = phone.post("/stock/Allan/demander", data={"csrf": phone.csrf, **data}, follow_redirects=False)
    assert response.status_code == 422 and message in html.unescape(response.text)
    assert database_state(db_session) == before


def test_the_technician_sees_served_and_refused_requests(phone, client, db_session):
    served = phone.post("/stock/Allan/CORD-012/demander", headers={**HX, "X-CSRF-Token": phone.csrf},
                        data={"quantite": "3"})
    refused = phone.post("/stock/Allan/FEUT-01/demander", headers={**HX, "X-CSRF-Token": phone.csrf},
                         data={"quantite": "2"})
    assert served.status_code == refused.status_code == 200
    first, second = _requests(db_session)
    assert client.post(f"/inventaire/demandes/{first.id}/servir", json={"atelier": "Atelier"}).status_code == 200
    assert client.post(f"/inventaire/demandes/{second.id}/refuser",
                       json={"motif": "En commande, arrivée lundi"}).status_code == 200
    poll = phone.get("/stock/Allan/suivi", params={"vu": ["GOUP-01=0.000", "CORD-012=1.000", "FEUT-01=8.000"]},
                     headers=HX)
    assert poll.status_code == 200
    text = poll.text
    assert "Servie : 3 bobines depuis Atelier" in text and "Refusée : En commande, arrivée lundi" in text
    # The line the transfer changed comes out of band with its new quantity; the others are not sent.
    assert "hx-swap-oob=\"outerHTML:#lignes li[data-code=&#39;CORD-012&#39;]\"" in text
    assert re.search(r'data-code="CORD-012".*?<output class="valeur" aria-live="polite">4</output>', text, re.S)
    assert 'id="ligne-FEUT-01"' not in text and 'id="ligne-GOUP-01"' not in text
    assert 'id="derniers"' in text


def test_the_poll_adds_a_line_new_to_the_van(phone, db_session, van):
    from inventaire.ateliers import service as ateliers
    from inventaire.catalogue import service as catalogue

    atelier = ateliers.get_by_name(db_session=db_session, nom="Atelier")
    hammer = catalogue.get_by_code(db_session=db_session, code_produit="MART-01")
    make_line(db_session, atelier, hammer, 3)
    stock.transfer(db_session=db_session, source=atelier, target=van, product=hammer, quantity=Decimal(2),
                   auteur="bureau")
    db_session.commit()
    poll = phone.get("/stock/Allan/suivi",
                     params={"vu": ["GOUP-01=0.000", "CORD-012=1.000", "FEUT-01=8.000"]}, headers=HX)
    assert '<div hx-swap-oob="beforeend:#lignes">' in poll.text and 'id="ligne-MART-01"' in poll.text
    quiet = phone.get("/stock/Allan/suivi", params={"vu": ["GOUP-01=0", "CORD-012=1", "FEUT-01=8", "MART-01=2"]},
                      headers=HX)
    assert 'class="ligne' not in quiet.text and 'id="derniers"' not in quiet.text


def test_a_workshop_makes_no_requests(pages, db_session, van):
    before = database_state(db_session)
    page = pages.get("/stock/Atelier").text
    assert "Stock — Atelier" in page and "atelier</span>" in page
    assert 'class="demander"' not in page and 'id="demandes"' not in page
    refused = pages.post("/stock/Atelier/CORD-012/demander", headers={**HX, "X-CSRF-Token": pages.csrf},
                         data={"quantite": "1"})
    assert refused.status_code == 422 and "seuls les véhicules font des demandes" in refused.text
    assert database_state(db_session) == before


def test_the_office_is_told_once_of_a_request_from_the_page(app, db_session, van, notifying, smtp, webhooks):
    from tests.servers import DISCORD_PATH, OFFICE, SLACK_PATH

    with TestClient(app, raise_server_exceptions=False) as phone:
        csrf = log_in(phone, make_token(db_session, "technicien", technician=van))
        headers = {**HX, "X-CSRF-Token": csrf, "Idempotency-Key": "b" * 32}
        for _ in range(2):  # a double tap: one request, one announcement
            sent = phone.post("/stock/Allan/CORD-012/demander", headers=headers, data={"quantite": "5", "note": "Urgent"})
            assert sent.status_code == 200
        page = phone.get("/stock/Allan").text
        key = re.search(r'action="/stock/Allan/demander#demande-absent".*?name="cle" value="([^"]+)"', page, re.S).group(1)
        form = {"csrf": csrf, "cle": key, "code_produit": "MART-01", "quantite": "1"}
        assert phone.post("/stock/Allan/demander", data=form, follow_redirects=False).status_code == 303
    first, second = _requests(db_session)
    assert [m.rcpt_tos for m in smtp.mails] == [OFFICE, OFFICE]
    assert smtp.mails[0].subject == f"Demande de stock n° {first.id} : Allan — 5 bobines de CORD-012"
    assert "Note : Urgent" in smtp.mails[0].part("plain")
    assert smtp.mails[1].subject == f"Demande de stock n° {second.id} : Allan — 1 unité de MART-01"
    assert len(webhooks.received(SLACK_PATH)) == len(webhooks.received(DISCORD_PATH)) == 2
