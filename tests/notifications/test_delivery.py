"""Delivery bookkeeping: claims, what a retry picks up, a run's notification status."""

import datetime as dt

import pytest

from inventaire.checks import service as checks
from inventaire.checks.models import Notification
from inventaire.kit.config import Settings
from inventaire.kit.database import utcnow
from inventaire.notifications import delivery
from inventaire.tasks import check_run


@pytest.fixture
def run(db_session):
    verification = checks.run_check(db_session=db_session, technician=None, seuil_critique=None,
                                    default=5, declenchee_par="essai", notifier=True)
    db_session.commit()
    return verification


def add(db_session, run, statut="en_attente", age=dt.timedelta(0), canal="slack", contenu=None) -> Notification:
    when = utcnow() - age
    note = Notification(canal=canal, destinataires=["Slack"], sujet="Inventaire : essai", contenu=contenu or {},
                        statut=statut, tentatives=0, created_at=when,
                        derniere_tentative=None if statut == "en_attente" else when)
    run.notifications.append(note)
    db_session.commit()
    return note


def test_a_delivery_is_claimed_once(db_session, run):
    note = add(db_session, run)
    assert delivery.claim(db_session=db_session, note=note) is True
    assert note.statut == "en_cours"
    assert delivery.claim(db_session=db_session, note=note) is False  # another sender has it
    sent = add(db_session, run, statut="envoyee")
    assert delivery.claim(db_session=db_session, note=sent) is False


def test_a_claim_left_by_a_dead_process_is_taken_over(db_session, run):
    abandoned = add(db_session, run, statut="en_cours", age=delivery.STALE + dt.timedelta(minutes=1))
    assert delivery.claim(db_session=db_session, note=abandoned) is True


def test_what_a_retry_picks_up(db_session, run):
    failed = add(db_session, run, statut="echec")
    stale_pending = add(db_session, run, statut="en_attente", age=delivery.STALE * 2)
    add(db_session, run, statut="en_attente")  # being sent right now by its run
    add(db_session, run, statut="envoyee")
    add(db_session, run, statut="echec", age=dt.timedelta(days=9))  # older than the window
    since = utcnow() - dt.timedelta(days=7)
    assert [n.id for n in delivery.retryable(db_session=db_session, since=since)] == [failed.id, stale_pending.id]
    assert delivery.retryable(db_session=db_session, since=since, exclude_verification=run.id) == []


def test_a_sender_bug_is_recorded_not_raised(db_session, run):
    broken = add(db_session, run, canal="email", contenu={"to": ["bureau@atelier.example"]})  # no subject
    settings = Settings(smtp_host="127.0.0.1", smtp_port=1, notify_backoff=0)
    check_run.deliver(db_session=db_session, settings=settings, notes=[broken])
    assert broken.statut == "echec" and broken.tentatives == 1
    assert broken.erreur == "erreur inattendue : KeyError: 'subject'"


def test_run_status_summarises_its_deliveries(db_session, run):
    assert run.statut_notifications == "aucune"
    first = add(db_session, run, statut="envoyee")
    assert run.statut_notifications == "envoyees"
    second = add(db_session, run, statut="echec")
    assert run.statut_notifications == "partielle"
    first.statut = "echec"
    assert run.statut_notifications == "echec"
    second.statut = "en_cours"
    assert run.statut_notifications == "en_attente"
    run.notifier = False
    assert run.statut_notifications == "desactivees"
