"""The office's « Déductions » and « Règles » pages, the dashboard's sync warning, the van's
deductions of the day; Gazelle is the fake one on loopback."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.gazelle import directory
from inventaire.regles.models import ConsumptionRule
from inventaire.stock.models import Transaction
from tests.gazelle.fake import FakeGazelle
from tests.helpers import database_state, log_in, make_line, make_product, make_technician, make_token
from tests.servers import configure

PLS = "mit_2eBOzDvunD7PHs6M"


@pytest.fixture
def gazelle(app):
    fake = FakeGazelle().start()
    directory.forget()
    configure(app, **fake.settings())
    yield fake
    fake.stop()
    directory.forget()
    assert fake.invalid == []


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
    buv = make_product(db_session, code_produit="PLS-BUV", nom_produit="Buvards PLS", unite="jeu")
    make_line(db_session, allan, buv, 3)
    db_session.commit()
    return allan


def test_rule_picked_from_gazelle_then_preview_then_sync(pages, gazelle, van, db_session):
    gazelle.add_invoice(7140, items=[(PLS, 100)])
    gazelle.add_invoice(7141, items=[("mit_eRqZsLAzRs3ypEGC", 100), ("mit_eRqZsLAzRs3ypEGC", 100)])
    html = pages.get("/regles").text
    assert f'<option value="{PLS}"' in html and "Entretien annuel du système PLS" in html  # from allMasterServiceItems
    added = pages.post("/regles/nouvelle", follow_redirects=False, data={
        "csrf": pages.csrf, "service_id": PLS, "code_produit": "PLS-BUV", "quantite": "1", "notes": ""})
    assert added.status_code == 303
    assert db_session.scalar(select(ConsumptionRule.service_id)) == PLS
    before = database_state(db_session)
    preview = pages.post("/deductions/apercu", data={"csrf": pages.csrf})
    assert preview.status_code == 200 and "Aperçu : rien n'a encore été écrit" in preview.text
    assert "Facture #7140 — Lina Vanelli — Entretien annuel du système PLS" in preview.text
    # The report's one summary, with real plurals (no « facture(s) lue(s) »).
    summary = re.search(r"Aperçu \(rien n&#39;a été écrit\) : [^<]*", preview.text).group(0)
    assert "(s)" not in summary and re.search(r" : \d+ factures? lues?, ", summary), summary
    after = database_state(db_session)
    assert after["balances"] == before["balances"]
    synced = pages.post("/deductions/synchroniser", data={"csrf": pages.csrf}, follow_redirects=False)
    assert synced.status_code == 303
    page = pages.get(synced.headers["location"]).text
    assert "Synchronisation n° " in page and 'data-reference="Facture #7140"' in page
    assert "mit_eRqZsLAzRs3ypEGC" in page  # billed without a rule
    rules = pages.get("/regles").text
    assert "Ensemble d&#39;entretien Cory" in rules and "2 lignes" in rules  # most billed first, by name


def test_rule_form_refusals_change_nothing(pages, gazelle, van, db_session):
    pages.get("/regles")  # the first read of Gazelle's list stores its tokens
    before = database_state(db_session)
    for data, field, status in (({"service_id": "", "code_produit": "PLS-BUV", "quantite": "1"}, "service_id", 422),
                                ({"service_id": PLS, "code_produit": "PLS-BUV", "quantite": "0"}, "quantite", 422),
                                ({"service_id": PLS, "code_produit": "NOPE-1", "quantite": "1"}, "code_produit", 404)):
        response = pages.post("/regles/nouvelle", data={"csrf": pages.csrf, "notes": "", **data})
        assert response.status_code == status, data
        assert f'id="e-{field}"' in response.text and "n'a pas été enregistrée" in response.text
    assert database_state(db_session) == before


def test_rule_changed_and_removed_from_the_page(pages, gazelle, van, db_session):
    pages.post("/regles/nouvelle", data={"csrf": pages.csrf, "service_id": PLS, "code_produit": "PLS-BUV",
                                         "quantite": "1", "notes": ""})
    rule_id = db_session.scalar(select(ConsumptionRule.id))
    assert pages.post(f"/regles/{rule_id}/modifier", data={"csrf": pages.csrf, "quantite": "0,5", "notes": "demi"},
                      follow_redirects=False).status_code == 303
    db_session.expire_all()
    assert db_session.get(ConsumptionRule, rule_id).quantite == Decimal("0.5")
    assert pages.post(f"/regles/{rule_id}/modifier", data={"csrf": pages.csrf, "quantite": "x", "notes": ""}
                      ).status_code == 422
    assert pages.post(f"/regles/{rule_id}/supprimer", data={"csrf": pages.csrf},
                      follow_redirects=False).status_code == 303
    assert db_session.scalar(select(ConsumptionRule.id)) is None


def test_technician_form_lists_gazelle_users(pages, gazelle, van):
    html = pages.get("/techniciens/Allan/modifier").text
    assert '<option value="usr_nL3pR7vXc1Md"' in html and "Nicolas Lessard" in html
    assert '<option value="usr_aS8wQ2nLk4Tz" selected>' in html


def test_pages_open_without_gazelle(pages, van):
    directory.forget()
    assert "Saisissez l'identifiant du service" in pages.get("/regles").text
    assert "Gazelle n'est pas connecté" in pages.get("/deductions").text
    assert 'name="gazelle_id"' in pages.get("/techniciens/Allan/modifier").text


def test_dashboard_shows_a_failed_sync_and_the_shortfalls(pages, gazelle, van, db_session, client):
    gazelle.faults.extend(["500"] * 3)
    assert pages.post("/deductions/synchroniser", data={"csrf": pages.csrf}).status_code == 502
    html = pages.get("/").text
    assert 'id="sync-probleme"' in html and "a échoué" in html
    client.post("/inventaire/regles", json={"service_id": PLS, "code_produit": "PLS-BUV", "quantite": 5})
    gazelle.add_invoice(7142, items=[(PLS, 100)])
    assert pages.post("/deductions/synchroniser", data={"csrf": pages.csrf}, follow_redirects=False
                      ).status_code == 303
    html = pages.get("/").text
    assert 'id="sync-probleme"' not in html
    assert "1 manque ouvert" in html and "Allan PLS-BUV" in html


def test_the_phone_shows_what_was_deducted_today_and_why(app, van, db_session, client):
    client.post("/inventaire/regles", json={"service_id": PLS, "code_produit": "PLS-BUV", "quantite": 1})
    client.post("/inventaire/services", json={
        "source": "gazelle", "id_externe": "inv_7140", "numero": "7140", "statut": "actif", "technicien": "Allan",
        "client": "Lina Vanelli", "lignes": [{"id_externe": "ini_1", "service_id": PLS, "quantite": 1,
                                              "description": "Entretien annuel du système PLS"}]})
    from fastapi.testclient import TestClient

    with TestClient(app) as phone:
        log_in(phone, make_token(db_session, "technicien", technician=van))
        html = phone.get("/stock/Allan").text
    section = html.split('id="deduit-aujourdhui"')[1].split("</section>")[0]
    assert "−1 jeu Buvards PLS" in section or "-1 jeu Buvards PLS" in section
    assert "Facture #7140 — Lina Vanelli — Entretien annuel du système PLS" in section
    assert db_session.scalar(select(Transaction.auteur).where(Transaction.reference == "Facture #7140")) == "gazelle"


def test_services_with_corrections_and_a_cancellation_show(pages, van, db_session, client):
    """An invoice edited down, then one cancelled: the page lists each correction by product code."""
    client.post("/inventaire/regles", json={"service_id": PLS, "code_produit": "PLS-BUV", "quantite": 1})

    def send(numero: str, quantite: int, statut: str = "actif") -> None:
        answer = client.post("/inventaire/services", json={
            "source": "gazelle", "id_externe": f"inv_{numero}", "numero": numero, "statut": statut,
            "technicien": "Allan", "client": "Lina Vanelli",
            "lignes": [{"id_externe": f"ini_{numero}", "service_id": PLS, "quantite": quantite}]})
        assert answer.status_code in (200, 201), answer.text

    send("7150", 2)
    send("7150", 1)  # edited down: one part given back
    send("7151", 1)
    send("7151", 1, statut="annule")  # cancelled: its part given back
    response = pages.get("/deductions")
    assert response.status_code == 200, response.text[-2000:]
    for numero in ("7150", "7151"):
        row = response.text.split(f'data-reference="Facture #{numero}"')[1].split("</tr>")[0]
        assert "PLS-BUV" in row.split("</td>")[-2], row  # « Corrections et retours »: +1 PLS-BUV
