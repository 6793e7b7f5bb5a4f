"""An order sent to a supplier with an address is e-mailed to it (real SMTP server on loopback), with
its PDF (read back with pypdf) and CSV; a failing server leaves a draft with the error."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from inventaire.ateliers import service as ateliers
from inventaire.commandes import service as orders
from inventaire.commandes.models import Order
from inventaire.fournisseurs import service as suppliers
from tests.helpers import make_product
from tests.live import free_port
from tests.servers import OFFICE, SmtpSink, configure

ADDRESS = "commandes@roslau.example"


@pytest.fixture
def draft(db_session):
    workshop = ateliers.create(db_session=db_session, nom="Atelier")
    suppliers.create(db_session=db_session, data={"nom": "Röslau", "courriel": ADDRESS, "delai_jours": 10})
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde d'acier no 12 « Röslau »",
                        fournisseur="roslau", unite="bobine", divisible=False)
    order = orders.create(db_session=db_session, fournisseur="Röslau", workshop=workshop, auteur="bureau",
                          lines=[orders.LineIn(cord, Decimal(6), Decimal("18.50"))], tz="America/Montreal")
    db_session.commit()
    return order.id


def state(db_session, order_id: int) -> tuple:
    db_session.expire_all()
    order = db_session.scalar(select(Order).where(Order.id == order_id))
    return order.statut, order.envoyee_le, order.courriel_envoye_le, order.courriel_destinataires, order.courriel_erreur


def test_sending_e_mails_the_supplier_its_pdf_and_csv_with_the_office_in_copy(client, app, smtp, db_session, draft):
    configure(app, **smtp.settings(), emails=",".join(OFFICE), entreprise="Pianos Montréal")
    response = client.post(f"/inventaire/commandes/{draft}/envoyer")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["statut"] == "envoyee" and body["courriel_envoye"] is True
    assert body["courriel_destinataires"] == ", ".join([ADDRESS, *OFFICE])
    (mail,) = smtp.mails
    assert mail.mail_from == "inventaire@atelier.example"
    assert mail.rcpt_tos == [ADDRESS, *OFFICE]
    message = mail.message
    assert message["To"] == ADDRESS and message["Cc"] == ", ".join(OFFICE)
    assert message["Reply-To"] == ", ".join(OFFICE)
    numero = body["numero"]
    assert message["Subject"] == f"Bon de commande {numero} — Pianos Montréal"
    assert f"notre bon de commande {numero}" in message.get_body(preferencelist=("plain",)).get_content()
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    assert set(attachments) == {f"{numero}.pdf", f"{numero}.csv"}
    pdf = attachments[f"{numero}.pdf"]
    assert pdf.get_content_type() == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert f"Bon de commande {numero}" in text and "Fournisseur : Röslau" in text
    assert "CORD-012" in text and "111,00" in text and "(brouillon)" not in text
    csv = attachments[f"{numero}.csv"].get_content()
    assert "CORD-012" in csv and "18,50" in csv
    statut, sent_at, mailed_at, recipients, error = state(db_session, draft)
    assert statut == "envoyee" and mailed_at is not None and sent_at is not None and error is None
    assert recipients == ", ".join([ADDRESS, *OFFICE])


def test_a_server_that_does_not_answer_leaves_a_draft_with_the_error(client, app, db_session, draft):
    port = free_port()  # nothing listens there
    configure(app, **SmtpSink(port=port).settings(), emails=",".join(OFFICE), notify_timeout=2)
    response = client.post(f"/inventaire/commandes/{draft}/envoyer")
    assert response.status_code == 502
    detail = response.json()["detail"]
    assert detail.startswith("La commande CMD-") and f"n'a pas pu être envoyée par courriel à {ADDRESS}" in detail
    assert f"serveur SMTP 127.0.0.1:{port} injoignable" in detail and "Elle reste un brouillon" in detail
    statut, sent_at, mailed_at, recipients, error = state(db_session, draft)
    assert (statut, sent_at, mailed_at, recipients) == ("brouillon", None, None, None)
    assert f"127.0.0.1:{port} injoignable" in error
    assert client.get(f"/inventaire/commandes/{draft}").json()["courriel_erreur"] == error


def test_a_refused_supplier_address_leaves_a_draft(client, app, smtp, db_session, draft):
    configure(app, **smtp.settings(), emails=",".join(OFFICE))
    smtp.refuse.add(ADDRESS)
    response = client.post(f"/inventaire/commandes/{draft}/envoyer")
    assert response.status_code == 502 and "550" in response.json()["detail"]
    assert state(db_session, draft)[0] == "brouillon"
    smtp.refuse.clear()  # the address fixed on the server's side: sending again works and clears the error
    again = client.post(f"/inventaire/commandes/{draft}/envoyer")
    assert again.status_code == 200 and again.json()["courriel_erreur"] is None
    # the refused try still reached the office's copy (SMTP delivers to the accepted recipients): the office
    # sees the order and the 502; the second try reaches everyone
    assert [m.rcpt_tos for m in smtp.mails] == [OFFICE, [ADDRESS, *OFFICE]]


def test_a_supplier_without_address_is_not_e_mailed(client, app, smtp, db_session, draft):
    configure(app, **smtp.settings(), emails=",".join(OFFICE))
    client.put("/inventaire/fournisseurs/Röslau", json={"courriel": None})
    response = client.post(f"/inventaire/commandes/{draft}/envoyer")
    assert response.status_code == 200
    assert (response.json()["statut"], response.json()["courriel_envoye"]) == ("envoyee", False)
    assert smtp.mails == []


def test_the_office_sends_from_the_order_page_and_sees_a_failure(pages, app, smtp, db_session, draft):
    configure(app, **smtp.settings(), emails=",".join(OFFICE))
    page = pages.get(f"/commandes/{draft}")
    assert f"Envoyer par courriel à {ADDRESS}" in page.text
    smtp.refuse.add(ADDRESS)
    refused = pages.post(f"/commandes/{draft}/envoyer", data={"csrf": pages.csrf})
    assert refused.status_code == 502 and "pas pu être envoyée par courriel" in refused.text
    assert "Le dernier envoi par courriel a échoué" in pages.get(f"/commandes/{draft}").text
    smtp.refuse.clear()
    sent = pages.post(f"/commandes/{draft}/envoyer", data={"csrf": pages.csrf}, follow_redirects=True)
    assert "Commande envoyée par courriel" in sent.text and f"à {ADDRESS}, " in sent.text
    assert state(db_session, draft)[0] == "envoyee"
