"""The company's name and address: stored in one row, the settings as defaults, audited (service and API)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from inventaire.audit.models import AuditEntry
from inventaire.commandes import courriel
from inventaire.commandes import service as orders
from inventaire.entreprise import service as company
from inventaire.entreprise.models import Company
from inventaire.fournisseurs import service as suppliers
from tests.helpers import database_state, make_product, make_workshop

TREMBLAY = {"nom": "Pianos Tremblay inc.", "adresse": ["1234, rue Saint-Denis", "Montréal (Québec)  H2X 3K2"],
            "telephone": "514 555-0100", "courriel": "bureau@pianos-tremblay.example"}


def test_the_settings_are_the_defaults_until_the_office_saves(db_session, settings):
    assert company.needs_asking(db_session=db_session, settings=settings)
    default = company.identity(db_session=db_session, settings=settings)
    assert (default.nom, default.lignes, default.enregistree) == ("Inventaire", (), False)
    told = settings.model_copy(update={"entreprise": "Pianos Tremblay", "entreprise_coordonnees": "Montréal | 514"})
    assert not company.needs_asking(db_session=db_session, settings=told)  # set by the environment: not asked
    assert company.identity(db_session=db_session, settings=told).lignes == ("Montréal", "514")

    company.save(db_session=db_session, data=TREMBLAY)
    db_session.commit()
    stored = company.identity(db_session=db_session, settings=told)
    assert stored.nom == "Pianos Tremblay inc." and stored.enregistree
    assert stored.lignes == ("1234, rue Saint-Denis", "Montréal (Québec)  H2X 3K2", "Tél. : 514 555-0100",
                             "Courriel : bureau@pianos-tremblay.example")
    assert not company.needs_asking(db_session=db_session, settings=settings)


def test_a_second_save_replaces_the_one_row_and_each_save_is_audited(db_session):
    company.save(db_session=db_session, data=TREMBLAY)
    db_session.commit()
    company.save(db_session=db_session, data={"nom": "Pianos Tremblay et fils", "telephone": "514 555-0101"})
    db_session.commit()
    rows = db_session.scalars(select(Company)).all()
    assert [(r.id, r.nom, r.adresse, r.telephone, r.courriel) for r in rows] == [
        (1, "Pianos Tremblay et fils", None, "514 555-0101", None)]
    trail = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "entreprise_modifiee")
                               .order_by(AuditEntry.id)).all()
    assert len(trail) == 2 and {t.objet for t in trail} == {"entreprise"}
    assert trail[0].changements["nom"] == [None, "Pianos Tremblay inc."]
    assert trail[1].changements == {"nom": ["Pianos Tremblay inc.", "Pianos Tremblay et fils"],
                                    "adresse": ["1234, rue Saint-Denis\nMontréal (Québec)  H2X 3K2", None],
                                    "telephone": ["514 555-0100", "514 555-0101"],
                                    "courriel": ["bureau@pianos-tremblay.example", None]}


def test_the_order_email_is_signed_with_the_stored_company(db_session, settings):
    company.save(db_session=db_session, data=TREMBLAY)
    supplier = suppliers.create(db_session=db_session, data={"nom": "Röslau", "courriel": "commandes@roslau.example"})
    product = make_product(db_session, code_produit="CORD-012", fournisseur="Röslau")
    order = orders.create(db_session=db_session, fournisseur="Röslau", workshop=make_workshop(db_session, nom="Atelier"),
                          lines=[orders.LineIn(product=product, quantite=Decimal(2), prix_unitaire=Decimal("3.00"))],
                          auteur="bureau", tz=settings.tz)
    db_session.commit()
    identity = company.identity(db_session=db_session, settings=settings)
    mail, _sent = courriel.message(order=order, supplier=supplier, settings=settings, entreprise=identity)
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == f"Bon de commande {order.numero} — Pianos Tremblay inc."
    assert "à livrer à Pianos Tremblay inc., Atelier." in body
    assert body.rstrip().endswith("Pianos Tremblay inc.\n1234, rue Saint-Denis\nMontréal (Québec)  H2X 3K2\n"
                                  "Tél. : 514 555-0100\nCourriel : bureau@pianos-tremblay.example")


def test_the_api_reads_the_defaults_then_the_saved_company(client):
    first = client.get("/inventaire/entreprise").json()
    assert first == {"nom": "Inventaire", "adresse": [], "telephone": None, "courriel": None, "enregistree": False}
    saved = client.put("/inventaire/entreprise", json=TREMBLAY)
    assert saved.status_code == 200 and saved.json() == {**TREMBLAY, "enregistree": True}
    assert client.get("/inventaire/entreprise").json() == {**TREMBLAY, "enregistree": True}
    # The whole identity is replaced: a field left out is emptied.
    assert client.put("/inventaire/entreprise", json={"nom": " Pianos Tremblay "}).json() == {
        "nom": "Pianos Tremblay", "adresse": [], "telephone": None, "courriel": None, "enregistree": True}


def test_bad_input_gets_a_french_error_and_changes_nothing(client, db_session):
    client.put("/inventaire/entreprise", json=TREMBLAY)
    before = database_state(db_session)
    for body, field, message in (
        ({"nom": "   "}, "nom", "au moins 1 caractère"),
        ({"nom": "x" * 121}, "nom", "120 caractères"),
        ({}, "nom", "obligatoire"),
        ({**TREMBLAY, "adresse": ["1", "2", "3", "4", "5"]}, "adresse", "4 lignes au plus"),
        ({**TREMBLAY, "adresse": ["r" * 81]}, "adresse", "trop long (au plus 80 caractères)"),
        ({**TREMBLAY, "adresse": ["rue\nville"]}, "adresse", "sans saut de ligne"),
        ({**TREMBLAY, "adresse": "1234, rue Saint-Denis"}, "adresse", "doit être une liste"),
        ({**TREMBLAY, "courriel": "pas-une-adresse"}, "courriel", "courriel"),
    ):
        refused = client.put("/inventaire/entreprise", json=body)
        assert refused.status_code == 422, body
        assert field in refused.text and message in refused.text, refused.text
    assert database_state(db_session) == before
    assert client.get("/inventaire/entreprise").json() == {**TREMBLAY, "enregistree": True}
