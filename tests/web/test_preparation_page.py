"""« Liste de préparation » and « Préparer » on the pages: the replenishment service's list and its
one-transaction preparation, including a workshop that has less than the van needs."""

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

LIST = "/stock/Allan/preparation"


@pytest.fixture
def van(db_session):
    """Allan: strings 1 (par 6), felt 0,5 m (par 2), pins above par; a request for 2 hammers. The workshop
    has 20 strings, 1 m of felt (less than needed) and 4 hammers."""
    allan, workshop = make_technician(db_session, nom="Allan"), make_workshop(db_session, nom="Atelier")
    make_workshop(db_session, nom="Annexe")
    cord, felt, pin, hammer = (make_product(db_session, code_produit=c, nom_produit=n, unite=u) for c, n, u in (
        ("CORD-012", "Corde no 12", "bobine"), ("FEUT-01", "Feutre rouge", "m"), ("GOUP-01", "Goupilles", "unité"),
        ("MART-01", "Marteau Abel", "unité")))
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(6))
    make_line(db_session, allan, felt, Decimal("0.5"), niveau_par=Decimal(2))
    make_line(db_session, allan, pin, 9, niveau_par=Decimal(5))
    make_line(db_session, workshop, cord, 20)
    make_line(db_session, workshop, felt, 1)
    make_line(db_session, workshop, hammer, 4)
    asked = demandes.create(db_session=db_session, technician=allan, product=hammer, quantity=Decimal(2),
                            note="Steinway de Mme Roy", auteur="Allan")
    db_session.commit()
    return asked.id


def _held(db_session) -> dict[tuple[str, str], Decimal]:
    db_session.expire_all()
    return {(line.emplacement.nom, line.produit.code_produit): line.quantite
            for line in db_session.scalars(select(StockLine))}


def _rows(page: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="feuille" id="liste-preparation">.*?</table>', page, re.S).group(0)
    rows = {}
    for code, row in re.findall(r'<tr data-code="([^"]+)".*?>(.*?)</tr>', table, re.S):
        rows[code] = [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                                                   row, re.S)]
    return rows


def test_the_picking_list_shows_lines_below_par_and_open_requests(pages, van):
    page = pages.get(LIST).text
    assert "Liste de préparation — Allan" in page and "Depuis <strong>Annexe</strong>" in page  # first by name
    page = pages.get(LIST, params={"atelier": "atelier"}).text
    assert "Depuis <strong>Atelier</strong>" in page and "3 lignes à préparer" in page
    rows = _rows(page)
    assert rows == {
        "CORD-012": ["☐", "CORD-012", "Corde no 12", "1", "6", "5 bobines", "20", "Niveau par"],
        "FEUT-01": ["☐", "FEUT-01", "Feutre rouge", "0,5", "2", "1,5 m", "1 (manque 0,5)", "Niveau par"],
        "MART-01": ["☐", "MART-01", "Marteau Abel", "0", "—", "2 unités", "4", f"Demande n° {van} : Steinway de Mme Roy"],
    }
    assert '<tr data-code="FEUT-01" class="court">' in page  # the workshop has less
    assert "data-imprimer" in page and f'action="{LIST}"' in page and 'name="atelier" value="Atelier"' in page


def test_prepare_makes_every_transfer_and_shows_what_could_not_be_served(pages, db_session, van):
    page = pages.get(LIST, params={"atelier": "Atelier"}).text
    key = re.search(r'name="cle" value="([^"]+)"', page).group(1)
    form = {"csrf": pages.csrf, "cle": key, "atelier": "Atelier"}
    response = pages.post(LIST, data=form)
    assert response.status_code == 200, response.text
    done = html.unescape(response.text)
    assert "Préparé : 3 transferts d'Atelier vers Allan" in done
    shortfall = re.search(r'<table id="non-servi">.*?</table>', done, re.S).group(0)
    assert re.search(r"FEUT-01.*?Niveau par.*?1,5.*?1.*?0,5", shortfall, re.S)
    assert "CORD-012" not in shortfall and "MART-01" not in shortfall
    held = _held(db_session)
    assert (held[("Allan", "CORD-012")], held[("Allan", "FEUT-01")], held[("Allan", "MART-01")]) == (6, Decimal("1.5"), 2)
    assert (held[("Atelier", "CORD-012")], held[("Atelier", "FEUT-01")], held[("Atelier", "MART-01")]) == (15, 0, 2)
    db_session.expire_all()
    served = db_session.get(StockRequest, van)
    assert (served.statut, served.quantite_servie, served.atelier.nom) == ("servie", 2, "Atelier")
    # What is left on the list: the felt the workshop did not have.
    assert list(_rows(done)) == ["FEUT-01"]
    # The same form again (a double tap, a reload): the first outcome, nothing more moved.
    before = database_state(db_session)
    again = pages.post(LIST, data=form)
    assert again.status_code == 200 and again.headers.get("idempotent-replayed") == "true"
    assert "Préparé : 3 transferts" in html.unescape(again.text)
    assert database_state(db_session) == before


