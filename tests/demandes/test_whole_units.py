"""Issue 25 point 1: a fraction of a product counted in whole units is refused at every entry point
(requests, rules, par levels and thresholds; API, pages and CLI), the fractions stored before are
shown to the office, and « Préparer » serves every line it can and names the rest with why."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from inventaire.demandes.models import RequestState, StockRequest
from inventaire.kit.database import utcnow
from inventaire.regles.models import ConsumptionRule
from tests.commands import flat, run_cli
from tests.helpers import (
    balance_of,
    committed,
    database_state,
    make_line,
    make_product,
    make_technician,
    make_token,
    make_workshop,
)

API = "/inventaire"


@pytest.fixture
def whole(db_session):
    """Allan and a workshop; CORD-012 counted in whole bobines, FEUT-01 by the metre."""
    allan, workshop = make_technician(db_session, nom="Allan"), make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        divisible=False)
    felt = make_product(db_session, code_produit="FEUT-01", nom_produit="Feutre rouge", unite="m")
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(4))
    make_line(db_session, workshop, cord, 10)
    make_line(db_session, workshop, felt, 5)
    db_session.commit()
    return allan, workshop, cord, felt


def _legacy_request(db_session, technician, product, quantity: str) -> int:
    """A request stored before fractions were refused (written as the old code did)."""
    row = StockRequest(technicien=technician, produit=product, quantite=Decimal(quantity), note=None,
                       statut=RequestState.OUVERTE, auteur="Allan", created_at=utcnow())
    db_session.add(row)
    db_session.commit()
    return row.id


def test_the_api_refuses_a_fraction_of_a_whole_product_everywhere_and_changes_nothing(client, db_session, whole):
    before = database_state(db_session)
    refused = [
        client.post(f"{API}/demandes", json={"technicien": "Allan", "code_produit": "CORD-012", "quantite": 1.5}),
        client.post(f"{API}/regles", json={"service_id": "mit_x", "code_produit": "CORD-012", "quantite": 0.5}),
        client.put(f"{API}/stock/Allan/CORD-012", json={"niveau_par": 2.5}),
        client.put(f"{API}/stock/Allan/CORD-012", json={"seuil_min": 0.5}),
        client.put(f"{API}/catalogue/CORD-012", json={"seuil_reorder": 1.5}),
    ]
    for response in refused:
        assert response.status_code == 409, response.text
        assert "se compte en unités entières" in response.json()["detail"]
    assert database_state(db_session) == before
    # The same amounts of a product counted by the metre are accepted.
    assert client.post(f"{API}/demandes", json={"technicien": "Allan", "code_produit": "FEUT-01",
                                                 "quantite": 1.5}).status_code == 201
    assert client.put(f"{API}/stock/Allan/CORD-012", json={"niveau_par": 3, "seuil_min": 1}).status_code == 200


def test_a_rule_cannot_become_a_fraction_and_the_cli_refuses_one(client, db_session, whole):
    created = client.post(f"{API}/regles", json={"service_id": "mit_x", "code_produit": "CORD-012", "quantite": 1})
    assert created.status_code == 201, created.text
    changed = client.put(f"{API}/regles/{created.json()['id']}", json={"quantite": 0.5})
    assert changed.status_code == 409 and "0,5 refusé" in changed.json()["detail"]
    db_session.expire_all()
    assert db_session.get(ConsumptionRule, created.json()["id"]).quantite == 1


def test_the_cli_refuses_a_fractional_rule(fresh_database):
    with committed(fresh_database.url) as session:
        make_product(session, code_produit="PLS-BUVARDS", unite="jeu", divisible=False)
    result = run_cli(fresh_database.url, "regles", "add", "--service", "mit_x", "--produit", "PLS-BUVARDS",
                     "--quantite", "0,5")
    assert result.exit_code == 2, result.output
    assert "« PLS-BUVARDS » se compte en unités entières (jeu) : 0,5 refusé." in flat(result.stderr)
    assert "Aucune règle" in run_cli(fresh_database.url, "regles", "list").stdout


def test_the_phone_refuses_a_fraction_on_the_card(app, db_session, whole):
    from fastapi.testclient import TestClient

    from tests.helpers import log_in

    allan = whole[0]
    with TestClient(app, raise_server_exceptions=False) as phone:
        csrf = log_in(phone, make_token(db_session, "technicien", technician=allan))
        before = database_state(db_session)
        response = phone.post("/stock/Allan/CORD-012/demander", data={"csrf": csrf, "quantite": "1,5"})
        assert response.status_code == 409
        assert "«\u00a0CORD-012\u00a0» se compte en unités entières (bobine) : 1,5 refusé." in html.unescape(response.text)
        response = phone.post("/stock/Allan/demander", data={"csrf": csrf, "code_produit": "CORD-012",
                                                             "quantite": "0,5"})
        assert response.status_code == 409 and "0,5 refusé" in html.unescape(response.text)
    assert database_state(db_session) == before


def test_the_office_pages_refuse_fractions_next_to_the_field(pages, db_session, whole):
    before = database_state(db_session)
    page = pages.post("/stock/Allan/CORD-012/niveaux", data={"csrf": pages.csrf, "seuil_min": "", "niveau_par": "2,5"})
    assert page.status_code == 409 and "2,5 refusé" in html.unescape(page.text)
    page = pages.post("/regles/nouvelle", data={"csrf": pages.csrf, "service_id": "mit_x", "code_produit": "CORD-012",
                                                "quantite": "0,5"})
    assert page.status_code == 409 and "0,5 refusé" in html.unescape(page.text)
    assert database_state(db_session) == before
    form = pages.get("/regles").text
    assert "0,5 pour un demi (produits au mètre ou au litre seulement)" in html.unescape(form)


def test_fractions_stored_before_are_shown_to_the_office(pages, db_session, whole):
    allan, _, cord, _ = whole
    asked = _legacy_request(db_session, allan, cord, "1.5")
    rule = ConsumptionRule(service_id="mit_legacy", produit=cord, quantite=Decimal("0.5"), service_nom="Pose")
    db_session.add(rule)
    db_session.commit()
    dashboard = html.unescape(pages.get("/fragments/demandes").text)
    card = re.search(rf'<article class="demande-bureau" id="demande-{asked}".*?</article>', dashboard, re.S).group(0)
    assert "À corriger : «\u00a0CORD-012\u00a0» se compte en unités entières (bobine), 1,5 ne peut pas être servi." in card
    rules = html.unescape(pages.get("/regles").text)
    fix = re.search(r'<section class="carte attention" id="regles-a-corriger".*?</section>', rules, re.S).group(0)
    assert f'<a href="#regle-{rule.id}">Pose</a> : 0,5 bobine de «\u00a0CORD-012\u00a0»' in fix
    # A whole rule is not listed.
    rule.quantite = Decimal(1)
    db_session.commit()
    assert 'id="regles-a-corriger"' not in pages.get("/regles").text


def test_prepare_serves_what_it_can_and_names_a_fraction_with_why(pages, client, db_session, whole):
    allan, _, cord, felt = whole
    asked = _legacy_request(db_session, allan, cord, "1.5")
    felt_request = client.post(f"{API}/demandes", json={"technicien": "Allan", "code_produit": "FEUT-01",
                                                        "quantite": 2.5}).json()["id"]
    page = pages.get("/stock/Allan/preparation").text
    key = re.search(r'name="cle" value="([^"]+)"', page).group(1)
    done = pages.post("/stock/Allan/preparation", data={"csrf": pages.csrf, "cle": key, "atelier": "Atelier"})
    assert done.status_code == 200, done.text
    text = html.unescape(done.text)
    assert "Préparé : 2 transferts" in text  # the par level of CORD-012 (3) and the felt request
    table = re.search(r'<table id="non-servi">.*?</table>', text, re.S).group(0)
    assert f"Demande n° {asked}" in table
    assert ("fraction d'un produit compté en unités entières : servez une quantité entière ou refusez la demande"
            in table)
    assert balance_of(db_session, "Allan", "CORD-012") == 4 and balance_of(db_session, "Allan", "FEUT-01") == Decimal(
        "2.5")
    db_session.expire_all()
    assert db_session.get(StockRequest, asked).statut == RequestState.OUVERTE
    assert db_session.get(StockRequest, felt_request).statut == RequestState.SERVIE


def test_the_api_prepare_gives_the_reason(client, db_session, whole):
    allan, _, cord, _ = whole
    _legacy_request(db_session, allan, cord, "0.5")
    done = client.post(f"{API}/reapprovisionnement", json={"technicien": "Allan", "atelier": "Atelier"})
    assert done.status_code == 200, done.text
    (short,) = done.json()["non_servi"]
    assert short["code_produit"] == "CORD-012" and Decimal(str(short["transfere"])) == 0
    assert short["raison"].startswith("fraction d'un produit compté en unités entières")
