"""A Gazelle that answers badly, slowly or hostilely (issue 20: points 3, 5, 6, 13, 18) and politely
(429, the pause between pages), against the fake Gazelle, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from inventaire.gazelle import convert
from inventaire.gazelle.client import GazelleClient, GazelleError
from inventaire.gazelle.models import GazelleToken
from inventaire.regles import service as regles
from inventaire.stock.models import Transaction
from inventaire.tasks import gazelle_run
from tests.gazelle.conftest import ALLAN, PLS
from tests.gazelle.fake import CLIENT_SECRET
from tests.helpers import balance_of, database_state, make_line, make_product
from tests.servers import configure


def node(number, *, quantity=100, status="PAID", assignee=ALLAN, updated="2026-01-01T00:00:01Z", **extra):
    item = {"id": f"ini_{number}", "description": None, "quantity": quantity,
            "masterServiceItem": {"id": PLS, "name": {"fr_CA": "Entretien annuel du système PLS"}}}
    invoice = {"id": f"inv_{number}", "number": number, "status": status, "updatedAt": updated,
               "createdAt": "2026-01-01T14:05:00Z", "assignedTo": {"id": assignee} if assignee else None,
               "client": {"companyName": None, "defaultContact": {"firstName": "Lina", "lastName": "Vanelli"}},
               "allInvoiceItems": {"pageInfo": {"hasNextPage": False, "endCursor": None}, "nodes": [item]}}
    invoice.update(extra)
    return invoice


def page(nodes, *, more=False, cursor=None):
    return {"data": {"allInvoices": {"totalCount": len(nodes), "nodes": nodes,
                                     "pageInfo": {"hasNextPage": more, "endCursor": cursor}}}}


def run(session_factory, settings, **kwargs):
    return gazelle_run.run_sync(session_factory=session_factory, settings=settings, **kwargs)


def test_each_invoice_on_its_own_a_bad_one_reported_in_french(gazelle, gz_settings, session_factory, van,
                                                               db_session):
    whole = make_product(db_session, code_produit="PLS-SYS", divisible=False)
    make_line(db_session, van, whole, 5)
    regles.create(db_session=db_session, service_id="mit_whole", product=whole, quantite=Decimal(1))
    db_session.commit()
    fractional = node(7, quantity=150)
    fractional["allInvoiceItems"]["nodes"][0]["masterServiceItem"] = {"id": "mit_whole", "name": None}
    bad = [node(2, quantity="abc"), node(3, quantity=float("nan")), node(4, quantity=1e30),
           {k: v for k, v in node(5).items() if k != "id"}, node(6, assignedTo="usr_x"), fractional,
           node(8, status=None), node(9, allInvoiceItems=[]), "pas une facture"]
    gazelle.faults.append(page([node(1)] + bad))
    result = run(session_factory, gz_settings)
    assert result.run.statut == "reussie" and result.rapport.services_appliques == 1
    assert balance_of(db_session, "Allan", "PLS-BUV") == 19 and balance_of(db_session, "Allan", "PLS-SYS") == 5
    reasons = {e.facture: e.erreur for e in result.rapport.erreurs}
    assert reasons == {
        "n° 2": 'quantité illisible : "abc"', "n° 3": "quantité illisible : NaN", "n° 4": "quantité démesurée : 1e+30",
        "n° 5": "facture sans identifiant", "n° 6": "technicien assigné (assignedTo) illisible",
        "n° 7": "« PLS-SYS » se compte en unités entières (unité) : 1,5 refusé.",
        "n° 8": "statut inconnu : null", "n° 9": "lignes (allInvoiceItems) illisibles",
        "sans identifiant": "facture sans identifiant",
    }
    assert "9 factures en erreur" in result.rapport.summary(run_id=1)


@pytest.mark.parametrize("answer", [{"data": []}, {"data": {"allInvoices": None}}, [],
                                    {"data": {"allInvoices": {"nodes": "x", "pageInfo": {}}}},
                                    {"data": {"allInvoices": {"nodes": [], "pageInfo": {"hasNextPage": True}}}}])
def test_a_wrongly_shaped_answer_is_a_french_502(client, app, gazelle, checked, van, db_session, answer):
    configure(app, **gazelle.settings())
    before = database_state(db_session)
    gazelle.faults.append(answer)
    failed = client.post("/inventaire/gazelle/sync")
    assert failed.status_code == 502, failed.text
    assert failed.json()["detail"].startswith(("Réponse de Gazelle mal formée", "Gazelle annonce une page suivante"))
    assert database_state(db_session)["balances"] == before["balances"]


def test_a_repeated_cursor_and_a_page_larger_than_asked_are_refused(gazelle, gz_settings, session_factory, van):
    gazelle.faults.extend([page([node(1)], more=True, cursor="c1"), page([node(2)], more=True, cursor="c1")])
    with pytest.raises(GazelleError, match="curseur déjà lu"):
        run(session_factory, gz_settings)
    assert len(gazelle.queries) == 2
    gazelle.faults.append(page([node(n) for n in range(101)]))
    with pytest.raises(GazelleError, match="page de 101 éléments pour 100 demandés"):
        run(session_factory, gz_settings)


def test_pages_and_the_run_are_bounded(gazelle, gz_settings, session_factory, van):
    for number in range(1, 251):
        gazelle.add_invoice(number, items=[(PLS, 100)])
    with pytest.raises(GazelleError, match="Plus de 2 pages"):
        run(session_factory, gz_settings.model_copy(update={"gazelle_max_pages": 2}))
    gazelle.queries.clear()
    gazelle.delay = 0.4
    started = time.monotonic()
    with pytest.raises(GazelleError, match="durée maximale"):
        run(session_factory, gz_settings.model_copy(update={"gazelle_run_seconds": 0.6}))
    assert time.monotonic() - started < 5 and len(gazelle.queries) <= 2


def test_a_trickled_page_and_an_oversized_one_are_cut(gazelle, gz_settings, session_factory, van):
    gazelle.add_invoice(1, items=[(PLS, 100)])
    gazelle.faults.append("trickle")
    started = time.monotonic()
    with pytest.raises(GazelleError, match="délai dépassé"):
        run(session_factory, gz_settings.model_copy(update={"gazelle_timeout": 1.0, "gazelle_attempts": 1}))
    assert time.monotonic() - started < 4
    for number in range(2, 100):
        gazelle.add_invoice(number, items=[(PLS, 100)])
    with pytest.raises(GazelleError, match="trop volumineuse"):
        run(session_factory, gz_settings.model_copy(update={"gazelle_max_bytes": 10_000}))


def test_429_waits_for_retry_after_bounded_and_counted_and_pages_pause(gazelle, gz_settings, session_factory, van):
    for number in range(1, 151):
        gazelle.add_invoice(number, items=[(PLS, 10)])
    gazelle.faults.extend(["429", "ok", "429"])
    gazelle.retry_after = "9999"
    sleeps: list[float] = []
    settings = gz_settings.model_copy(update={"gazelle_pause_ms": 200, "gazelle_retry_after_max": 5})
    client = GazelleClient(settings, session_factory, sleep=sleeps.append)
    result = run(session_factory, settings, client=client)
    assert result.rapport.attentes_429 == 2 and result.rapport.factures_lues == 150
    assert sleeps == [5.0, 0.2, 5.0]  # Retry-After (bounded), the pause before page 2, Retry-After again


@pytest.mark.parametrize("answer", [{"access_token": None}, {"expires_in": "une heure"}, {"access_token": 12},
                                    {"expires_in": 10 ** 15}, {"expires_in": None, "token_type": []}])
def test_a_new_refresh_token_is_stored_before_anything_else_is_read(gazelle, gz_settings, session_factory,
                                                                    db_session, answer):
    gazelle.token_answer = {"access_token": "at-ignored", "expires_in": 3600, **answer}
    with GazelleClient(gz_settings, session_factory) as client:
        try:
            client.users()
        except GazelleError as exc:
            assert "jeton d'accès" in exc.detail
    db_session.expire_all()
    assert db_session.get(GazelleToken, 1).refresh_token == gazelle.refresh_token  # the rotated one, kept
    gazelle.expire_access_tokens()
    with GazelleClient(gz_settings, session_factory) as client:
        assert len(client.users()) == 4
    assert gazelle.refused == []


def test_gazelle_error_text_is_redacted_in_answers_runs_and_logs(client, app, gazelle, checked, van, db_session,
                                                                 caplog):
    configure(app, **gazelle.settings())
    [access] = list(gazelle.access)
    caplog.set_level(logging.INFO)
    echoed = (f"jeton {access} refusé ; Authorization: Bearer {access} ; client_secret={CLIENT_SECRET} ; "
              f"refresh_token={gazelle.refresh_token}")
    gazelle.faults.append({"errors": [{"message": echoed}], "data": None})
    failed = client.post("/inventaire/gazelle/sync")
    assert failed.status_code == 502 and "Gazelle a répondu par des erreurs GraphQL" in failed.json()["detail"]
    shown = json.dumps([failed.json(), client.get("/inventaire/gazelle/syncs").json(),
                        client.get("/inventaire/gazelle/etat").json()]) + caplog.text
    for secret in (access, CLIENT_SECRET, gazelle.refresh_token):
        assert secret not in shown


def test_the_same_invoice_twice_is_chosen_deterministically_and_reported():
    a = node(7, quantity=100, updated="2026-01-01T00:00:05Z")
    b = node(7, quantity=200, updated="2026-01-01T00:00:05Z")
    newer = node(7, quantity=300, updated="2026-01-01T00:00:06Z")
    assert convert.unique([a, b]) == convert.unique([b, a]) == ([b], ["n° 7"])
    assert convert.unique([newer, a, b])[0] == [newer]


def test_duplicates_in_one_answer_then_a_draft_and_an_unknown_status(gazelle, gz_settings, session_factory, van,
                                                                     db_session):
    twice = [node(7, quantity=100), node(7, quantity=200)]
    gazelle.faults.append(page(twice))
    first = run(session_factory, gz_settings)
    assert first.rapport.doublons == ["n° 7"] and balance_of(db_session, "Allan", "PLS-BUV") == 18
    gazelle.faults.append(page(list(reversed(twice))))
    assert run(session_factory, gz_settings).rapport.mouvements_ecrits == 0  # no flip from one sync to the next
    gazelle.faults.append(page([node(7, quantity=200, status="DRAFT")]))
    draft = run(session_factory, gz_settings)
    assert draft.rapport.brouillons_deja_deduits == ["n° 7"] and draft.rapport.mouvements_ecrits == 0
    gazelle.faults.append(page([node(7, quantity=200, status="VOID")]))
    unknown = run(session_factory, gz_settings)
    assert [(e.facture, e.erreur) for e in unknown.rapport.erreurs] == [
        ("n° 7", 'statut inconnu : "VOID" (sa déduction déjà faite est gardée)')]
    assert balance_of(db_session, "Allan", "PLS-BUV") == 18
    # One movement per product of the PLS rule (pads and wick), written by the first sync only.
    assert db_session.scalar(select(func.count(Transaction.id)).where(Transaction.auteur == "gazelle")) == 2