def test_prepare_from_a_workshop_that_has_nothing(pages, db_session, van):
    before = _held(db_session)
    response = pages.post(LIST, data={"csrf": pages.csrf, "cle": "", "atelier": "Annexe"})
    assert response.status_code == 200
    done = html.unescape(response.text)
    assert "Préparé : 0 transfert d'Annexe vers Allan" in done
    shortfall = re.search(r'<table id="non-servi">.*?</table>', done, re.S).group(0)
    assert all(code in shortfall for code in ("CORD-012", "FEUT-01", "MART-01"))
    assert _held(db_session) == before


def test_a_transfer_refused_midway_leaves_everything_as_it_was(pages, db_session):
    """Every transfer of « Préparer » is in one transaction: one refused undoes those before it."""
    allan, workshop = make_technician(db_session, nom="Allan"), make_workshop(db_session, nom="Atelier")
    first = make_product(db_session, code_produit="AAA-1", unite="bobine")
    full = make_product(db_session, code_produit="ZZZ-1", unite="tube", divisible=False)
    make_line(db_session, allan, first, 1, niveau_par=Decimal(4))
    make_line(db_session, allan, full, Decimal("999999998"))  # a request of 5 would pass the bound
    make_line(db_session, workshop, first, 10)
    make_line(db_session, workshop, full, 10)
    for product in (first, full):  # requests go first, by code: AAA-1 is moved, then ZZZ-1 is refused
        demandes.create(db_session=db_session, technician=allan, product=product, quantity=Decimal(5), note=None,
                        auteur="Allan")
    db_session.commit()
    before = database_state(db_session)
    response = pages.post(LIST, data={"csrf": pages.csrf, "cle": "", "atelier": "Atelier"})
    assert response.status_code == 409
    assert "Quantité trop grande : «\u00a0ZZZ-1\u00a0» passerait à" in html.unescape(response.text)
    assert database_state(db_session) == before


def test_refusals(app, pages, db_session, van):
    workshop_page = pages.get("/stock/Atelier/preparation")
    assert workshop_page.status_code == 422
    assert "«\u00a0Atelier\u00a0» est un atelier : la liste de préparation est celle d'un véhicule." in html.unescape(
        workshop_page.text)
    assert pages.get(LIST, params={"atelier": "Garage"}).status_code == 404
    before = database_state(db_session)
    unknown = pages.post(LIST, data={"csrf": pages.csrf, "cle": "", "atelier": "Garage"})
    assert unknown.status_code == 404 and "Atelier inconnu : «\u00a0Garage\u00a0»." in html.unescape(unknown.text)
    assert database_state(db_session) == before
    from inventaire.techniciens import service as techniciens

    token = make_token(db_session, "technicien", technician=techniciens.get_by_name(db_session=db_session, nom="Allan"))
    with TestClient(app, raise_server_exceptions=False) as phone:
        csrf = log_in(phone, token)
        before = database_state(db_session)
        assert phone.get(LIST).status_code == 403
        assert phone.post(LIST, data={"csrf": csrf, "cle": "", "atelier": "Atelier"}).status_code == 403
        assert database_state(db_session) == before


def test_nothing_to_prepare(pages, db_session):
    make_technician(db_session, nom="Allan")
    make_workshop(db_session, nom="Atelier")
    db_session.commit()
    page = html.unescape(pages.get(LIST).text)
    assert "Rien à préparer : Allan est à son niveau par et n'a pas de demande ouverte." in page
