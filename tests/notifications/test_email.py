"""E-mail against a real SMTP server on loopback (aiosmtpd): the digest, a server down, the retry."""

from decimal import Decimal

import pytest

from inventaire.checks.models import Verification
from inventaire.tasks import check_run
from tests.helpers import make_line, make_product, make_technician
from tests.live import free_port
from tests.servers import OFFICE, SmtpSink, configure, self_signed_certificate, server_tls_context


@pytest.fixture
def vans(db_session):
    allan = make_technician(db_session, nom="Allan", email="allan@atelier.example")
    margot = make_technician(db_session, nom="Margot", email="margot@atelier.example")
    jp = make_technician(db_session, nom="Jean-Philippe")  # no e-mail address
    corde = make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1 (Do)")
    feutre = make_product(db_session, code_produit="FEUT-02", nom_produit="Feutre <rouge> & noir", unite="m")
    make_line(db_session, allan, corde, 0, niveau_par=Decimal("12"))
    make_line(db_session, allan, feutre, Decimal("1.5"))
    make_line(db_session, jp, corde, 2)
    make_line(db_session, margot, corde, 30)
    db_session.commit()


def email_only(app, smtp, **extra):
    return configure(app, **{**smtp.settings(), "emails": ",".join(OFFICE), "notify_backoff": 0.0, **extra})


def test_digest_to_the_office_and_each_technician_their_own(client, app, smtp, vans):
    email_only(app, smtp)
    body = client.post("/inventaire/check-stock").json()
    notes = body["notifications"]
    assert [(n["destinataires"], n["technicien"], n["statut"]) for n in notes] == [
        (OFFICE, None, "envoyee"), (["allan@atelier.example"], "Allan", "envoyee")]  # Margot has no alert
    office, allan = smtp.mails
    assert office.rcpt_tos == OFFICE and office.mail_from == "inventaire@atelier.example"
    assert office.subject == "Inventaire : 3 alertes à signaler dont 1 critique — 3 nouvelles"
    assert allan.rcpt_tos == ["allan@atelier.example"]
    assert allan.subject == "Inventaire (Allan) : 2 alertes à signaler dont 1 critique — 2 nouvelles"
    text = office.part("plain")
    assert "Gravité    Technicien     Produit                        Quantité  Seuil  À commander" in text
    assert "CRITIQUE   Allan          CORD-001 Corde #1 (Do)          0 unité      5           12" in text
    assert "Jean-Philippe  CORD-001" in text and "1,5 m" in text
    assert "Jean-Philippe" not in allan.part("plain")
    # Allan's e-mail speaks only of his van: his totals (2 lines, 1 critical), not the company's (3).
    assert "Au total, 3 lignes en alerte dont 1 critique." in text
    assert "Au total, 2 lignes en alerte dont 1 critique." in allan.part("plain")
    link = f"http://127.0.0.1:8000/verifications/{body['verification_id']}"
    assert f"Voir la vérification : {link}" in text and f'<a href="{link}">' in office.part("html")
    html = office.part("html")
    assert "<th align=\"right\">À commander</th>" in html and "<td>Jean-Philippe</td>" in html
    assert "Feutre &lt;rouge&gt; &amp; noir" in html and "<rouge>" not in html  # escaped
    assert "Feutre <rouge> & noir" in text  # the plain text keeps it as typed
    assert office.message.get_content_type() == "multipart/alternative"


def test_server_down_the_check_still_answers_and_the_retry_delivers(client, app, db_session, vans):
    port = free_port()  # nothing listens there yet
    sink = SmtpSink(port=port)
    settings = email_only(app, sink, notify_attempts=3)
    response = client.post("/inventaire/check-stock")
    assert response.status_code == 200
    body = response.json()
    assert body["alerts_detected"] == 3
    office, allan = body["notifications"]
    assert office["statut"] == "echec" and office["tentatives"] == 3
    assert f"serveur SMTP 127.0.0.1:{port} injoignable" in office["erreur"]
    assert "ConnectionRefusedError" in office["erreur"]
    # the server is known down: the second e-mail is not tried again in this pass, and says why
    assert allan["statut"] == "echec" and allan["tentatives"] == 0 and allan["erreur"].startswith("non tenté")
    stored = db_session.get(Verification, body["verification_id"])
    assert stored.total_alertes == 3 and stored.statut_notifications == "echec"

    sink.start()
    try:
        retried = check_run.retry(db_session=db_session, settings=settings, jours=7)
        assert [(n.statut, n.tentatives, n.erreur) for n in retried] == [("envoyee", 4, None), ("envoyee", 1, None)]
        assert [m.rcpt_tos for m in sink.mails] == [OFFICE, ["allan@atelier.example"]]
        assert check_run.retry(db_session=db_session, settings=settings, jours=7) == []  # nothing left
        detail = client.get(f"/inventaire/verifications/{body['verification_id']}").json()
        assert detail["statut_notifications"] == "envoyees"
        assert all(n["envoyee_le"] for n in detail["notifications"])
    finally:
        sink.stop()


