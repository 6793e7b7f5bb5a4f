"""The dashboard's open requests: « Servir » from a workshop (the requests service's transfer) and
« Refuser » with a reason; every refusal in French with nothing changed."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from inventaire.demandes import service as demandes
from inventaire.demandes.models import StockRequest
from inventaire.stock.models import StockLine
from tests.helpers import database_state, log_in, make_line, make_product, make_technician, make_token, make_workshop

HX = {"HX-Request": "true"}


@pytest.fixture
def shop(db_session):
    """Allan asked for 5 strings and 2 m of felt; the big workshop has 20 strings and 1 m of felt."""
    allan = make_technician(db_session, nom="Allan")
    annexe, atelier = make_workshop(db_session, nom="Annexe"), make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine")
    felt = make_product(db_session, code_produit="FEUT-01", nom_produit="Feutre", unite="m")
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(6))
    make_line(db_session, annexe, cord, 2)
    make_line(db_session, atelier, cord, 20)
    make_line(db_session, atelier, felt, 1)
    asked = [demandes.create(db_session=db_session, technician=allan, product=p, quantity=Decimal(q), note=n,
                             auteur="Allan") for p, q, n in ((cord, 5, "Pour le Yamaha"), (felt, 2, None))]
    db_session.commit()
    return {"cordes": asked[0].id, "feutre": asked[1].id}


def _post(pages, path, data):
    return pages.post(path, headers={**HX, "X-CSRF-Token": pages.csrf}, data=data)


def _request(db_session, request_id) -> StockRequest:
    db_session.expire_all()
    return db_session.get(StockRequest, request_id)


def _held(db_session, holder, code) -> Decimal | None:
    db_session.expire_all()
    for line in db_session.scalars(select(StockLine)):
        if (line.emplacement.nom, line.produit.code_produit) == (holder, code):
            return line.quantite
    return None


def test_the_dashboard_lists_open_requests_with_serve_and_refuse(pages, shop):
    page = html.unescape(pages.get("/").text)
    assert "Demandes des véhicules" in page and "2 demandes ouvertes, la plus ancienne d'abord." in page
    assert 'hx-get="/fragments/demandes"' in page and "data-pause-saisie" in page
    strings = re.search(rf'<article class="demande-bureau" id="demande-{shop["cordes"]}".*?</article>', page, re.S)
    card = strings.group(0)
    assert "Note : Pour le Yamaha" in card and "le véhicule en a 1" in card
    # The workshop proposed is the first that has enough; the quantity is the one asked.
    assert '<option value="Annexe">Annexe (2 bobines)</option>' in card
    assert '<option value="Atelier" selected>Atelier (20 bobines)</option>' in card
    assert 'name="quantite" inputmode="decimal" size="5" autocomplete="off" value="5"' in card
    assert f'hx-post="/demandes/{shop["cordes"]}/servir"' in card and f'hx-post="/demandes/{shop["cordes"]}/refuser"' in card
    assert pages.get("/fragments/demandes").text.count('class="demande-bureau"') == 2


def test_serving_makes_the_transfer_with_the_quantity_asked(pages, db_session, shop):
    response = _post(pages, f"/demandes/{shop['cordes']}/servir", {"atelier": "Atelier", "quantite": ""})
    assert response.status_code == 200, response.text
    assert (f"Demande n° {shop['cordes']} servie : 5 bobines de «\u00a0CORD-012\u00a0» d'Atelier vers Allan "
            "(Allan en a maintenant 6 bobines, il en reste 15 bobines à Atelier).") in html.unescape(response.text)
    assert 'id="demandes-message" role="status" hx-swap-oob="true"' in response.text
    assert f'id="demande-{shop["cordes"]}"' not in response.text  # no longer open
    served = _request(db_session, shop["cordes"])
    assert (served.statut, served.atelier.nom, served.quantite_servie) == ("servie", "Atelier", 5)
    assert (_held(db_session, "Atelier", "CORD-012"), _held(db_session, "Allan", "CORD-012")) == (15, 6)


def test_serving_another_quantity(pages, db_session, shop):
    response = _post(pages, f"/demandes/{shop['cordes']}/servir", {"atelier": "annexe", "quantite": "2"})
    assert response.status_code == 200
    served = _request(db_session, shop["cordes"])
    assert (served.statut, served.atelier.nom, served.quantite_servie) == ("servie", "Annexe", 2)
    assert (_held(db_session, "Annexe", "CORD-012"), _held(db_session, "Allan", "CORD-012")) == (0, 3)


@pytest.mark.parametrize("data, status, message", [
    ({"atelier": "Atelier", "quantite": ""}, 409,
     "Stock insuffisant : Atelier a 1 m de «\u00a0FEUT-01\u00a0», impossible de retirer 2."),  # the workshop has less
    ({"atelier": "Annexe", "quantite": ""}, 409, "Stock insuffisant : Annexe n'a pas de «\u00a0FEUT-01\u00a0» en stock."),
    ({"atelier": "Garage", "quantite": ""}, 404, "Atelier inconnu : «\u00a0Garage\u00a0»."),
    ({"atelier": "Atelier", "quantite": "beaucoup"}, 422, "Quantité : doit être un nombre"),
    ({"atelier": "Atelier", "quantite": "0"}, 422, "La quantité à transférer doit être positive."),
    ({"atelier": "", "quantite": "1"}, 422, "Atelier : champ obligatoire."),
])
def test_a_serve_that_cannot_be_done_changes_nothing(pages, db_session, shop, data, status, message):
    before = database_state(db_session)
    response = _post(pages, f"/demandes/{shop['feutre']}/servir", data)
    assert response.status_code == status
    text = html.unescape(response.text)
    card = re.search(rf'id="demande-{shop["feutre"]}".*?</article>', text, re.S).group(0)
    assert f'<p class="erreur" role="alert">{message}' in card  # on its request, with what was typed
    if data["quantite"]:
        assert f'value="{data["quantite"]}"' in card
    assert database_state(db_session) == before
    assert _request(db_session, shop["feutre"]).statut == "ouverte"


def test_refusing_with_a_reason(pages, db_session, shop):
    response = _post(pages, f"/demandes/{shop['feutre']}/refuser", {"motif": "  En commande,  arrivée lundi "})
    assert response.status_code == 200
    assert (f"Demande n° {shop['feutre']} refusée (Allan, «\u00a0FEUT-01\u00a0») : En commande, arrivée lundi"
            in html.unescape(response.text))
    refused = _request(db_session, shop["feutre"])
    assert (refused.statut, refused.motif_refus) == ("refusee", "En commande, arrivée lundi")
    assert _held(db_session, "Atelier", "FEUT-01") == 1


@pytest.mark.parametrize("motif, message", [
    ("", "Motif : dites au technicien pourquoi la demande est refusée."),
    ("   ", "Motif : dites au technicien pourquoi la demande est refusée."),
    ("x" * 501, "Motif :"),
])
def test_a_refusal_without_a_reason_is_refused_and_changes_nothing(pages, db_session, shop, motif, message):
    before = database_state(db_session)
    response = _post(pages, f"/demandes/{shop['feutre']}/refuser", {"motif": motif})
    assert response.status_code == 422 and message in html.unescape(response.text)
    assert database_state(db_session) == before and _request(db_session, shop["feutre"]).statut == "ouverte"


def test_a_closed_request_cannot_be_served_or_refused_again(pages, db_session, shop):
    assert _post(pages, f"/demandes/{shop['cordes']}/servir", {"atelier": "Atelier"}).status_code == 200
    before = database_state(db_session)
    again = _post(pages, f"/demandes/{shop['cordes']}/servir", {"atelier": "Atelier"})
    late = _post(pages, f"/demandes/{shop['cordes']}/refuser", {"motif": "Trop tard"})
    assert again.status_code == late.status_code == 409
    assert f"La demande n° {shop['cordes']} est déjà servie." in html.unescape(again.text)
    assert _post(pages, "/demandes/999999/servir", {"atelier": "Atelier"}).status_code == 404
    assert database_state(db_session) == before


def test_only_the_office_serves(app, db_session, shop):
    from inventaire.techniciens import service as techniciens

    token = make_token(db_session, "technicien", technician=techniciens.get_by_name(db_session=db_session, nom="Allan"))
    with TestClient(app, raise_server_exceptions=False) as phone:
        csrf = log_in(phone, token)
        before = database_state(db_session)
        for path, data in ((f"/demandes/{shop['cordes']}/servir", {"atelier": "Atelier"}),
                           (f"/demandes/{shop['cordes']}/refuser", {"motif": "Non"})):
            response = phone.post(path, headers={**HX, "X-CSRF-Token": csrf}, data=data)
            assert response.status_code == 403, path
        assert phone.get("/fragments/demandes", headers=HX).status_code == 403
    assert database_state(db_session) == before


def test_no_workshop_no_serve_form(pages, db_session):
    allan = make_technician(db_session, nom="Allan")
    hammer = make_product(db_session, code_produit="MART-01")
    demandes.create(db_session=db_session, technician=allan, product=hammer, quantity=Decimal(1), note=None,
                    auteur="Allan")
    db_session.commit()
    page = pages.get("/fragments/demandes").text
    assert "Aucun atelier actif" in page and 'class="servir"' not in page and 'class="refuser"' in page
