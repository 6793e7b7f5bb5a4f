"""Alert lifecycle over runs: new → persistent (not re-sent) → worsened (sent) → resolved; reminders; scopes."""

import datetime as dt
from decimal import Decimal

import pytest

from inventaire.checks import lifecycle
from inventaire.checks.models import Verification
from inventaire.checks.schemas import Alert, Report, Statistics
from tests.helpers import make_line, make_product, make_technician
from tests.servers import SLACK_PATH


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord1 = make_product(db_session, code_produit="CORD-001", nom_produit="Corde #1 (Do)")
    cord2 = make_product(db_session, code_produit="CORD-002", nom_produit="Corde #2 (Ré)")
    fine = make_product(db_session, code_produit="MART-01", nom_produit="Marteau")
    make_line(db_session, allan, cord1, 3)
    make_line(db_session, allan, cord2, 4)
    make_line(db_session, allan, fine, 12)
    db_session.commit()
    return allan


def check(client, **params) -> dict:
    response = client.post("/inventaire/check-stock", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def move(client, code, delta):
    kind = "reception" if delta > 0 else "utilisation"
    response = client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": code, "ajustement": delta, "type": kind})
    assert response.status_code == 200, response.text


def etats(body) -> dict[str, str]:
    return {a["code_produit"]: a["etat"] for a in body["rapport"]["alertes"]}


def test_new_persistent_worsened_resolved(client, notifying, van, webhooks, smtp):
    first = check(client)
    assert etats(first) == {"CORD-001": "nouvelle", "CORD-002": "nouvelle"}
    assert {n["canal"] for n in first["notifications"]} == {"email", "slack", "discord"}
    assert all(n["statut"] == "envoyee" for n in first["notifications"])
    assert len(webhooks.received(SLACK_PATH)) == 1 and len(smtp.mails) == 1

    second = check(client)  # nothing changed: persistent, nothing sent
    assert etats(second) == {"CORD-001": "persistante", "CORD-002": "persistante"}
    assert second["notifications"] == [] and second["rapport"]["evolution"]["notifiees"] == 0
    assert len(webhooks.received(SLACK_PATH)) == 1 and len(smtp.mails) == 1

    move(client, "CORD-001", -3)  # bas_stock → critique
    third = check(client)
    assert etats(third) == {"CORD-001": "aggravee", "CORD-002": "persistante"}
    assert [a["notifiee"] for a in third["rapport"]["alertes"]] == [True, False]
    slack = webhooks.received(SLACK_PATH)[-1]
    assert "1 alerte à signaler dont 1 critique — 1 aggravée" in slack["text"]
    text = smtp.mails[-1].part("plain")
    assert "Alertes aggravées (1)" in text and "CORD-001" in text and "CORD-002" not in text

    move(client, "CORD-002", 10)
    fourth = check(client)
    assert etats(fourth) == {"CORD-001": "persistante"}
    assert fourth["rapport"]["resolues"] == [{
        "code_produit": "CORD-002", "technicien": "Allan", "nom_produit": "Corde #2 (Ré)",
        "quantite_precedente": 4, "quantite_actuelle": 14,
        "notifiee_le": first["rapport"]["generated_at"],
    }]
    assert smtp.mails[-1].subject == "Inventaire : 1 résolue"
    assert "Corde #2 (Ré) : 4 → 14" in smtp.mails[-1].part("plain")
    assert len(smtp.mails) == 3 and len(webhooks.received(SLACK_PATH)) == 3

    move(client, "CORD-001", 8)
    assert check(client)["rapport"]["evolution"]["resolues"] == 1
    quiet = check(client)
    assert quiet["rapport"]["alertes"] == [] and quiet["rapport"]["resolues"] == [] and quiet["notifications"] == []
    assert len(smtp.mails) == 4


def test_persistent_alert_is_repeated_after_rappel_jours(client, notifying, van, db_session, smtp):
    first = check(client)
    stored = db_session.get(Verification, first["verification_id"])
    rapport = dict(stored.rapport)
    week_ago = (dt.datetime.fromisoformat(rapport["generated_at"]) - dt.timedelta(days=7)).isoformat()
    rapport["alertes"] = [{**a, "notifiee_le": week_ago} for a in rapport["alertes"]]
    stored.rapport = rapport  # as if the first notification went out a week ago
    db_session.commit()
    reminder = check(client)
    assert etats(reminder) == {"CORD-001": "persistante", "CORD-002": "persistante"}
    assert all(a["notifiee"] for a in reminder["rapport"]["alertes"])
    assert "Rappel : toujours en alerte (2)" in smtp.mails[-1].part("plain")
    assert "2 rappels" in smtp.mails[-1].subject
    assert check(client)["notifications"] == []  # the reminder restarts the week


def test_an_alert_first_seen_by_a_silent_run_is_still_told(client, notifying, van, smtp):
    silent = check(client, notifier="false")
    assert silent["notifications"] == [] and len(smtp.mails) == 0
    assert all(not a["notifiee"] and a["notifiee_le"] is None for a in silent["rapport"]["alertes"])
    told = check(client)
    assert etats(told) == {"CORD-001": "persistante", "CORD-002": "persistante"}
    assert all(a["notifiee"] for a in told["rapport"]["alertes"]) and len(smtp.mails) == 1


def test_resolution_of_an_alert_nobody_was_told_about_is_not_sent(client, notifying, van, smtp):
    check(client, notifier="false")
    move(client, "CORD-001", 10)
    move(client, "CORD-002", 10)
    body = check(client)
    assert len(body["rapport"]["resolues"]) == 2 and body["notifications"] == [] and smtp.mails == []


def test_scopes_are_compared_separately(client, notifying, van):
    check(client)
    alone = check(client, technicien="Allan")  # first run of Allan's own scope
    assert etats(alone) == {"CORD-001": "nouvelle", "CORD-002": "nouvelle"}
    forced = check(client, seuil_critique=20)  # a forced threshold is another question
    assert set(etats(forced).values()) == {"nouvelle"} and forced["rapport"]["resolues"] == []
    again = check(client)  # the everyday scope still compares with the everyday run
    assert etats(again) == {"CORD-001": "persistante", "CORD-002": "persistante"}
    assert again["rapport"]["resolues"] == []
    assert again["rapport"]["evolution"]["precedente_id"] == alone["verification_id"] - 1


def _alert(qty, severity="bas_stock", notified=None) -> Alert:
    return Alert(code_produit="CORD-001", technicien="Allan", quantite_actuelle=Decimal(qty), severity=severity,
                 nom_produit="Corde", seuil=Decimal(5), unite="unité", notifiee_le=notified)


def _report(at, *alerts) -> Report:
    return Report(generated_at=at, technicien=None, seuil_critique=Decimal(5), alertes=list(alerts), summary="",
                  statistiques=Statistics(total_produits=1, total_alertes=len(alerts), alertes_critiques=0,
                                          alertes_bas_stock=len(alerts), valeur_totale_estimee=Decimal(0)))


@pytest.mark.parametrize(("before", "now", "etat"), [
    (_alert(3), _alert(3), "persistante"),
    (_alert(3), _alert(4), "persistante"),      # partly refilled, still in alert
    (_alert(3), _alert("2.5"), "aggravee"),
    (_alert(1), _alert(0, "critique"), "aggravee"),
    (None, _alert(3), "nouvelle"),
])
def test_etat_rules(before, now, etat):
    at = dt.datetime(2026, 1, 12, 14, tzinfo=dt.UTC)
    previous = Verification(id=1, rapport=_report(at - dt.timedelta(days=1), *([before] if before else []))
                            .model_dump(mode="json"))
    report = _report(at, now)
    lifecycle.annotate(report=report, previous=previous, reaches=lambda _n: True,
                       rappel=dt.timedelta(days=7), current_quantity=lambda _p: {})
    assert report.alertes[0].etat == etat


@pytest.mark.parametrize(("age", "due"), [
    (dt.timedelta(days=6, hours=22), False), (dt.timedelta(days=6, hours=23, minutes=30), True),
    (dt.timedelta(days=9), True),
])
def test_reminder_is_due_after_rappel_with_an_hour_of_slack(age, due):
    at = dt.datetime(2026, 3, 9, 13, tzinfo=dt.UTC)
    previous = Verification(id=1, rapport=_report(at - dt.timedelta(days=1), _alert(3, notified=at - age))
                            .model_dump(mode="json"))
    report = _report(at, _alert(3))
    lifecycle.annotate(report=report, previous=previous, reaches=lambda _n: True,
                       rappel=dt.timedelta(days=7), current_quantity=lambda _p: {})
    assert report.alertes[0].notifiee is due
    assert report.alertes[0].notifiee_le == (at if due else at - age)


def test_a_line_that_left_the_scope_is_resolved_without_quantity(client, notifying, van, smtp):
    check(client)
    assert client.delete("/inventaire/catalogue/CORD-002").status_code == 200  # archived: out of every check
    body = check(client)
    [gone] = body["rapport"]["resolues"]
    assert (gone["code_produit"], gone["quantite_precedente"], gone["quantite_actuelle"]) == ("CORD-002", 4, None)
    assert "Corde #2 (Ré) : 4 → hors du périmètre" in smtp.mails[-1].part("plain")


def test_alerts_never_notified_before_are_not_called_reminders(client, notifying, van, smtp):
    silent = check(client, notifier="false")  # seen by a silent run: nobody was told
    assert all(a["signalee_avant"] is None for a in silent["rapport"]["alertes"])
    told = check(client)
    assert etats(told) == {"CORD-001": "persistante", "CORD-002": "persistante"}
    mail = smtp.mails[-1]
    assert "2 non encore signalées" in mail.subject and "rappel" not in mail.subject
    assert "Non encore signalées : en alerte depuis une vérification précédente (2)" in mail.part("plain")
    assert "Rappel : toujours en alerte" not in mail.part("plain")
