"""The catalogue page: search, filter, add, edit, archive, restore; French messages per field."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from inventaire.catalogue.models import Product
from tests.helpers import make_product


def _product(db_session, code):
    db_session.expire_all()
    return db_session.scalar(select(Product).where(Product.code_produit == code))


def _form(**fields):
    base = {"code_produit": "CORD-099", "nom_produit": "Corde no 99", "categorie": "Cordes", "unite": "bobine",
            "prix_unitaire": "18,50", "prix_vente": "", "fournisseur": "", "seuil_reorder": "2"}
    base.update(fields)
    return base


def _field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="erreur-champ" id="e-{field}">([^<]*)</p>', html)
    assert match, f"no message next to {field}"
    return match.group(1)


def test_search_and_filter(pages, db_session):
    make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", categorie="Cordes")
    make_product(db_session, code_produit="FEUT-ETOUF", nom_produit="Feutre d'étouffoir", categorie="Feutres")
    make_product(db_session, code_produit="OLD-1", nom_produit="Vieille corde", categorie="Cordes", actif=False)
    db_session.commit()
    html = pages.get("/catalogue").text
    assert "CORD-012" in html and "FEUT-ETOUF" in html and "OLD-1" not in html
    assert "CORD-012" not in pages.get("/catalogue", params={"q": "feutre"}).text
    assert "FEUT-ETOUF" in pages.get("/catalogue", params={"q": "etouffoir feutre"}).text  # accents, word order
    only_strings = pages.get("/catalogue", params={"categorie": "Cordes"}).text
    assert "CORD-012" in only_strings and "FEUT-ETOUF" not in only_strings
    archived = pages.get("/catalogue", params={"statut": "archives"}).text
    assert "OLD-1" in archived and "CORD-012" not in archived
    assert "OLD-1" in pages.get("/catalogue", params={"statut": "tous", "q": "corde"}).text


def test_live_search_answers_with_the_list_only(pages, db_session):
    make_product(db_session, code_produit="CORD-012")
    db_session.commit()
    fragment = pages.get("/catalogue", params={"q": "cord"}, headers={"HX-Request": "true", "HX-Target": "produits"})
    assert fragment.text.lstrip().startswith('<section id="produits"') and "CORD-012" in fragment.text


def test_add_a_product_with_a_french_decimal(pages, db_session):
    response = pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form()})
    assert response.status_code == 200 and "Produit «\u00a0CORD-099\u00a0» ajouté." in response.text
    product = _product(db_session, "CORD-099")
    assert product.prix_unitaire == Decimal("18.50") and product.seuil_reorder == 2 and product.prix_vente is None


def test_bad_price_gets_a_french_message_next_to_the_field(pages, db_session):
    for price, message in [("abc", "doit être un nombre (ex. : 12,50)"), ("-3", "doit être supérieur ou égal à 0"),
                           ("1,234", "au plus 2 décimales"), ("nan", "doit être un nombre fini")]:
        response = pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form(prix_unitaire=price)})
        assert response.status_code == 422, price
        assert _field_error(response.text, "prix_unitaire") == message
        assert f'value="{price}"' in response.text  # what was typed stays in the field
    assert _product(db_session, "CORD-099") is None


def test_missing_name_and_bad_code(pages, db_session):
    response = pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form(code_produit="a b", nom_produit=" ")})
    assert response.status_code == 422
    assert "sans espace" in _field_error(response.text, "code_produit")
    assert _field_error(response.text, "nom_produit") == "champ obligatoire"
    assert db_session.scalar(select(func.count(Product.id))) == 0


def test_duplicate_code_is_shown_on_the_code_field(pages, db_session):
    make_product(db_session, code_produit="CORD-099")
    db_session.commit()
    response = pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form()})
    assert response.status_code == 409
    assert _field_error(response.text, "code_produit") == "Le code produit «\u00a0CORD-099\u00a0» existe déjà."


def test_edit_changes_and_clears_fields(pages, db_session):
    make_product(db_session, code_produit="CORD-099", prix_vente=Decimal("30"), fournisseur="Röslau")
    db_session.commit()
    form = pages.get("/catalogue/CORD-099/modifier").text
    assert 'value="Röslau"' in form and "readonly" in form
    response = pages.post("/catalogue/CORD-099/modifier", data={
        "csrf": pages.csrf, **_form(nom_produit="Corde renommée", prix_unitaire="20", prix_vente="", fournisseur="")})
    assert "Produit «\u00a0CORD-099\u00a0» modifié." in response.text
    product = _product(db_session, "CORD-099")
    assert (product.nom_produit, product.prix_unitaire, product.prix_vente, product.fournisseur) == (
        "Corde renommée", Decimal("20.00"), None, None)


def test_divisible_follows_the_unit_unless_chosen(pages, db_session):
    new_form = pages.get("/catalogue/nouveau").text
    assert 'name="divisible"' in new_form and "Selon l'unité" in new_form
    pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form(code_produit="FEUT-1", unite="m")})
    pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form(code_produit="MART-1", unite="unité")})
    pages.post("/catalogue/nouveau", data={"csrf": pages.csrf, **_form(code_produit="SACH-1", unite="unité",
                                                                          divisible="true")})
    assert [_product(db_session, code).divisible for code in ("FEUT-1", "MART-1", "SACH-1")] == [True, False, True]
    edit = pages.get("/catalogue/MART-1/modifier").text
    assert '<option value="false" selected>' in edit and "Selon l'unité" not in edit
    pages.post("/catalogue/MART-1/modifier", data={"csrf": pages.csrf, **_form(unite="unité", divisible="true")})
    assert _product(db_session, "MART-1").divisible is True


def test_a_bad_divisible_choice_is_refused_next_to_the_field(pages, db_session):
    make_product(db_session, code_produit="CORD-099", unite="unité", divisible=False)
    db_session.commit()
    response = pages.post("/catalogue/CORD-099/modifier", data={"csrf": pages.csrf, **_form(divisible="peut-être")})
    assert response.status_code == 422
    assert _field_error(response.text, "divisible") == "choisissez «\u00a0Permises\u00a0» ou «\u00a0Refusées\u00a0»"
    assert _product(db_session, "CORD-099").divisible is False


def test_edit_refuses_a_bad_price_and_changes_nothing(pages, db_session):
    make_product(db_session, code_produit="CORD-099", prix_unitaire=Decimal("10"))
    db_session.commit()
    response = pages.post("/catalogue/CORD-099/modifier", data={"csrf": pages.csrf, **_form(prix_unitaire="dix", nom_produit="")})
    assert response.status_code == 422
    assert _field_error(response.text, "prix_unitaire").startswith("doit être un nombre")
    assert _field_error(response.text, "nom_produit") == "champ obligatoire"
    product = _product(db_session, "CORD-099")
    assert product.prix_unitaire == Decimal("10.00") and product.nom_produit != ""


def test_archive_and_restore(pages, db_session):
    make_product(db_session, code_produit="CORD-099")
    db_session.commit()
    response = pages.post("/catalogue/CORD-099/archiver", data={"csrf": pages.csrf})
    assert "archivé" in response.text and _product(db_session, "CORD-099").actif is False
    assert "CORD-099" not in pages.get("/catalogue").text
    response = pages.post("/catalogue/CORD-099/restaurer", data={"csrf": pages.csrf})
    assert "restauré" in response.text and _product(db_session, "CORD-099").actif is True


def test_text_is_escaped(pages, db_session):
    make_product(db_session, code_produit="XSS-1", nom_produit="<script>alert(1)</script>")
    db_session.commit()
    html = pages.get("/catalogue").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
