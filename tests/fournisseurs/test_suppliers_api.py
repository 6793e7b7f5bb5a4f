"""Suppliers over HTTP, products naming them, and their page."""

from sqlalchemy import func, select

from inventaire.catalogue.models import Product
from inventaire.fournisseurs.models import Supplier

ROSLAU = {"nom": "Röslau", "courriel": "commandes@roslau.example", "telephone": "514 555-0199", "delai_jours": 10,
          "minimum_commande": 150, "notes": "Cordes et fil de basse"}


def rows(db_session) -> list[tuple]:
    db_session.expire_all()
    return [tuple(r) for r in db_session.execute(select(Supplier.nom, Supplier.courriel, Supplier.delai_jours)
                                                 .order_by(Supplier.nom_cle))]


def test_create_read_list_and_update(client, db_session):
    created = client.post("/inventaire/fournisseurs", json=ROSLAU)
    assert created.status_code == 201, created.text
    assert created.json() == ROSLAU
    assert client.get("/inventaire/fournisseurs/ROSLAU").json()["nom"] == "Röslau"  # case and accents aside
    client.post("/inventaire/fournisseurs", json={"nom": "Mapes"})
    assert [s["nom"] for s in client.get("/inventaire/fournisseurs").json()] == ["Mapes", "Röslau"]
    changed = client.put("/inventaire/fournisseurs/roslau", json={"delai_jours": 14, "courriel": None})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {**ROSLAU, "delai_jours": 14, "courriel": None}
    assert rows(db_session) == [("Mapes", None, None), ("Röslau", None, 14)]


def test_a_name_taken_whatever_its_case_or_accents_is_409_and_nothing_changes(client, db_session):
    client.post("/inventaire/fournisseurs", json=ROSLAU)
    client.post("/inventaire/fournisseurs", json={"nom": "Mapes"})
    before = rows(db_session)
    for name in ("röslau", "ROSLAU", "  Roslau "):
        refused = client.post("/inventaire/fournisseurs", json={"nom": name})
        assert refused.status_code == 409
        assert "existe déjà sous le nom « Röslau »" in refused.json()["detail"]
    renamed = client.put("/inventaire/fournisseurs/Mapes", json={"nom": "RÖSLAU"})
    assert renamed.status_code == 409 and "« Röslau »" in renamed.json()["detail"]
    assert rows(db_session) == before


def test_bad_input_is_a_french_422_and_nothing_changes(client, db_session):
    client.post("/inventaire/fournisseurs", json=ROSLAU)
    before = rows(db_session)
    for body in ({"nom": "X", "courriel": "pas une adresse"}, {"nom": "X", "delai_jours": -1},
                 {"nom": "X", "delai_jours": 400}, {"nom": "   "}, {"nom": "X", "minimum_commande": -5}):
        response = client.post("/inventaire/fournisseurs", json=body)
        assert response.status_code == 422, body
        detail = response.json()["detail"]
        assert all(e["msg"] for e in detail) if isinstance(detail, list) else detail
    assert client.put("/inventaire/fournisseurs/Röslau", json={"nom": None}).status_code == 422
    assert client.put("/inventaire/fournisseurs/Inconnu", json={"delai_jours": 3}).status_code == 404
    assert "Fournisseur inconnu : « Inconnu »" in client.get("/inventaire/fournisseurs/Inconnu").json()["detail"]
    assert rows(db_session) == before


def test_a_product_names_its_supplier_and_an_unknown_name_becomes_one(client, db_session):
    client.post("/inventaire/fournisseurs", json=ROSLAU)
    product = {"code_produit": "CORD-001", "nom_produit": "Corde #1", "fournisseur": "ROSLAU"}
    created = client.post("/inventaire/catalogue", json=product)
    assert created.status_code == 201 and created.json()["fournisseur"] == "Röslau"  # the supplier's own spelling
    moved = client.put("/inventaire/catalogue/CORD-001", json={"fournisseur": "Pianotek"})
    assert moved.json()["fournisseur"] == "Pianotek"
    assert [s["nom"] for s in client.get("/inventaire/fournisseurs").json()] == ["Pianotek", "Röslau"]
    assert client.get("/inventaire/fournisseurs/pianotek").json()["delai_jours"] is None
    cleared = client.put("/inventaire/catalogue/CORD-001", json={"fournisseur": None})
    assert cleared.json()["fournisseur"] is None
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(Product).where(Product.fournisseur_id.is_not(None))) == 0


def test_the_office_manages_suppliers_on_their_page(pages, db_session):
    menu = pages.get("/").text
    assert '<a href="/fournisseurs"' in menu
    form = {"nom": "Röslau", "courriel": "commandes@roslau.example", "telephone": "", "delai_jours": "10",
            "minimum_commande": "150,00", "notes": "", "csrf": pages.csrf}
    added = pages.post("/fournisseurs/nouveau", data=form, follow_redirects=True)
    assert added.status_code == 200 and "Fournisseur «\u00a0Röslau\u00a0» ajouté." in added.text
    assert "commandes@roslau.example" in added.text and "10 jours" in added.text and "150,00" in added.text
    again = pages.post("/fournisseurs/nouveau", data={**form, "nom": "ROSLAU"})
    assert again.status_code == 409 and "existe déjà sous le nom «\u00a0Röslau\u00a0»" in again.text
    bad = pages.post("/fournisseurs/R%C3%B6slau/modifier", data={**form, "delai_jours": "beaucoup"})
    assert bad.status_code == 422 and 'value="beaucoup"' in bad.text
    edited = pages.post("/fournisseurs/R%C3%B6slau/modifier", data={**form, "delai_jours": "12", "courriel": ""},
                        follow_redirects=True)
    assert "Fournisseur «\u00a0Röslau\u00a0» modifié." in edited.text
    assert rows(db_session) == [("Röslau", None, 12)]
