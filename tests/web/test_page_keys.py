"""One-time keys on every page that changes something (idempotency/pages.py): one behaviour for all.

A resubmission with the same key gets the first answer and writes nothing; a malformed key is
refused (422, in French) with nothing written; no key at all is no protection, as on the API.
"""

from __future__ import annotations

from decimal import Decimal
from html import unescape

import pytest

from inventaire.commandes import service as orders
from inventaire.idempotency.pages import MALFORMED
from tests.helpers import database_state, make_line, make_product, make_technician, make_workshop

HX = {"HX-Request": "true"}


@pytest.fixture
def shop(db_session):
    """Allan below par on a spool the workshop holds; a product he does not carry; a sent order."""
    workshop = make_workshop(db_session, nom="Atelier")
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", unite="bobine",
                        fournisseur="Röslau")
    make_product(db_session, code_produit="CORY-P", nom_produit="Poli Cory", unite="flacon")
    make_line(db_session, allan, cord, 3, niveau_par=Decimal(6))
    make_line(db_session, workshop, cord, 10)
    order = orders.create(db_session=db_session, fournisseur="Röslau", workshop=workshop,
                          lines=[orders.LineIn(cord, Decimal(4), Decimal("12.50"))], auteur="bureau",
                          tz="America/Montreal")
    orders.send(db_session=db_session, order=order)
    db_session.commit()
    return order.id


# (what, path, form, HTMX or a plain form): every page handler that claims a key.
CHANGES = [
    ("use", "/stock/Allan/CORD-012/ajuster", {"sens": "utilisation", "quantite": "1"}, True),
    ("count", "/stock/Allan/CORD-012/compter", {"quantite": "2"}, True),
    ("request from a card", "/stock/Allan/CORD-012/demander", {"quantite": "1"}, True),
    ("first reception", "/stock/Allan/recevoir", {"code_produit": "CORY-P", "quantite": "2", "reference": ""}, False),
    ("request not carried", "/stock/Allan/demander", {"code_produit": "CORY-P", "quantite": "1", "note": ""}, False),
    ("picking list", "/stock/Allan/preparation", {"atelier": "Atelier"}, False),
    ("token", "/acces", {"role": "admin", "technicien": "", "nom": "Poste du bureau"}, False),
    ("order", "/commandes/nouvelle", {"fournisseur": "Röslau", "atelier": "Atelier", "code-0": "CORD-012",
                                      "quantite-0": "1", "prix-0": ""}, False),
    ("order reception", "/commandes/{order}/recevoir", {"recu-CORD-012": "1"}, False),
]
IDS = [change[0] for change in CHANGES]


def _post(pages, order_id, path, form, htmx, key):
    """The change as the page sends it: HTMX puts the key in a header, a plain form in a hidden field."""
    if htmx:
        headers = {**HX, "X-CSRF-Token": pages.csrf, **({"Idempotency-Key": key} if key is not None else {})}
        return pages.post(path.format(order=order_id), headers=headers, data=form, follow_redirects=False)
    return pages.post(path.format(order=order_id), data={**form, "csrf": pages.csrf, "cle": key or ""},
                      follow_redirects=False)


@pytest.mark.parametrize("what, path, form, htmx", CHANGES, ids=IDS)
def test_a_resubmission_gets_the_first_answer_and_writes_nothing(pages, shop, db_session, what, path, form, htmx):
    before = database_state(db_session)
    first = _post(pages, shop, path, form, htmx, "6f1c2a4e-3b5d-4a8e-9c1f-0d2e3f4a5b6c")
    shown_in_place = htmx or what in ("picking list", "token")  # the others redirect to where it went
    assert first.status_code == (200 if shown_in_place else 303), first.text
    after = database_state(db_session)
    assert after != before  # the first one wrote
    again = _post(pages, shop, path, form, htmx, "6f1c2a4e-3b5d-4a8e-9c1f-0d2e3f4a5b6c")
    assert again.headers["idempotent-replayed"] == "true"
    assert database_state(db_session) == after
    if what == "token":  # the secret is shown once: the replay names the token instead
        assert again.status_code == 303 and again.headers["location"].startswith("/acces?avis=deja&n=")
    elif first.status_code == 303:
        assert (again.status_code, again.headers["location"]) == (303, first.headers["location"])
    else:
        assert (again.status_code, again.text) == (200, first.text)


@pytest.mark.parametrize("key", ["deux mots", "x" * 201])  # a space; too long
@pytest.mark.parametrize("what, path, form, htmx", CHANGES, ids=IDS)
def test_a_malformed_key_is_refused_in_french_and_nothing_changes(pages, shop, db_session, what, path, form,
                                                                  htmx, key):
    before = database_state(db_session)
    response = _post(pages, shop, path, form, htmx, key)
    assert response.status_code == 422
    assert MALFORMED in unescape(response.text)
    assert database_state(db_session) == before


def test_the_same_key_with_another_form_is_refused(pages, shop, db_session):
    path, form = "/stock/Allan/recevoir", {"code_produit": "CORY-P", "quantite": "2", "reference": ""}
    assert _post(pages, shop, path, form, False, "k-1").status_code == 303
    before = database_state(db_session)
    other = _post(pages, shop, path, {**form, "quantite": "3"}, False, "k-1")
    assert other.status_code == 422 and "a déjà servi pour une autre requête" in unescape(other.text)
    assert database_state(db_session) == before


def test_without_a_key_each_submission_writes(pages, shop, db_session):
    path, form = "/stock/Allan/CORD-012/ajuster", {"sens": "utilisation", "quantite": "1"}
    before = database_state(db_session)
    assert _post(pages, shop, path, form, True, None).status_code == 200
    assert _post(pages, shop, path, form, True, None).status_code == 200
    after = database_state(db_session)
    assert after["rows"]["transactions_inventaire"] == before["rows"]["transactions_inventaire"] + 2
