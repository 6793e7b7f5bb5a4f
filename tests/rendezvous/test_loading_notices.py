"""The evening list by e-mail (a real SMTP server on loopback) and one chat line per van; the morning
reads Gazelle again and sends only what changed, or nothing; never twice; a failed send retried."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from inventaire.chargement.models import LoadNotice
from inventaire.regles import service as regles
from inventaire.tasks import chargement_run, gazelle_run
from tests.helpers import make_line, make_product, make_technician
from tests.rendezvous.conftest import at, local_day
from tests.servers import DISCORD_PATH, SLACK_PATH

PLS = "mit_2eBOzDvunD7PHs6M"
ALLAN, NICOLAS = "usr_aS8wQ2nLk4Tz", "usr_nL3pR7vXc1Md"
DAY = chargement_run.next_working_day(local_day(0))
OFFSET = (DAY - local_day(0)).days


@pytest.fixture
def world(db_session, gazelle, gz_settings, session_factory, smtp, webhooks):
    allan = make_technician(db_session, nom="Allan", gazelle_id=ALLAN, email="allan@atelier.example")
    make_technician(db_session, nom="Nicolas", gazelle_id=NICOLAS, email="nicolas@atelier.example")
    buvards = make_product(db_session, code_produit="PLS-BUV", nom_produit="Jeu de buvards PLS", unite="jeu")
    make_line(db_session, allan, buvards, 1)
    regles.create(db_session=db_session, service_id=PLS, product=buvards, quantite=Decimal(1))
    db_session.commit()
    gazelle.add_event("evt_1", start=at(OFFSET, 9), items=[(PLS, 100)], client="Lina Vanelli",
                      notes="À apporter : cordes #3")
    gazelle.add_event("evt_2", start=at(OFFSET, 13), items=[(PLS, 100)], client="Paul Tremblay")
    gazelle.add_event("evt_3", start=at(OFFSET, 10), user=NICOLAS, items=[(PLS, 100)], client="Anne Roy")
    settings = gz_settings.model_copy(update={**smtp.settings(), **webhooks.settings(), "notify_backoff": 0.0,
                                              "base_url": "https://stock.example.com"})
    gazelle_run.run_sync(session_factory=session_factory, settings=settings)
    return settings


def mails_to(smtp, address):
    return [m for m in smtp.mails if address in m.rcpt_tos]


def test_evening_then_morning_changes_only(world, gazelle, session_factory, smtp, webhooks):
    sent = chargement_run.evening(session_factory=session_factory, settings=world)
    assert sorted((n.canal, n.technicien, n.statut) for n in sent) == [
        ("discord", None, "envoyee"), ("email", "Allan", "envoyee"), ("email", "Nicolas", "envoyee"),
        ("slack", None, "envoyee")]
    [mail] = mails_to(smtp, "allan@atelier.example")
    assert mail.message["Subject"].startswith("Chargement du ") and "2 rendez-vous, 1 pièce à charger" in \
        mail.message["Subject"]
    text = mail.message.get_body(preferencelist=("plain",)).get_content()
    assert "Lina Vanelli" in text and "1 jeu — Jeu de buvards PLS (PLS-BUV)" in text
    assert "À apporter : cordes #3" in text and "https://stock.example.com/stock/Allan#demain" in text
    [slack] = webhooks.received(SLACK_PATH)
    assert "Allan — 2 rendez-vous, à charger : PLS-BUV ×1" in slack["text"]
    assert "Nicolas — 1 rendez-vous, à charger : PLS-BUV ×1" in slack["text"]
    assert chargement_run.evening(session_factory=session_factory, settings=world) == []  # never twice
    assert len(smtp.mails) == 2 and len(webhooks.received(SLACK_PATH)) == 1

    # Overnight: one moved to Nicolas, one added for Allan, Nicolas's own cancelled.
    gazelle.events["evt_2"]["user"] = next(u for u in gazelle.users if u["id"] == NICOLAS)
    gazelle.add_event("evt_4", start=at(OFFSET, 15), items=[(PLS, 100)], client="Marc Gagnon")
    gazelle.events["evt_3"]["status"] = "CANCELED"
    morning = chargement_run.morning(session_factory=session_factory, settings=world, day=DAY)
    assert sorted((n.canal, n.technicien) for n in morning) == [
        ("discord", None), ("email", "Allan"), ("email", "Nicolas"), ("slack", None)]
    allan = mails_to(smtp, "allan@atelier.example")[-1].message.get_body(preferencelist=("plain",)).get_content()
    assert "Ajouté : 15\u00a0h\u00a000, Marc Gagnon" in allan
    assert "Déplacé vers Nicolas : 13\u00a0h\u00a000, Paul Tremblay" in allan
    nicolas = mails_to(smtp, "nicolas@atelier.example")[-1].message.get_body(preferencelist=("plain",)).get_content()
    assert "Ajouté : 13\u00a0h\u00a000, Paul Tremblay (venait d'Allan)" in nicolas
    assert "Annulé : 10\u00a0h\u00a000, Anne Roy" in nicolas
    assert "Allan — Ajouté" in webhooks.received(SLACK_PATH)[-1]["text"]
    assert chargement_run.morning(session_factory=session_factory, settings=world, day=DAY) == []
    assert len(smtp.mails) == 4


def test_an_unchanged_morning_sends_nothing(world, session_factory, smtp, webhooks):
    chargement_run.evening(session_factory=session_factory, settings=world, day=DAY)
    assert chargement_run.morning(session_factory=session_factory, settings=world, day=DAY) == []
    assert len(smtp.mails) == 2 and len(webhooks.received(DISCORD_PATH)) == 1


def test_a_failed_send_is_stored_and_retried_once(world, session_factory, smtp, db_session):
    down = world.model_copy(update={"smtp_port": 9, "notify_attempts": 1, "slack_webhook_url": None,
                                    "discord_webhook_url": None})
    failed = chargement_run.evening(session_factory=session_factory, settings=down, day=DAY)
    assert {n.statut for n in failed} == {"echec"} and "injoignable" in failed[0].erreur
    assert len(chargement_run.retry(session_factory=session_factory, settings=world)) == 2
    assert len(smtp.mails) == 2
    assert chargement_run.retry(session_factory=session_factory, settings=world) == []
    stored = db_session.scalars(select(LoadNotice).order_by(LoadNotice.id)).all()
    assert [(n.statut, n.tentatives) for n in stored] == [("envoyee", 2), ("envoyee", 2)]


def test_the_two_schedules_of_serve():
    from inventaire.kit.config import Settings
    from inventaire.kit.exceptions import InvalidInput
    from inventaire.tasks import scheduler

    assert scheduler.build_scheduler(Settings(), session_factory=None) is None  # off by default
    built = scheduler.build_scheduler(Settings(chargement_cron="0 18 * * 0-4", chargement_matin_cron="30 6 * * 1-5"),
                                      session_factory=None)
    jobs = {job.id: job for job in built.get_jobs()}
    assert set(jobs) == {scheduler.EVENING, scheduler.MORNING}
    assert "day_of_week='sun,mon,tue,wed,thu', hour='18', minute='0'" in str(jobs[scheduler.EVENING].trigger)
    assert "day_of_week='mon,tue,wed,thu,fri', hour='6', minute='30'" in str(jobs[scheduler.MORNING].trigger)
    with pytest.raises(InvalidInput, match="INVENTAIRE_CHARGEMENT_MATIN_CRON invalide"):
        scheduler.build_scheduler(Settings(chargement_matin_cron="30 6 *"), session_factory=None)
