"""The connector from the outside: the endpoint, the stored runs, the command line, the schedule,
two syncs at once through a real server, the office told after repeated failures, secrets kept."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import func, select

from inventaire.kit.config import Settings
from inventaire.regles import service as regles
from inventaire.stock.models import StockLine, Transaction
from inventaire.tasks import scheduler
from tests.commands import flat, run_cli
from tests.gazelle.fake import CLIENT_SECRET
from tests.helpers import committed, database_state, make_line, make_product, make_technician
from tests.live import live_server
from tests.servers import SLACK_PATH, WebhookSink, configure

PLS = "mit_2eBOzDvunD7PHs6M"


def stock_up(session, quantite=10):
    allan = make_technician(session, nom="Allan", gazelle_id="usr_aS8wQ2nLk4Tz")
    product = make_product(session, code_produit="PLS-BUV")
    make_line(session, allan, product, quantite)
    regles.create(db_session=session, service_id=PLS, product=product, quantite=Decimal(1))
    return allan


def test_endpoint_preview_then_sync_and_the_stored_runs(client, app, gazelle, db_session):
    configure(app, **gazelle.settings())
    stock_up(db_session)
    db_session.commit()
    gazelle.add_invoice(7140, items=[(PLS, 100)])
    before = database_state(db_session)
    preview = client.post("/inventaire/gazelle/sync", params={"apercu": "true"})
    assert preview.status_code == 200, preview.text
    assert preview.json()["apercu"] is True and preview.json()["id"] is None
    assert preview.json()["rapport"]["mouvements"][0]["motif"].startswith("Facture #7140 — Lina Vanelli")
    after = database_state(db_session)
    assert after["balances"] == before["balances"]
    # The tokens and the day's schema check are the connection's, not the stock's: a preview may keep them.
    connection = ("gazelle_jetons", "gazelle_verifications")
    assert {k: v for k, v in after["rows"].items() if k not in connection} == {
        k: v for k, v in before["rows"].items() if k not in connection}
    done = client.post("/inventaire/gazelle/sync")
    assert done.status_code == 200 and done.json()["statut"] == "reussie"
    runs = client.get("/inventaire/gazelle/syncs").json()
    assert [r["id"] for r in runs] == [done.json()["id"]]
    one = client.get(f"/inventaire/gazelle/syncs/{done.json()['id']}").json()
    assert one["rapport"]["mouvements_ecrits"] == 1
    assert client.get("/inventaire/gazelle/syncs/999999").status_code == 404
    assert client.get("/inventaire/transactions", params={"reference": "Facture #7140"}).json()["total"] == 1
    answers = json.dumps([preview.json(), done.json(), runs])
    assert CLIENT_SECRET not in answers and "rt-" not in answers and "at-" not in answers


def test_not_configured_is_a_french_409(client):
    response = client.post("/inventaire/gazelle/sync")
    assert response.status_code == 409 and "n'est pas connecté" in response.json()["detail"]


def test_two_syncs_at_once_through_a_real_server(fresh_database, gazelle):
    gazelle.delay = 0.3  # each answer takes a while: the runs overlap
    with live_server(fresh_database.url, **gazelle.settings()) as server:
        with server.session() as s:
            stock_up(s)
        for number in range(1, 4):
            gazelle.add_invoice(number, items=[(PLS, 100)])
        with server.client() as http, ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda _: http.post("/inventaire/gazelle/sync"), range(2)))
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        # Which run holds the lock is said when it is seen; two claims at the very same moment meet
        # on the unique index instead, with the sentence alone.
        assert refused.json()["detail"].startswith(
            "Une synchronisation Gazelle est déjà en cours : réessayez dans un instant.")
        with server.session() as s:
            assert s.scalar(select(func.count(Transaction.id)).where(Transaction.auteur == "gazelle")) == 3
            assert s.scalar(select(StockLine.quantite)) == 7


def test_cli_sync_preview_failure_and_exit_codes(fresh_database, gazelle, caplog):
    url = fresh_database.url
    with committed(url) as s:
        stock_up(s)
    gazelle.add_invoice(7140, items=[(PLS, 200)])
    env = {"INVENTAIRE_GAZELLE_" + k.upper(): str(v.get_secret_value() if hasattr(v, "get_secret_value") else v)
           for k, v in ((key.removeprefix("gazelle_"), value) for key, value in gazelle.settings().items())}
    caplog.set_level(logging.DEBUG)
    preview = run_cli(url, "gazelle", "sync", "--apercu", env=env)
    assert preview.exit_code == 0, preview.output
    assert "Aperçu (rien n'a été écrit)" in flat(preview.stdout) and "1 mouvement serait écrit" in preview.stdout
    done = run_cli(url, "gazelle", "sync", "--jours", "7", env=env)
    assert done.exit_code == 0, done.output
    assert "1 appliquée," in flat(done.stdout) and "Facture #7140 — Lina Vanelli" in flat(done.stdout)
    gazelle.faults.extend(["500"] * 3)
    failed = run_cli(url, "gazelle", "sync", env=env)
    assert failed.exit_code == 1
    assert "Gazelle a répondu 500" in flat(failed.stderr)
    with committed(url) as s:
        assert s.scalar(select(StockLine.quantite)) == 8
    everything = preview.output + done.output + failed.output + caplog.text
    assert CLIENT_SECRET not in everything and "rt-" not in everything and "at-" not in everything


def test_office_told_once_after_repeated_failures(client, app, gazelle, db_session):
    sink = WebhookSink().start()
    try:
        configure(app, **gazelle.settings(), slack_webhook_url=sink.url(SLACK_PATH), gazelle_alert_after=2)
        gazelle.faults.extend(["500"] * 9)
        for _ in range(3):
            assert client.post("/inventaire/gazelle/sync").status_code == 502
        told = sink.received(SLACK_PATH)
        assert len(told) == 1 and "Synchronisation Gazelle en échec (2 fois de suite)" in told[0]["text"]
        runs = client.get("/inventaire/gazelle/syncs").json()
        assert [r["statut"] for r in runs] == ["echec"] * 3
    finally:
        sink.stop()


def test_the_schedule_of_serve():
    built = scheduler.build_scheduler(Settings(gazelle_cron="*/30 7-18 * * 1-5"), session_factory=None)
    [job] = built.get_jobs()
    assert job.id == scheduler.GAZELLE_JOB_ID and job.func is scheduler.scheduled_sync
    both = scheduler.build_scheduler(Settings(gazelle_cron="0 * * * *", check_cron="0 9 * * *"), session_factory=None)
    assert {j.id for j in both.get_jobs()} == {scheduler.GAZELLE_JOB_ID, scheduler.JOB_ID}


def test_a_bad_cron_stops_serve_in_french(tmp_path):
    result = run_cli(f"sqlite:///{tmp_path / 'x.db'}", "serve", env={"INVENTAIRE_GAZELLE_CRON": "tous les jours"})
    assert result.exit_code == 2 and "INVENTAIRE_GAZELLE_CRON invalide" in flat(result.stderr)


def test_the_scheduled_job_stores_a_failure_and_keeps_running(gz_settings, session_factory, gazelle, db_session,
                                                               caplog):
    stock_up(db_session)
    db_session.commit()
    gazelle.faults.extend(["500"] * 3)
    scheduler.scheduled_sync(session_factory=session_factory, settings=gz_settings)  # does not raise
    assert "scheduled gazelle sync failed" in caplog.text
    gazelle.add_invoice(7140, items=[(PLS, 100)])
    scheduler.scheduled_sync(session_factory=session_factory, settings=gz_settings)
    from inventaire.gazelle.models import GazelleSync

    db_session.expire_all()
    statuses = [r.statut for r in db_session.scalars(select(GazelleSync).order_by(GazelleSync.id))]
    assert statuses == ["echec", "reussie"]
    assert (r := db_session.scalar(select(GazelleSync).where(GazelleSync.statut == "reussie"))).declenchee_par == \
        "planificateur" and r.rapport["mouvements_ecrits"] == 1
