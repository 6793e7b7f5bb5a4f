"""The dashboard, its polled fragment, running a check, and the check history."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from inventaire.checks.models import Verification
from tests.helpers import make_line, make_product, make_technician


def _alerts(db_session):
    """Nicolas: one critical, one low; Allan: one low; Margot: nothing in alert."""
    allan, nicolas, margot = (make_technician(db_session, nom=n) for n in ("Allan", "Nicolas", "Margot"))
    cord = make_product(db_session, code_produit="CORD-012", nom_produit="Corde no 12", seuil_reorder=Decimal(2))
    felt = make_product(db_session, code_produit="FEUT-ETOUF", nom_produit="Feutre d'étouffoir", unite="m")
    make_line(db_session, allan, cord, 1)
    make_line(db_session, nicolas, cord, 0)
    make_line(db_session, nicolas, felt, Decimal("2.5"))
    make_line(db_session, margot, felt, 40)
    db_session.commit()


def test_dashboard_groups_alerts_critical_first(pages, db_session):
    _alerts(db_session)
    html = pages.get("/").text
    assert 'id="nb-alertes">3<' in html and 'id="nb-critiques">1<' in html
    # Nicolas (a critical alert) comes before Allan; Margot has no alert.
    assert html.index('data-technicien="Nicolas"') < html.index('data-technicien="Allan"')
    assert 'data-technicien="Margot"' not in html
    nicolas = html[html.index('data-technicien="Nicolas"'):html.index('data-technicien="Allan"')]
    assert nicolas.index("CORD-012") < nicolas.index("FEUT-ETOUF")  # critical first inside the group
    assert "2,5 m" in html  # French decimals
    assert 'hx-get="/fragments/tableau"' in html and 'hx-trigger="every 5s"' in html


def test_fragment_follows_the_stock(pages, client, db_session):
    _alerts(db_session)
    assert 'id="nb-alertes">3<' in pages.get("/fragments/tableau").text
    response = client.post("/inventaire/stock/ajuster", json={
        "technicien": "Nicolas", "code_produit": "CORD-012", "ajustement": 10, "type": "reception"})
    assert response.status_code == 200
    fragment = pages.get("/fragments/tableau").text
    assert 'id="nb-alertes">2<' in fragment and 'id="nb-critiques">0<' in fragment
    assert "<html" not in fragment


def test_no_alert_says_so(pages):
    assert "Aucune alerte" in pages.get("/").text


def test_run_a_check_from_the_dashboard(pages, db_session):
    _alerts(db_session)
    response = pages.post("/verifications", data={"csrf": pages.csrf, "technicien": "", "seuil": ""})
    assert response.status_code == 200
    assert "3 alerte(s) détectée(s) (1 critique(s), 2 stock bas)" in response.text
    run = db_session.scalar(select(Verification).order_by(Verification.id.desc()))
    assert run.declenchee_par == "bureau" and run.total_alertes == 3
    assert str(response.url).endswith(f"/verifications/{run.id}")
    assert f'href="/verifications/{run.id}"' in pages.get("/").text  # listed in the last checks


def test_run_a_check_for_one_technician_with_a_threshold(pages, db_session):
    _alerts(db_session)
    response = pages.post("/verifications", data={"csrf": pages.csrf, "technicien": "margot", "seuil": "50"})
    assert "1 alerte(s) détectée(s) (0 critique(s), 1 stock bas)" in response.text
    assert "Margot" in response.text and "(imposé)" in response.text


def test_bad_threshold_is_refused_in_french_and_nothing_is_stored(pages, db_session):
    _alerts(db_session)
    for bad, message in [("abc", "doit être un nombre"), ("-1", "supérieur ou égal à 0"), ("nan", "nombre")]:
        response = pages.post("/verifications", data={"csrf": pages.csrf, "seuil": bad, "notifier": "oui"})
        assert response.status_code == 422, bad
        assert message in response.text
        assert f'value="{bad}"' in response.text and 'id="e-lancer"' in response.text  # kept, reason beside
        assert re.search(r'name="notifier" value="oui" checked', response.text)
    response = pages.post("/verifications", data={"csrf": pages.csrf, "technicien": "Personne"})
    assert response.status_code == 404 and "Technicien inconnu" in response.text
    assert db_session.scalar(select(func.count(Verification.id))) == 0


def test_history_lists_every_run_and_opens_each_report_as_stored(pages, client, db_session):
    _alerts(db_session)
    first = client.post("/inventaire/check-stock").json()
    client.post("/inventaire/stock/ajuster", json={
        "technicien": "Nicolas", "code_produit": "CORD-012", "ajustement": 10, "type": "reception"})
    second = client.post("/inventaire/check-stock", params={"technicien": "Allan"}).json()
    html = pages.get("/verifications").text
    assert "2 vérifications enregistrées" in html
    assert html.index(f'/verifications/{second["verification_id"]}"') < html.index(
        f'/verifications/{first["verification_id"]}"')
    # The first report still shows Nicolas's critical line, although it has been refilled since.
    old = pages.get(f"/verifications/{first['verification_id']}").text
    assert first["rapport"]["summary"] in old
    assert "Critique" in old and "Nicolas" in old
    assert "Feutre d&#39;étouffoir" in old or "Feutre d'étouffoir" in old


def test_history_pages(pages, client, db_session):
    make_technician(db_session, nom="Allan")
    db_session.commit()
    for _ in range(27):
        client.post("/inventaire/check-stock")
    first = pages.get("/verifications").text
    assert "Page 1 sur 2" in first and first.count('<a href="/verifications/') == 25
    second = pages.get("/verifications", params={"page": 2}).text
    assert second.count('<a href="/verifications/') == 2


def test_unknown_report_is_a_french_404_page(pages):
    response = pages.get("/verifications/999999")
    assert response.status_code == 404 and "Vérification inconnue" in response.text
    malformed = pages.get("/verifications/abc", follow_redirects=False)  # no JSON for a person: back to the list
    assert malformed.status_code == 303 and malformed.headers["location"] == "/verifications"


def test_run_with_notifications_shows_their_deliveries(pages, db_session, notifying, smtp):
    _alerts(db_session)
    response = pages.post("/verifications", data={"csrf": pages.csrf, "notifier": "oui"})
    assert response.status_code == 200
    assert smtp.mails, "the office digest was not sent"
    report = response.text
    assert '<span class="envoi envoyees">Envoyées</span>' in report
    assert "Courriel" in report and "bureau@atelier.example" in report
    assert '<span class="envoi envoyee">Envoyée</span>' in report
    assert "Envoyées" in pages.get("/").text and "Envoyées" in pages.get("/verifications").text


def test_run_without_notifications_sends_nothing(pages, db_session, notifying, smtp):
    _alerts(db_session)
    response = pages.post("/verifications", data={"csrf": pages.csrf})  # the box unticked
    assert "Désactivées" in response.text and "lancée sans notification" in response.text
    assert smtp.mails == []


def test_dashboard_compares_live_alerts_with_the_last_run(pages, client, db_session):
    _alerts(db_session)
    html = pages.get("/").text
    assert "Depuis la vérification précédente" not in html  # nothing stored to compare with yet
    assert client.post("/inventaire/check-stock", params={"notifier": "false"}).status_code == 200
    for name, code, delta, kind in [("Allan", "CORD-012", -1, "utilisation"),   # 1 → 0: worse
                                    ("Nicolas", "CORD-012", 10, "reception")]:   # 0 → 10: resolved
        assert client.post("/inventaire/stock/ajuster", json={
            "technicien": name, "code_produit": code, "ajustement": delta, "type": kind}).status_code == 200
    html = pages.get("/fragments/tableau").text
    allan = html[html.index('data-technicien="Allan"'):]
    assert "Aggravée" in allan[:allan.index("</article>")]
    nicolas = html[html.index('data-technicien="Nicolas"'):]
    assert "Persistante" in nicolas[:nicolas.index("</article>")]
    resolved = html[html.index("Résolues depuis la"):]
    assert "CORD-012" in resolved and "Nicolas" in resolved and "0 → 10" in resolved


def test_the_notify_box_is_unchecked_and_no_channel_is_said(pages, db_session):
    html = pages.get("/").text
    box = re.search(r'<input type="checkbox" name="notifier"[^>]*>', html).group(0)
    assert "checked" not in box
    allan = make_technician(db_session, nom="Allan")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-001"), 0)
    db_session.commit()
    report = pages.post("/verifications", data={"csrf": pages.csrf, "notifier": "oui"})
    assert "Aucun canal configuré (courriel, Slack, Discord)" in report.text
