"""Appointments read from the fake Gazelle at each sync and replaced (reassigned, cancelled, a service
added, an event gone), and the van's load list built from them. Each scenario runs on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from inventaire.demandes import service as demandes
from inventaire.regles import service as regles
from inventaire.tasks import gazelle_run
from tests.helpers import bearer, database_state, make_line, make_product, make_technician, make_token
from tests.rendezvous.conftest import at, local_day

PLS, TRAIT, CORY = "mit_2eBOzDvunD7PHs6M", "mit_CX6CvWXbjs08vg70", "mit_eRqZsLAzRs3ypEGC"
ALLAN, NICOLAS, JP = "usr_aS8wQ2nLk4Tz", "usr_nL3pR7vXc1Md", "usr_jR5tY9bHq2Wf"
NOTES = "Client au 2e étage\nÀ apporter : cordes #3, buvards\n⚠️ RAPPEL : !! Apporter cordes de remplacement"


@pytest.fixture
def world(db_session):
    allan = make_technician(db_session, nom="Allan", gazelle_id=ALLAN)
    nicolas = make_technician(db_session, nom="Nicolas", gazelle_id=NICOLAS)
    products = {code: make_product(db_session, code_produit=code, nom_produit=name) for code, name in (
        ("PLS-BUV", "Jeu de buvards PLS"), ("PLS-GAINE", "Gaine (mèche) PLS"), ("PLS-TRAIT-227", "Traitement 227 ml"))}
    make_line(db_session, allan, products["PLS-BUV"], 1)
    make_line(db_session, allan, products["PLS-GAINE"], 5)
    for code, service in (("PLS-BUV", PLS), ("PLS-GAINE", PLS), ("PLS-TRAIT-227", TRAIT)):
        regles.create(db_session=db_session, service_id=service, product=products[code], quantite=Decimal(1))
    demandes.create(db_session=db_session, technician=allan, product=products["PLS-BUV"], quantity=Decimal(1),
                    note=None, auteur="Allan")
    db_session.commit()
    return {"allan": allan, "nicolas": nicolas, **products}


def book(gazelle):
    gazelle.add_event("evt_1", start=at(1, 9), items=[(PLS, 100), (TRAIT, 100)], notes=NOTES)
    gazelle.add_event("evt_2", start=at(1, 13), items=[(PLS, 100), (CORY, 100), (None, 100, "Déplacement")])
    gazelle.add_event("evt_3", start=at(1, 19, 30), items=[(PLS, 100)])  # 00:30 UTC the day after
    gazelle.add_event("evt_memo", start=at(1, 8), kind="MEMO", client=None, notes="À apporter : rien")
    gazelle.add_event("evt_perso", start=at(1, 0), kind="PERSONAL", client=None, duration=2880)
    gazelle.add_event("evt_jp", start=at(1, 10), user=JP, items=[(PLS, 100)])  # a user with no technician
    gazelle.add_event("evt_later", start=at(2, 9), items=[(PLS, 100)])
    gazelle.add_event("evt_old", start=at(-3, 9), items=[(PLS, 100)])  # before the window: not read
    gazelle.add_event("evt_gone", start=at(1, 7), status="CANCELED", items=[(PLS, 100)])
    gazelle.add_event("evt_big", start=at(3, 9), user=NICOLAS, items=[(TRAIT, 10)] * 45)  # more items than a page
    for n in range(230):  # more events than a page
        gazelle.add_event(f"evt_n{n:03d}", start=at(4 + n % 9, 8 + n % 10), user=NICOLAS, items=[(None, 100)])


def sync(session_factory, settings):
    return gazelle_run.run_sync(session_factory=session_factory, settings=settings).rapport.rendez_vous


def test_read_replaced_and_loaded(gazelle, gz_settings, session_factory, world, db_session, client):
    book(gazelle)
    first = sync(session_factory, gz_settings)
    assert (first["lus"], first["ajoutes"], first["modifies"], first["supprimes"]) == (237, 237, 0, 0)
    assert first["ignores"] == {"MEMO": 1, "PERSONAL": 1}
    assert first["techniciens_inconnus"] == [{"gazelle_id": JP, "rendez_vous": 1}]
    assert {"rendez_vous": "evt_2", "nom": "Déplacement"} in first["services_sans_msl"]
    assert any(q["query"].lstrip().startswith("query MoreEventItems") for q in gazelle.queries)

    tomorrow = local_day(1).isoformat()
    listed = client.get("/inventaire/rendez-vous", params={"depuis": tomorrow, "jusqu_a": tomorrow}).json()
    assert [a["id_externe"] for a in listed] == ["evt_1", "evt_jp", "evt_2", "evt_3"]  # no cancelled one
    assert listed[1]["technicien"] is None and listed[0]["technicien"] == "Allan"
    assert listed[0]["debut"].startswith(tomorrow + "T09:00:00-0")  # local time with its offset
    assert listed[0]["services"][1] == {"service_id": TRAIT, "nom": "Traitement de l'eau (PLS) : 227 ml",
                                        "quantite": 1}
    big = client.get("/inventaire/rendez-vous", params={"technicien": "Nicolas", "depuis": local_day(3).isoformat(),
                                                        "jusqu_a": local_day(3).isoformat()}).json()
    assert sum(s["quantite"] for a in big if a["id_externe"] == "evt_big" for s in a["services"]) == pytest.approx(4.5)

    load = client.get("/inventaire/chargement/Allan").json()  # default: tomorrow
    assert load["date"] == tomorrow and [a["id_externe"] for a in load["rendez_vous"]] == ["evt_1", "evt_2", "evt_3"]
    lines = {line["code_produit"]: line for line in load["lignes"]}
    assert lines["PLS-BUV"] == {"code_produit": "PLS-BUV", "nom_produit": "Jeu de buvards PLS", "requis": 3,
                                "en_stock": 1, "demande_ouverte": 1, "a_charger": 1}
    assert (lines["PLS-GAINE"]["requis"], lines["PLS-GAINE"]["a_charger"]) == (3, 0)  # 5 in the van
    assert (lines["PLS-TRAIT-227"]["en_stock"], lines["PLS-TRAIT-227"]["a_charger"]) == (0, 1)
    assert load["sans_regle"] == [{"service_id": CORY, "nom": "Ensemble d'entretien Cory", "quantite": 1}]
    assert load["a_apporter"] == ["À apporter : cordes #3, buvards", "⚠️ RAPPEL : !! Apporter cordes de remplacement"]

    # During the day: one moved to Nicolas, one cancelled, a service added, one gone from Gazelle.
    gazelle.events["evt_3"]["user"] = next(u for u in gazelle.users if u["id"] == NICOLAS)
    gazelle.events["evt_2"]["status"] = "CANCELED"
    gazelle.set_event_items("evt_1", [(PLS, 100), (TRAIT, 100), (TRAIT, 200)])
    del gazelle.events["evt_later"]
    second = sync(session_factory, gz_settings)
    assert (second["ajoutes"], second["modifies"], second["supprimes"], second["inchanges"]) == (0, 3, 1, 233)
    load = client.get("/inventaire/chargement/Allan", params={"date": tomorrow}).json()
    assert [a["id_externe"] for a in load["rendez_vous"]] == ["evt_1"]
    assert {line["code_produit"]: line["requis"] for line in load["lignes"]} == {
        "PLS-BUV": 1, "PLS-GAINE": 1, "PLS-TRAIT-227": 3}
    assert load["sans_regle"] == []
    assert [a["id_externe"] for a in client.get("/inventaire/chargement/Nicolas").json()["rendez_vous"]] == ["evt_3"]
    assert client.get("/inventaire/rendez-vous", params={"technicien": "Allan"}).json()[-1]["id_externe"] == "evt_1"

    before = database_state(db_session)
    quiet = sync(session_factory, gz_settings)  # nothing changed in Gazelle: nothing written but the run
    assert (quiet["ajoutes"], quiet["modifies"], quiet["supprimes"]) == (0, 0, 0)
    after = database_state(db_session)
    assert after["rows"] == {**before["rows"], "gazelle_syncs": before["rows"]["gazelle_syncs"] + 1}


def test_a_failed_read_keeps_the_stored_appointments(gazelle, gz_settings, session_factory, world, db_session, client):
    gazelle.add_event("evt_1", start=at(1, 9), items=[(PLS, 100)])
    sync(session_factory, gz_settings)
    gazelle.faults.extend(["ok", "graphql"])  # the invoices are read, then the events query fails
    report = sync(session_factory, gz_settings.model_copy(update={"gazelle_attempts": 1}))
    assert report["erreur"].startswith("Rendez-vous non relus (les précédents sont gardés) : Gazelle a répondu")
    assert [a["id_externe"] for a in client.get("/inventaire/chargement/Allan").json()["rendez_vous"]] == ["evt_1"]


def test_a_preview_stores_no_appointment(gazelle, gz_settings, session_factory, world, db_session, client):
    gazelle.add_event("evt_1", start=at(1, 9), items=[(PLS, 100)])
    result = gazelle_run.run_sync(session_factory=session_factory, settings=gz_settings, apercu=True)
    assert result.rapport.rendez_vous is not None
    assert result.rapport.rendez_vous["lus"] == 1 and "ajoutes" not in result.rapport.rendez_vous
    assert client.get("/inventaire/chargement/Allan").json()["rendez_vous"] == []


def test_who_may_read_and_bad_input(world, db_session, client, app):
    from fastapi.testclient import TestClient

    own = make_token(db_session, "technicien", technician=world["allan"])
    db_session.commit()
    with TestClient(app, headers=bearer(own), raise_server_exceptions=False) as allan:
        assert allan.get("/inventaire/chargement/Allan").status_code == 200
        assert allan.get("/inventaire/rendez-vous").status_code == 200
        refused = allan.get("/inventaire/chargement/Nicolas")
        assert refused.status_code == 403 and "Accès refusé" in refused.json()["detail"]
        assert allan.get("/inventaire/rendez-vous", params={"technicien": "Nicolas"}).status_code == 403
    assert client.get("/inventaire/chargement/Personne").status_code == 404
    bad = client.get("/inventaire/chargement/Allan", params={"date": "2026-02-30"})
    assert bad.status_code == 422
    backwards = client.get("/inventaire/rendez-vous", params={"depuis": "2026-12-09", "jusqu_a": "2026-12-08"})
    assert backwards.status_code in (400, 422) and "précède" in backwards.text
