"""« Commandes » pages through TestClient: the list, a draft from the suggestion, editing it, sending,
receiving per line, refusals in French with nothing changed; the PDF's text and the CSV."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from inventaire.commandes.models import Order
from inventaire.stock.models import StockLine, Transaction
from tests.helpers import balance_of, database_state, make_line, make_product, make_technician, make_workshop

NBSP = "\u00a0"


@pytest.fixture
def shop(db_session):
    """Allan short of par on two Röslau spools and a felt without a supplier; the workshop holds 1 spool."""
    workshop = make_workshop(db_session, nom="Atelier")
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde d'acier no 12 « aigu »",
                        unite="bobine", fournisseur="Röslau", divisible=False, prix_unitaire=Decimal("1218.50"))
    pin = make_product(db_session, code_produit="CHEV-7-0", nom_produit="Cheville d'accord — 7,0 mm",
                       fournisseur="Röslau", divisible=False, prix_unitaire=Decimal("0.95"))
    felt = make_product(db_session, code_produit="FEUT-01", nom_produit="Feutre", unite="m", fournisseur=None)
    make_line(db_session, allan, cord, 1, niveau_par=Decimal(4))
    make_line(db_session, allan, pin, 0, niveau_par=Decimal(24))
    make_line(db_session, allan, felt, 0, niveau_par=Decimal(2))
    make_line(db_session, workshop, cord, 1)
    db_session.commit()
    return workshop


def _key(html: str, form_id: str | None = None) -> str:
    start = html.index(f'id="{form_id}"') if form_id else 0
    return re.search(r'name="cle" value="([^"]+)"', html[start:]).group(1)


def _order(db_session) -> Order:
    db_session.expire_all()
    return db_session.scalars(select(Order).order_by(Order.id.desc())).first()


def _from_suggestion(pages) -> tuple[str, dict]:
    page = pages.get("/commandes/suggestion", params={"atelier": "Atelier"})
    assert page.status_code == 200, page.text
    html = page.text
    assert "Röslau" in html and 'id="sans-fournisseur"' in html and "FEUT-01" in html
    form = {"csrf": pages.csrf, "cle": _key(html), "fournisseur": "Röslau", "atelier": "Atelier",
            "code-0": "CHEV-7-0", "quantite-0": "24", "prix-0": "0,95",
            "code-1": "CORD-012", "quantite-1": "2", "prix-1": "1218,50"}
    return html, form


def test_office_navigation_links_the_orders_page(pages, shop):
    html = pages.get("/commandes").text
    assert '<a href="/commandes" aria-current="page">Commandes</a>' in html
    assert "Aucune commande." in html and 'action="/commandes/suggestion"' in html


def test_a_draft_from_the_suggestion_edited_sent_and_received(pages, shop, db_session):
    html, form = _from_suggestion(pages)
    # CORD-012: 3 short of par + the workshop's reserve 6 (just above the default threshold) − its 1
    assert 'name="quantite-1" value="8"' in html
    created = pages.post("/commandes/nouvelle", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text
    again = pages.post("/commandes/nouvelle", data=form, follow_redirects=False)  # a double click: one order
    assert again.headers["location"] == created.headers["location"]
    order = _order(db_session)
    assert (order.statut, len(db_session.scalars(select(Order)).all())) == ("brouillon", 1)
    page = pages.get(created.headers["location"])
    assert "Brouillon créé" in page.text and f"Bon de commande {order.numero}" in page.text
    assert "2 437,00 $" in page.text.replace(NBSP, " ")  # 2 × 1 218,50

    edit = {"csrf": pages.csrf, "fournisseur": "Röslau", "atelier": "Atelier", "code-0": "CHEV-7-0",
            "quantite-0": "0", "prix-0": "0,95", "code-1": "CORD-012", "quantite-1": "3", "prix-1": "1200",
            "code-nouveau": "FEUT-01", "quantite-nouveau": "1,5", "prix-nouveau": ""}
    assert pages.post(f"/commandes/{order.id}/modifier", data=edit, follow_redirects=False).status_code == 303
    order = _order(db_session)
    assert [(x.produit.code_produit, x.quantite, x.prix_unitaire) for x in order.lignes] == [
        ("CORD-012", 3, Decimal("1200.00")), ("FEUT-01", Decimal("1.5"), Decimal("10.00"))]

    assert pages.post(f"/commandes/{order.id}/envoyer", data={"csrf": pages.csrf},
                      follow_redirects=False).status_code == 303
    page = pages.get(f"/commandes/{order.id}").text
    receive = {"csrf": pages.csrf, "cle": _key(page, "recevoir"), "recu-CORD-012": "2", "recu-FEUT-01": ""}
    assert pages.post(f"/commandes/{order.id}/recevoir", data=receive, follow_redirects=False).status_code == 303
    assert pages.post(f"/commandes/{order.id}/recevoir", data=receive, follow_redirects=False).status_code == 303
    assert (_order(db_session).statut, balance_of(db_session, "Atelier", "CORD-012")) == ("partielle", 3)  # once: 1 + 2
    page = pages.get(f"/commandes/{order.id}").text
    rest = {"csrf": pages.csrf, "cle": _key(page, "recevoir"), "recu-CORD-012": "1", "recu-FEUT-01": "1,5"}
    assert pages.post(f"/commandes/{order.id}/recevoir", data=rest, follow_redirects=False).status_code == 303
    assert _order(db_session).statut == "recue"
    refs = {t.reference for t in db_session.scalars(select(Transaction).where(Transaction.type == "reception"))
            if t.emplacement.nom == "Atelier" and t.created_at >= order.created_at}
    assert refs == {order.numero}
    listed = pages.get("/commandes", params={"statut": "recue"}).text
    assert order.numero in listed and "Reçue" in listed


def test_refusals_say_why_in_french_and_change_nothing(pages, shop, db_session):
    _html, form = _from_suggestion(pages)
    before = database_state(db_session)
    for change, status, message in (  # 422: what was typed cannot be read; 409: it contradicts a rule
        ({"fournisseur": " "}, 422, "Fournisseur : indiquez à qui la commande est passée."),
        ({"quantite-1": "deux"}, 422, "Quantité de «\u00a0CORD-012\u00a0» : un nombre positif est attendu"),
        ({"quantite-1": "1,5"}, 409, "«\u00a0CORD-012\u00a0» se compte en unités entières (bobine) : 1,5 refusé."),
        ({"code-1": "CHEV-7-0"}, 409, "«\u00a0CHEV-7-0\u00a0» figure deux fois dans la commande"),
        ({"quantite-0": "0", "quantite-1": ""}, 422, "Une commande a au moins une ligne."),
    ):
        refused = pages.post("/commandes/nouvelle", data={**form, **change}, follow_redirects=False)
        assert refused.status_code == status and message in refused.text.replace("&#39;", "'").replace(
            "&#34;", '"'), (change, refused.text[:300])
    assert database_state(db_session) == before

    pages.post("/commandes/nouvelle", data=form)
    order = _order(db_session)
    pages.post(f"/commandes/{order.id}/envoyer", data={"csrf": pages.csrf})
    page = pages.get(f"/commandes/{order.id}").text
    before = database_state(db_session)
    over = pages.post(f"/commandes/{order.id}/recevoir",
                      data={"csrf": pages.csrf, "cle": _key(page, "recevoir"), "recu-CORD-012": "3",
                            "recu-CHEV-7-0": "24"})
    assert over.status_code == 409
    assert "Réception refusée : «\u00a0CORD-012\u00a0» : commandé 2 bobines" in over.text
    assert "Rien n&#39;a été enregistré" in over.text
    cancel = pages.post(f"/commandes/{order.id}/annuler", data={"csrf": pages.csrf})
    assert cancel.status_code == 409 and "seul un brouillon s&#39;annule" in cancel.text
    assert pages.post(f"/commandes/{order.id}/envoyer").status_code == 403  # no CSRF token
    assert database_state(db_session) == before and _order(db_session).statut == "envoyee"


def test_the_pdf_and_the_csv(pages, shop, db_session, app):
    app.state.settings = app.state.settings.model_copy(update={
        "entreprise": "Pianos Tremblay inc.", "entreprise_coordonnees": "1234, rue Saint-Denis, Montréal | 514 555-0100"})
    _html, form = _from_suggestion(pages)
    pages.post("/commandes/nouvelle", data=form)
    order = _order(db_session)
    answer = pages.get(f"/commandes/{order.id}/pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == f'inline; filename="{order.numero}.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages).replace(NBSP, " ")
    for expected in ("Pianos Tremblay inc.", "1234, rue Saint-Denis, Montréal", f"Bon de commande {order.numero}",
                     "Fournisseur : Röslau", "Livrer à : Pianos Tremblay inc., Atelier",
                     "CHEV-7-0 Cheville d'accord - 7,0 mm 24 unités 0,95 $ 22,80 $",  # « — » is not in latin-1
                     "CORD-012 Corde d'acier no 12 « aigu » 2 bobines 1 218,50 $ 2 437,00 $",
                     "Total : 2 459,80 $", "(brouillon)"):
        assert expected in text, (expected, text)

    csv = pages.get(f"/commandes/{order.id}/csv")
    assert csv.headers["content-disposition"] == f'attachment; filename="{order.numero}.csv"'
    rows = [r.split(";") for r in csv.content.decode("utf-8-sig").splitlines()]
    assert rows[0] == ["Commande", "Fournisseur", "Code produit", "Produit", "Quantité", "Unité", "Prix unitaire",
                       "Total", "Reçu"]
    assert rows[1:] == [
        [order.numero, "Röslau", "CHEV-7-0", "Cheville d'accord — 7,0 mm", "24", "unité", "0,95", "22,80", "0"],
        [order.numero, "Röslau", "CORD-012", "Corde d'acier no 12 « aigu »", "2", "bobine", "1218,50", "2437,00", "0"],
        [order.numero, "Röslau", "", "Total", "", "", "", "2459,80", ""],
    ]
    page = pages.get(f"/commandes/{order.id}").text
    assert "Pianos Tremblay inc." in page and "data-imprimer" in page
    assert pages.get("/commandes/999999/pdf").status_code == 404


def test_a_technician_may_not_see_the_orders(app, db_session, shop):
    from fastapi.testclient import TestClient

    from tests.helpers import log_in, make_token

    allan = next(t for t in db_session.scalars(select(StockLine)) if t.emplacement.nom == "Allan").emplacement
    with TestClient(app, raise_server_exceptions=False) as phone:
        log_in(phone, make_token(db_session, "technicien", technician=allan))
        assert phone.get("/commandes").status_code == 403
        assert phone.get("/commandes/suggestion", params={"atelier": "Atelier"}).status_code == 403


def test_a_refused_reception_keeps_what_was_typed(pages, shop, db_session):
    _html, form = _from_suggestion(pages)
    pages.post("/commandes/nouvelle", data=form)
    order = _order(db_session)
    pages.post(f"/commandes/{order.id}/envoyer", data={"csrf": pages.csrf})
    refused = pages.post(f"/commandes/{order.id}/recevoir",
                         data={"csrf": pages.csrf, "recu-CORD-012": "9", "recu-CHEV-7-0": "1"})
    assert refused.status_code == 409
    assert 'name="recu-CORD-012"' in refused.text and 'value="9"' in refused.text and 'value="1"' in refused.text


def test_a_refused_draft_edit_keeps_what_was_typed_and_changes_nothing(pages, shop, db_session):
    _html, form = _from_suggestion(pages)
    pages.post("/commandes/nouvelle", data=form)
    order = _order(db_session)
    before = database_state(db_session)
    edit = {"csrf": pages.csrf, "fournisseur": "Röslau", "atelier": "Atelier", "code-0": "CHEV-7-0",
            "quantite-0": "12", "prix-0": "0,95", "code-1": "CORD-012", "quantite-1": "deux", "prix-1": "1200",
            "code-nouveau": "FEUT-01", "quantite-nouveau": "1,5", "prix-nouveau": "9,90"}
    refused = pages.post(f"/commandes/{order.id}/modifier", data=edit)
    assert refused.status_code == 422
    assert "Quantité de «\u00a0CORD-012\u00a0» : un nombre positif est attendu" in refused.text.replace("&#34;", '"')
    for name, typed in (("fournisseur", "Röslau"), ("quantite-0", "12"), ("quantite-1", "deux"), ("prix-1", "1200"),
                        ("quantite-nouveau", "1,5"), ("prix-nouveau", "9,90")):
        assert f'name="{name}" value="{typed}"' in refused.text, name
    assert '<option value="FEUT-01" selected>' in refused.text
    assert database_state(db_session) == before
    page = pages.get(f"/commandes/{order.id}").text  # nothing was kept: the stored draft again
    assert 'name="quantite-1" value="2"' in page and 'name="quantite-nouveau" value=""' in page
