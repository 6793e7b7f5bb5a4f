"""Issue 25 point 14: French details on the pages and in messages.

Elision before a name, digit grouping in counts and bounds, units agreeing with their number,
no-break spaces inside « », one word for the van, the order suggestion's quantities as a person
orders them, units on « Manque » and « Reçu ».
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from inventaire.commandes import service as orders
from inventaire.demo.loader import load_demo
from inventaire.kit.errors import french_message
from inventaire.kit.names import de
from inventaire.kit.quantities import count
from inventaire.kit.schemas import NonNegativeQuantityIn, QuantityIn
from tests.helpers import make_line, make_product, make_technician

NBSP = "\u00a0"


@pytest.mark.parametrize(("nom", "expected"), [
    ("Allan", "d'Allan"), ("Atelier", "d'Atelier"), ("Éric", "d'Éric"), ("Hélène", "d'Hélène"),
    ("Ursule", "d'Ursule"), ("Yves", "d'Yves"), ("Marc", "de Marc"), ("Jean-Philippe", "de Jean-Philippe"),
    ("Œuvre", "de Œuvre"), ("3e atelier", "de 3e atelier"),
])
def test_de_elides_before_a_vowel_or_h(nom, expected):
    assert de(nom) == expected


def test_counts_and_bounds_are_grouped_and_the_huge_bound_is_positive():
    assert count(2522, "transaction") == f"2{NBSP}522 transactions"
    assert count(1, "alerte") == "1 alerte" and count(1000000, "ligne") == f"1{NBSP}000{NBSP}000 lignes"
    for kind in (QuantityIn, NonNegativeQuantityIn):
        model = type("M", (BaseModel,), {"__annotations__": {"q": kind}})
        for huge in (Decimal("1e12"), Decimal("-1e12")):
            with pytest.raises(ValidationError) as refused:
                model(q=huge)
            message = french_message(refused.value.errors()[0])
            assert f"au plus 999{NBSP}999{NBSP}999,999" in message and "-999" not in message and "−" not in message


@pytest.fixture
def demo(db_session):
    load_demo(db_session=db_session)
    db_session.commit()


def _text(response) -> str:
    assert response.status_code == 200, response.text[:300]
    return html.unescape(re.sub(r"<script.*?</script>", "", response.text, flags=re.S))


def test_main_pages_have_no_break_spaces_inside_guillemets_and_say_vehicule(pages, db_session, demo):
    paths = ["/", "/stock", "/stock/Allan", "/stock/Atelier", "/stock/Allan/preparation", "/catalogue",
             "/transactions", "/regles", "/acces", "/commandes", "/commandes/suggestion?atelier=Atelier", "/gazelle",
             "/deductions", "/techniciens", "/techniciens/nouveau", "/fournisseurs", "/chargements", "/entretiens-pls",
             "/verifications", "/evolution", "/modifications"]
    for path in paths:
        text = _text(pages.get(path))
        assert "« " not in text and " »" not in text, (path, re.findall(r".{20}(?:« | »).{20}", text)[:3])
        assert "camion" not in text.lower(), path
    page = _text(pages.get("/stock/Allan/preparation"))
    assert "← Stock d'Allan" in page and "transfère d'Atelier ce qu'il a" in page


def test_suggestion_quantities_read_as_ordered(pages, db_session, demo):
    page = pages.get("/commandes/suggestion", params={"atelier": "Atelier"}).text
    typed = re.findall(r'name="quantite-\d+" value="([^"]*)"', page)
    assert typed, "the demo suggests something to order"
    for value in typed:
        assert re.fullmatch(r"[0-9\u00a0]+(,[0-9])?", value), value  # « 3 », « 2,5 »: never « 3,000 »
    shown = re.findall(r'<td class="nombre"[^>]*>([^<]*)<', page)
    assert shown and not [v for v in shown if re.search(r",[0-9]{2}", v)]  # the forecast too: « 37,4 », not « 37,392 »


def test_units_agree_on_cards_and_on_manque_and_recu(pages, db_session):
    tech = make_technician(db_session, nom="Éric")
    spool = make_product(db_session, code_produit="CORD-X", nom_produit="Corde", unite="bobine", divisible=False)
    pads = make_product(db_session, code_produit="BUV-X", nom_produit="Buvard", unite="unité", divisible=False)
    make_line(db_session, tech, spool, 1)
    make_line(db_session, tech, pads, 48)
    db_session.commit()
    van = _text(pages.get("/stock/Éric"))
    assert re.search(r'48</output>\s*<span class="unite">unités ', van)
    assert re.search(r'1</output>\s*<span class="unite">bobine ', van)
    load_demo(db_session=db_session)
    order = next(o for o in orders.list_orders(db_session=db_session) if o.fournisseur == "Dampp-Chaser")
    line = order.lignes[0]
    orders.receive(db_session=db_session, order=order, lines=[(line.produit, Decimal(2))], auteur="bureau")
    db_session.commit()
    shown = _text(pages.get(f"/commandes/{order.id}"))
    received = re.search(rf'<tr id="ligne-{line.produit.code_produit}">.*?</tr>', shown, re.S)
    assert received and "<td class=\"nombre\">2 jeux</td>" in received.group(0)  # « Reçu », PLS-BUVARDS counts in « jeu »
