"""Issue 25 point 7: a workshop is renamed or deactivated through the API, its page and the CLI; a
deactivated one keeps its history and holds no new stock; its page speaks of an « atelier »."""

from __future__ import annotations

import html

from sqlalchemy import select

from inventaire.audit.models import AuditEntry
from tests.commands import flat, run_cli
from tests.helpers import balance_of, committed, database_state, make_line, make_product, make_technician, make_workshop

ATELIERS = "/inventaire/ateliers"


def _shop(db_session):
    allan, workshop = make_technician(db_session, nom="Allan"), make_workshop(db_session, nom="Atelier")
    cord = make_product(db_session, code_produit="CORD-012", unite="bobine")
    make_line(db_session, workshop, cord, 10)
    db_session.commit()
    return allan, workshop, cord


def test_the_api_renames_and_deactivates_a_workshop(client, db_session):
    _shop(db_session)
    renamed = client.put(f"{ATELIERS}/atelier", json={"nom": "Atelier Laval"})
    assert renamed.status_code == 200 and renamed.json() == {"nom": "Atelier Laval", "actif": True}
    assert balance_of(db_session, "Atelier Laval", "CORD-012") == 10  # its stock follows
    # A deactivated workshop keeps its stock, gives it out, and takes no new stock.
    assert client.put(f"{ATELIERS}/Atelier Laval", json={"actif": False}).json()["actif"] is False
    moved = client.post("/inventaire/stock/transferer", json={"de": "Atelier Laval", "vers": "Allan",
                                                              "code_produit": "CORD-012", "quantite": 2})
    assert moved.status_code == 201, moved.text
    before = database_state(db_session)
    back = client.post("/inventaire/stock/transferer", json={"de": "Allan", "vers": "Atelier Laval",
                                                             "code_produit": "CORD-012", "quantite": 1})
    assert back.status_code == 409
    assert back.json()["detail"] == ("L'atelier « Atelier Laval » est désactivé : il ne reçoit plus de stock "
                                     "(réactivez-le d'abord).")
    assert database_state(db_session) == before
    assert [w["nom"] for w in client.get(ATELIERS, params={"actif": "false"}).json()] == ["Atelier Laval"]
    actions = [e.action for e in db_session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "atelier_desactive" in actions


def test_the_api_refuses_a_taken_name_an_empty_one_and_an_unknown_workshop(client, db_session):
    _shop(db_session)
    before = database_state(db_session)
    taken = client.put(f"{ATELIERS}/Atelier", json={"nom": "ALLAN"})
    assert taken.status_code == 409 and taken.json()["detail"] == "Le technicien « ALLAN » existe déjà."
    assert client.put(f"{ATELIERS}/Atelier", json={"nom": None}).status_code == 422
    assert client.put(f"{ATELIERS}/Atelier", json={"nom": ""}).status_code == 422
    assert client.put(f"{ATELIERS}/Garage", json={"actif": False}).status_code == 404
    assert database_state(db_session) == before


def test_the_workshop_page_renames_and_deactivates_it(pages, db_session):
    _shop(db_session)
    make_product(db_session, code_produit="GRAPH-PROT", unite="tube")  # not held: the reception form shows
    db_session.commit()
    page = html.unescape(pages.get("/stock/Atelier").text)
    assert "Recevoir un produit absent de l'atelier" in page and "Seuil de cet atelier" in page
    # The page never calls the workshop a van (the transfer card lists the vans it can send to, as such).
    assert "véhicule" not in page.split("<main")[1].split('id="titre-transfert"')[0]
    assert "de ce véhicule" not in page and "Transférer de cet atelier" in page
    refused = pages.post("/ateliers/Atelier/modifier", data={"csrf": pages.csrf, "nom": "allan", "actif": "oui"})
    assert refused.status_code == 409
    text = html.unescape(refused.text)
    assert "Le technicien «\u00a0allan\u00a0» existe déjà." in text and 'value="allan"' in text  # as typed
    done = pages.post("/ateliers/Atelier/modifier", data={"csrf": pages.csrf, "nom": "Réserve", "actif": "non"},
                      follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/stock/R%C3%A9serve?atelier=desactive#atelier"
    page = html.unescape(pages.get(done.headers["location"]).text)
    assert "Atelier désactivé : son historique reste, il ne reçoit plus de stock." in page
    assert 'href="/stock/R%C3%A9serve">Réserve</a>' in pages.get("/stock").text  # still reachable


def test_the_cli_lists_renames_deactivates_and_reactivates(fresh_database):
    url = fresh_database.url
    with committed(url) as session:
        make_workshop(session, nom="Atelier")
        make_technician(session, nom="Allan")
    renamed = run_cli(url, "ateliers", "rename", "atelier", "Atelier Laval")
    assert renamed.exit_code == 0 and "Atelier « atelier » renommé « Atelier Laval »." in flat(renamed.stdout)
    off = run_cli(url, "ateliers", "deactivate", "Atelier Laval")
    assert off.exit_code == 0 and "désactivé : il ne reçoit plus de stock" in flat(off.stdout)
    listed = run_cli(url, "ateliers", "list")
    assert "Atelier Laval" in listed.stdout and "désactivé" in listed.stdout
    assert run_cli(url, "ateliers", "activate", "Atelier Laval").exit_code == 0
    taken = run_cli(url, "ateliers", "rename", "Atelier Laval", "allan")
    assert taken.exit_code == 2 and "Le technicien « allan » existe déjà." in flat(taken.stderr)
    assert run_cli(url, "ateliers", "deactivate", "Garage").exit_code == 2
