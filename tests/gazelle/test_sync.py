"""The Gazelle sync against the fake Gazelle: statuses, hundredths, pages, edits, late rules and
technicians, shortfalls, and every way Gazelle can fail. Each scenario runs on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.catalogue import service as catalogue
from inventaire.gazelle.client import GazelleError
from inventaire.gazelle.models import GazelleSync, GazelleToken
from inventaire.kit.exceptions import Conflict
from inventaire.regles import service as regles
from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine, Transaction
from inventaire.tasks import gazelle_run
from tests.helpers import database_state, make_line, make_product, make_technician

PLS, TRAIT, CORY = "mit_2eBOzDvunD7PHs6M", "mit_CX6CvWXbjs08vg70", "mit_eRqZsLAzRs3ypEGC"
ALLAN = "usr_aS8wQ2nLk4Tz"


def run(session_factory, settings, **kwargs):
    return gazelle_run.run_sync(session_factory=session_factory, settings=settings, **kwargs)


def qty(db_session, code):
    db_session.expire_all()
    line = db_session.scalar(select(StockLine).where(StockLine.produit.has(code_produit=code)))
    assert ledger_sum(db_session=db_session, line=line) == line.quantite
    return line.quantite


def test_statuses_and_hundredths(gazelle, gz_settings, session_factory, van, db_session):
    for number, status in ((1, "PAID"), (2, "OPEN"), (3, "OVERDUE"), (4, "DRAFT"), (5, "CANCELED"), (6, "DELETED")):
        gazelle.add_invoice(number, status=status, items=[(PLS, 100)])
    gazelle.add_invoice(7, items=[(PLS, 50), (None, 100, "Déplacement")])  # half a service, a free line
    result = run(session_factory, gz_settings)
    r = result.rapport.model_dump(mode="json")
    assert (r["factures_lues"], r["brouillons_ignores"], r["services_appliques"]) == (7, 1, 6)
    assert qty(db_session, "PLS-BUV") == Decimal("16.5")  # 20 − 3 − 0,5; drafts and cancelled take nothing
    refs = {t.reference for t in db_session.scalars(select(Transaction).where(Transaction.auteur == "gazelle"))}
    assert refs == {"Facture #1", "Facture #2", "Facture #3", "Facture #7"}
    motif = db_session.scalar(select(Transaction.motif).where(Transaction.reference == "Facture #1"))
    assert motif == "Facture #1 — Lina Vanelli — Entretien annuel du système PLS"
    assert db_session.get(GazelleSync, result.run.id).statut == "reussie"

    gazelle.set_status(4, "PAID")  # the draft is billed now
    gazelle.set_status(1, "CANCELED")  # and the first one cancelled: given back
    second = run(session_factory, gz_settings)
    assert second.rapport.services_appliques == 2 and second.rapport.services_inchanges == 5
    assert qty(db_session, "PLS-BUV") == Decimal("16.5")
    before = database_state(db_session)
    quiet = run(session_factory, gz_settings)  # nothing changed in Gazelle: nothing written but the run
    assert (quiet.rapport.mouvements_ecrits, quiet.rapport.services_appliques) == (0, 0)
    after = database_state(db_session)
    assert after["balances"] == before["balances"]
    assert after["rows"] == {**before["rows"], "gazelle_syncs": before["rows"]["gazelle_syncs"] + 1}


def test_several_pages_are_read_to_the_end(gazelle, gz_settings, session_factory, van, db_session):
    for number in range(1, 251):
        gazelle.add_invoice(number, items=[(TRAIT, 100)] if number % 50 == 0 else [(None, 100)])
    items = [(TRAIT, 1)] * 130  # one invoice with more items than a page: 1,3 bottles in all
    gazelle.add_invoice(999, items=items)
    result = run(session_factory, gz_settings)
    assert result.rapport.factures_lues == 251
    assert len([q for q in gazelle.queries if "allInvoices" in q["query"]]) == 3
    assert any("MoreItems" in q["query"] for q in gazelle.queries)
    assert qty(db_session, "PLS-TRAIT-227") == 0  # 3 − 5 − 1,3: the rest is short
    assert sum(Decimal(m["manque"]) for m in result.rapport.manques) == Decimal("3.3")


def test_edits_rules_and_technicians_added_later(gazelle, gz_settings, session_factory, van, db_session):
    gazelle.add_invoice(10, items=[(PLS, 100)])
    gazelle.add_invoice(11, assignee="usr_nL3pR7vXc1Md", items=[(PLS, 100)])
    gazelle.add_invoice(12, items=[(CORY, 100)])
    first = run(session_factory, gz_settings)
    assert first.rapport.techniciens_inconnus == [{"gazelle_id": "usr_nL3pR7vXc1Md", "factures": 1}]
    assert first.rapport.lignes_sans_regle[0]["service_id"] == CORY
    assert qty(db_session, "PLS-BUV") == 19

    gazelle.set_items(10, [(PLS, 200), (TRAIT, 100)])  # quantity changed, a line added
    nicolas = make_technician(db_session, nom="Nicolas", gazelle_id="usr_nL3pR7vXc1Md")
    make_line(db_session, nicolas, catalogue.get_by_code(db_session=db_session, code_produit="PLS-BUV"), 4)
    kit = make_product(db_session, code_produit="PROD-4")
    make_line(db_session, van, kit, 2)
    regles.create(db_session=db_session, service_id=CORY, product=kit, quantite=Decimal(1))
    db_session.commit()
    second = run(session_factory, gz_settings)
    moves = sorted((m["technicien"], m["code_produit"], m["ajustement"]) for m in second.rapport.mouvements)
    assert moves == [("Allan", "PLS-BUV", -1), ("Allan", "PLS-GAINE", -1), ("Allan", "PLS-TRAIT-227", -1),
                     ("Allan", "PROD-4", -1), ("Nicolas", "PLS-BUV", -1)]
    assert second.rapport.techniciens_inconnus == [] and second.rapport.lignes_sans_regle == []

    gazelle.set_items(10, [(TRAIT, 100, None, "ini_10_1")])  # the PLS line removed: its parts come back
    third = run(session_factory, gz_settings)
    assert sorted((m["code_produit"], m["ajustement"]) for m in third.rapport.mouvements) == [
        ("PLS-BUV", 2), ("PLS-GAINE", 2)]


def test_preview_writes_nothing(gazelle, gz_settings, session_factory, van, db_session):
    gazelle.add_invoice(20, items=[(PLS, 100)])
    run(session_factory, gz_settings)  # first run: tokens are stored
    gazelle.add_invoice(21, items=[(PLS, 300)])
    before = database_state(db_session)
    preview = run(session_factory, gz_settings, apercu=True)
    assert preview.run is None and preview.rapport.mouvements_ecrits == 2
    assert database_state(db_session) == before


def test_a_second_sync_is_refused_while_one_runs(gz_settings, session_factory, van, db_session):
    gazelle_run.claim(session_factory=session_factory, settings=gz_settings, jours=30, by="autre")
    before = database_state(db_session)
    with pytest.raises(Conflict, match="déjà en cours"):
        run(session_factory, gz_settings)
    assert database_state(db_session) == before


@pytest.mark.parametrize("fault", ["500", "timeout", "graphql"])
def test_gazelle_failing_writes_nothing_and_is_stored(gazelle, gz_settings, session_factory, van, db_session, fault):
    gazelle.add_invoice(30, items=[(PLS, 100)])
    for number in range(31, 160):
        gazelle.add_invoice(number, items=[(TRAIT, 100)])
    gazelle.faults.extend(["ok"] + [fault] * gz_settings.gazelle_attempts)  # page 1 is read, page 2 never
    stock_before = database_state(db_session)["balances"]
    with pytest.raises(GazelleError) as raised:
        run(session_factory, gz_settings.model_copy(update={"gazelle_timeout": 0.5}))
    assert "Gazelle" in raised.value.detail
    assert database_state(db_session)["balances"] == stock_before
    assert db_session.scalar(select(func.count(Transaction.id)).where(Transaction.auteur == "gazelle")) == 0
    failed = db_session.scalar(select(GazelleSync).order_by(GazelleSync.id.desc()))
    db_session.refresh(failed)
    assert failed.statut == "echec" and failed.erreur == raised.value.detail


def test_a_500_once_is_retried(gazelle, gz_settings, session_factory, van, db_session):
    gazelle.add_invoice(40, items=[(PLS, 100)])
    gazelle.faults.append("500")
    assert run(session_factory, gz_settings).rapport.services_appliques == 1


def test_access_token_reused_then_refreshed_once_on_401(gazelle, gz_settings, session_factory, van, db_session):
    gazelle.add_invoice(50, items=[(PLS, 100)])
    run(session_factory, gz_settings)
    run(session_factory, gz_settings)
    assert len(gazelle.token_requests) == 1  # the access token lives on between runs
    gazelle.expire_access_tokens()  # Gazelle ended it before its announced expiry
    run(session_factory, gz_settings)
    assert len(gazelle.token_requests) == 2


def test_refresh_token_rotated_by_a_run_that_then_failed(gazelle, gz_settings, session_factory, van, db_session):
    gazelle.add_invoice(60, items=[(PLS, 100)])
    first_refresh = gazelle.refresh_token
    gazelle.expire_access_tokens()  # this run refreshes (the schema check's token is dead)
    gazelle.faults.extend(["500"] * gz_settings.gazelle_attempts)
    with pytest.raises(GazelleError):
        run(session_factory, gz_settings)
    assert first_refresh in gazelle.dead_refresh  # Gazelle rotated it: only the new one works now
    db_session.expire_all()
    assert db_session.get(GazelleToken, 1).refresh_token == gazelle.refresh_token  # kept despite the failure
    gazelle.expire_access_tokens()
    assert run(session_factory, gz_settings).rapport.services_appliques == 1  # the new one was used
    assert gazelle.refused == []


def test_a_refused_refresh_token_fails_in_french(gazelle, gz_settings, session_factory, van):
    stale = gz_settings.model_copy(update={"gazelle_refresh_token": __import__("pydantic").SecretStr("rt-mort")})
    gazelle.expire_access_tokens()
    with pytest.raises(GazelleError, match="refuse le jeton de rafraîchissement"):
        run(session_factory, stale)