def test_the_next_run_retries_what_failed_before(client, app, vans):
    sink = SmtpSink()
    email_only(app, sink, notify_attempts=1)
    first = client.post("/inventaire/check-stock").json()
    assert {n["statut"] for n in first["notifications"]} == {"echec"}
    sink.start()
    try:
        second = client.post("/inventaire/check-stock").json()
        assert second["notifications"] == []  # nothing new to say…
        assert len(sink.mails) == 2  # …but yesterday's digest and Allan's e-mail went out
        detail = client.get(f"/inventaire/verifications/{first['verification_id']}").json()
        assert [n["statut"] for n in detail["notifications"]] == ["envoyee", "envoyee"]
    finally:
        sink.stop()


def test_a_refused_recipient_is_recorded_without_resending(client, app, smtp, vans):
    email_only(app, smtp)
    smtp.refuse.add("gerant@atelier.example")
    office = client.post("/inventaire/check-stock").json()["notifications"][0]
    assert office["statut"] == "envoyee"
    assert office["erreur"] == "refusés : gerant@atelier.example (550)"
    assert smtp.mails[0].rcpt_tos == ["bureau@atelier.example"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_login(client, app, vans, certificate, monkeypatch, security):
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the sender verifies the server: trust the test CA
    tls = server_tls_context(cert, key)
    # aiosmtpd only knows of STARTTLS: on an implicit-TLS (ssl) port it must be told AUTH is safe.
    options = ({"ssl_context": tls, "auth_require_tls": False} if security == "ssl"
               else {"tls_context": tls, "require_starttls": True, "auth_require_tls": True})
    sink = SmtpSink(**options)
    sink._kwargs["authenticator"] = sink.authenticate
    sink.start()
    try:
        email_only(app, sink, smtp_security=security, smtp_user="inventaire", smtp_password="secret")
        notes = client.post("/inventaire/check-stock").json()["notifications"]
        assert [n["statut"] for n in notes] == ["envoyee", "envoyee"]
        assert sink.logins == [("inventaire", "secret")] * 2 and len(sink.mails) == 2
        email_only(app, sink, smtp_security=security, smtp_user="inventaire", smtp_password="faux",
                   notify_attempts=3)
        client.post("/inventaire/stock/ajuster", json={
            "technicien": "Allan", "code_produit": "FEUT-02", "ajustement": -1, "type": "utilisation"})
        refused = client.post("/inventaire/check-stock").json()["notifications"]
        assert refused[0]["statut"] == "echec" and refused[0]["tentatives"] == 1  # a wrong password is not retried
        assert refused[0]["erreur"].startswith("authentification refusée par 127.0.0.1")
    finally:
        sink.stop()


def test_untrusted_certificate_is_refused(client, app, vans, certificate):
    cert, key = certificate  # SSL_CERT_FILE not set: the self-signed certificate must not be accepted
    sink = SmtpSink(ssl_context=server_tls_context(cert, key)).start()
    try:
        email_only(app, sink, smtp_security="ssl", notify_attempts=1)
        note = client.post("/inventaire/check-stock").json()["notifications"][0]
        assert note["statut"] == "echec" and "CERTIFICATE_VERIFY_FAILED" in note["erreur"]
        assert sink.mails == []
    finally:
        sink.stop()


def test_links_use_the_public_address(client, app, smtp, vans):
    email_only(app, smtp, base_url="https://stock.example.com")
    run = client.post("/inventaire/check-stock").json()["verification_id"]
    assert f"https://stock.example.com/verifications/{run}" in smtp.mails[0].part("plain")
