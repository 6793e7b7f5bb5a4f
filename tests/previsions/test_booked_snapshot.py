"""The daily snapshot of booked demand: written by the appointments' refresh after they are stored,
one per day (a second sync the same day replaces it, never doubles it), a later day a second one.
Both databases; the appointments come from the fake Gazelle through the real sync."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inventaire.previsions import snapshot
from inventaire.previsions.booked import Horizon
from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.tasks import gazelle_run
from tests.gazelle.conftest import gazelle, gz_settings  # noqa: F401  (fixtures)
from tests.helpers import make_product, make_technician
from tests.rendezvous.conftest import at, local_day

PLS, TRAIT = "mit_2eBOzDvunD7PHs6M", "mit_CX6CvWXbjs08vg70"
ALLAN, JP = "usr_aS8wQ2nLk4Tz", "usr_jR5tY9bHq2Wf"


def _world(db_session):
    allan = make_technician(db_session, nom="Allan", gazelle_id=ALLAN)
    pads, treatment = make_product(db_session, code_produit="PLS-BUV"), make_product(db_session, code_produit="TRAIT")
    regles.create(db_session=db_session, service_id=PLS, product=pads, quantite=Decimal(1))
    regles.create(db_session=db_session, service_id=TRAIT, product=treatment, quantite=Decimal("0.5"))
    db_session.commit()
    return allan.id, pads.id, treatment.id


def _sync(session_factory, settings) -> dict:
    return gazelle_run.run_sync(session_factory=session_factory, settings=settings).rapport.rendez_vous


def _rows(db_session, day: dt.date) -> list[tuple]:
    db_session.expire_all()
    return [(r.instantane, r.emplacement_id, r.produit_id, r.jour, r.quantite)
            for r in snapshot.read(db_session=db_session, first=day, last=day)]


def test_one_snapshot_a_day(gazelle, gz_settings, session_factory, db_session):  # noqa: F811
    allan, pads, treatment = _world(db_session)
    gazelle.add_event("evt_1", start=at(1, 9), items=[(PLS, 200), (TRAIT, 100)])  # 2 pads, 1 × 0.5 treatment
    gazelle.add_event("evt_2", start=at(1, 13), items=[(PLS, 100)])
    gazelle.add_event("evt_jp", start=at(3, 10), user=JP, items=[(PLS, 100)])  # a user with no technician
    gazelle.add_event("evt_gone", start=at(2, 7), status="CANCELED", items=[(PLS, 100)])
    today, tomorrow, later = local_day(0), local_day(1), local_day(3)

    assert _sync(session_factory, gz_settings)["instantane"] == 3
    expected = [(today, allan, pads, tomorrow, Decimal(3)), (today, allan, treatment, tomorrow, Decimal("0.5")),
                (today, None, pads, later, Decimal(1))]
    assert _rows(db_session, today) == expected

    gazelle.add_event("evt_3", start=at(2, 9), items=[(PLS, 100)])  # booked since the morning's sync
    assert _sync(session_factory, gz_settings)["instantane"] == 4
    assert _rows(db_session, today) == [expected[0], (today, allan, pads, local_day(2), Decimal(1)), *expected[1:]]

    # A later day (the refresh's own day is today's: its horizon is given here): a second snapshot,
    # today's left as it was.
    next_day = Horizon(tomorrow, local_day(15))
    rendezvous_stored = rendezvous.booked(db_session=db_session, first=tomorrow, last=local_day(15))
    assert len(rendezvous_stored) == 4
    assert snapshot.take(db_session=db_session, horizon=next_day) == 4
    db_session.commit()
    assert [row[0] for row in _rows(db_session, tomorrow)] == [tomorrow] * 4
    assert len(_rows(db_session, today)) == 4
    assert len(snapshot.read(db_session=db_session, first=today, last=tomorrow)) == 8


def test_a_preview_writes_no_snapshot(gazelle, gz_settings, session_factory, db_session):  # noqa: F811
    _world(db_session)
    gazelle.add_event("evt_1", start=at(1, 9), items=[(PLS, 100)])
    report = gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, apercu=True).rapport
    assert "instantane" not in report.rendez_vous
    assert _rows(db_session, local_day(0)) == []
