"""The change counter: every table the dashboard's polled part reads has its trigger, and every write moves it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import event, text

from inventaire.catalogue import service as catalogue
from inventaire.checks import service as checks
from inventaire.checks.models import Notification
from inventaire.demo.loader import load_demo
from inventaire.gazelle.models import GazelleSync
from inventaire.kit.changes import data_version
from inventaire.kit.database import utcnow
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens
from inventaire.web.pages.tableau import dashboard_context
from tests.helpers import make_workshop
from tests.rendezvous.conftest import local_day

TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?([a-z_]+)"?', re.IGNORECASE)


@pytest.fixture
def everything(client, db_session):
    """Some of every kind of row the dashboard shows: the demo, a shortfall, a failed sync, a run's deliveries,
    an appointment booked tomorrow (its booked demand moves a predicted stockout)."""
    load_demo(db_session=db_session)
    tomorrow = local_day(1)
    rendezvous.replace_window(db_session=db_session, first=tomorrow, last=tomorrow, read=[Booked(
        id_externe="evt_1", gazelle_user="usr_inconnu", jour=tomorrow, debut=utcnow() + dt.timedelta(days=1),
        duree_minutes=60, statut="ACTIVE", client="Lina", titre=None, notes=None,
        services=[{"id": "esi_1", "service_id": "mit_CX6CvWXbjs08vg70", "nom": None, "quantite": "1.000"}])])
    make_workshop(db_session, nom="Réserve du sous-sol")
    db_session.add(GazelleSync(statut="echec", jours=3, declenchee_par="cron", erreur="délai dépassé"))
    run = checks.run_check(db_session=db_session, technician=None, seuil_critique=None, default=Decimal(5),
                           declenchee_par="essai")
    db_session.add(Notification(verification_id=run.id, canal="email", destinataires=["bureau@example.com"],
                                sujet="Alertes", contenu={"texte": "essai"}, statut="en_attente", tentatives=0))
    db_session.commit()
    body = {"source": "gazelle", "id_externe": "inv_1", "numero": "1", "statut": "actif", "technicien": "Allan",
            "client": "Lina", "date": "2026-11-30",
            "lignes": [{"id_externe": "l1", "service_id": "mit_CX6CvWXbjs08vg70", "quantite": 500,
                        "description": "Traitement de l'eau"}]}
    assert client.post("/inventaire/services", json=body).status_code == 200, "a shortfall is open"


def tables_read(connection, db_session, settings) -> set[str]:
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", seen)
    try:
        context = dashboard_context(db_session, settings)
        assert context["manques"] and context["sync_probleme"] and context["verifications"][0].notifications
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    return {name.lower() for s in statements for name in TABLE.findall(s)}


def tracked_tables(db_session) -> set[str]:
    if db_session.get_bind().dialect.name == "postgresql":
        rows = db_session.execute(text(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%\\_changement' AND NOT tgisinternal"))
        return {r[0].strip('"') for r in rows}
    rows = db_session.execute(text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")).all()
    names = {(table, name) for table, name in rows}
    return {table for table, _ in names
            if all((table, f"{table}_changement_{a}") in names for a in ("insert", "update", "delete"))}


def test_every_table_the_dashboard_reads_moves_the_counter(everything, connection, db_session, settings):
    read = tables_read(connection, db_session, settings)
    assert {"transactions_inventaire", "notifications", "deductions", "gazelle_syncs", "rendez_vous",
            "regles_consommation"} <= read
    assert read - tracked_tables(db_session) == set()


def test_a_write_to_any_tracked_table_changes_the_version(everything, db_session):
    for table in sorted(tracked_tables(db_session) - {"transactions_inventaire"}):
        before = data_version(db_session=db_session)
        assert db_session.execute(text(f'UPDATE "{table}" SET id = id')).rowcount > 0, table
        assert data_version(db_session=db_session) != before, table
    before = data_version(db_session=db_session)  # the ledger only takes INSERTs: a reception
    van = techniciens.get_by_name(db_session=db_session, nom="Allan")
    stock.adjust(db_session=db_session, location=van, product=catalogue.get_by_code(
        db_session=db_session, code_produit="PLS-TRAIT-227"), kind="reception", delta=Decimal(1), auteur="essai", cause="manuel")
    db_session.flush()
    assert data_version(db_session=db_session) != before
