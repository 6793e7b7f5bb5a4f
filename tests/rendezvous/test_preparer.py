"""« Préparer » for a day: the picking list brings the larger of the par shortfall and the day's a_charger;
a bad date changes nothing. Both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inventaire.demandes import service as demandes
from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from tests.helpers import balance_of, database_state, make_line, make_product, make_technician, make_workshop
from tests.rendezvous.conftest import MONTREAL, local_day

PLS, TRAIT = "mit_2eBOzDvunD7PHs6M", "mit_CX6CvWXbjs08vg70"


def booked(n: int, day: dt.date, services: list[tuple[str, str]]) -> Booked:
    return Booked(id_externe=f"evt_{n}", gazelle_user="usr_allan", jour=day,
                  debut=dt.datetime.combine(day, dt.time(8 + n), MONTREAL).astimezone(dt.UTC), duree_minutes=60,
                  statut="ACTIVE", client="Client", titre=None, notes=None,
                  services=[{"id": f"esi_{n}_{i}", "service_id": s, "nom": None, "quantite": q}
                            for i, (s, q) in enumerate(services)])


def setup(db_session):
    allan = make_technician(db_session, nom="Allan", gazelle_id="usr_allan")
    atelier = make_workshop(db_session, nom="Atelier")
    buv, gaine, trait = (make_product(db_session, code_produit=c) for c in ("PLS-BUV", "PLS-GAINE", "PLS-TRAIT"))
    make_line(db_session, allan, buv, 1, niveau_par=Decimal(3))  # 2 under par
    make_line(db_session, allan, gaine, 3, niveau_par=Decimal(3))  # at par
    for product in (buv, gaine):
        make_line(db_session, atelier, product, 10)
        regles.create(db_session=db_session, service_id=PLS, product=product, quantite=Decimal(1))
    regles.create(db_session=db_session, service_id=TRAIT, product=trait, quantite=Decimal(1))
    demandes.create(db_session=db_session, technician=allan, product=buv, quantity=Decimal(1), note=None, auteur="Allan")
    day = local_day(1)
    rendezvous.replace_window(db_session=db_session, first=day, last=day, read=[
        booked(0, day, [(PLS, "3.000"), (TRAIT, "1.000")]), booked(1, day, [(PLS, "2.000")])])
    db_session.commit()
    return day


def test_preparer_covers_the_day(client, db_session):
    day = setup(db_session).isoformat()
    params = {"technicien": "Allan", "atelier": "Atelier"}
    plain = {(i["code_produit"], i["demande"] is None): i["a_apporter"]
             for i in client.get("/inventaire/reapprovisionnement", params=params).json()}
    assert plain == {("PLS-BUV", False): 1, ("PLS-BUV", True): 2}
    listed = client.get("/inventaire/reapprovisionnement", params={**params, "date": day}).json()
    # BUV: 5 required − 1 in the van − 1 asked = 3 > 2 under par; GAINE: 5 − 3 = 2; TRAIT: 1, none in the workshop
    assert {(i["code_produit"], i["demande"] is None): (i["a_apporter"], i["a_charger"]) for i in listed} == {
        ("PLS-BUV", False): (1, 0), ("PLS-BUV", True): (3, 3), ("PLS-GAINE", True): (2, 2), ("PLS-TRAIT", True): (1, 1)}

    before = database_state(db_session)
    bad = client.post("/inventaire/reapprovisionnement", json={**params, "date": "2026-02-30"})
    assert bad.status_code == 422 and "date" in bad.text
    assert database_state(db_session) == before

    done = client.post("/inventaire/reapprovisionnement", json={**params, "date": day}).json()
    assert [(s["code_produit"], s["manque"]) for s in done["non_servi"]] == [("PLS-TRAIT", 1)]
    assert balance_of(db_session, "Allan", "PLS-BUV") == 5 and balance_of(db_session, "Allan", "PLS-GAINE") == 5
    load = client.get("/inventaire/chargement/Allan", params={"date": day}).json()
    assert {line["code_produit"]: line["a_charger"] for line in load["lignes"]} == {
        "PLS-BUV": 0, "PLS-GAINE": 0, "PLS-TRAIT": 1}
