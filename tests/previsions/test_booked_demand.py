"""GET /inventaire/previsions with booked appointments: `demande_reservee` per line and product, and
the cover taking it day by day (max of the day's bookings and the rate). Both databases.

The numbers are worked out by hand in each test. Day indexes: the forecast's day 0 is today in UTC;
the appointments' days are local (Montréal), so `shift` is -1 in the evening, when UTC is already
tomorrow (a booked day before the forecast's day 0 is then left out: none is booked today here).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from inventaire.auth import service as auth
from inventaire.kit.database import utcnow
from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from inventaire.stock import service as stock
from tests.helpers import bearer, make_line, make_product, make_technician, make_workshop
from tests.rendezvous.conftest import MONTREAL, local_day

PLS, NO_RULE = "mit_pls", "mit_sans_regle"


def appointment(key: str, user: str | None, offset: int, units: str, statut: str = "ACTIVE",
                service: str = PLS) -> Booked:
    day = local_day(offset)
    return Booked(id_externe=key, gazelle_user=user, jour=day,
                  debut=dt.datetime.combine(day, dt.time(9), MONTREAL).astimezone(dt.UTC), duree_minutes=60,
                  statut=statut, client="Client", titre=None, notes=None,
                  services=[{"id": f"esi_{key}", "service_id": service, "nom": None, "quantite": units}])


def shift() -> int:
    return (local_day(0) - utcnow().date()).days


@pytest.fixture
def world(db_session):
    """Allan uses a pad every other day (about 0.5 a day, 10 left); Margot has 40 and has used none."""
    allan = make_technician(db_session, nom="Allan", gazelle_id="usr_allan")
    margot = make_technician(db_session, nom="Margot", gazelle_id="usr_margot")
    atelier = make_workshop(db_session, nom="Atelier")
    pads = make_product(db_session, code_produit="PLS-BUV", nom_produit="Buvards PLS", unite="jeu")
    make_line(db_session, atelier, pads, 30)
    now = utcnow()
    for tech in (allan, margot):
        stock.adjust(db_session=db_session, location=tech, product=pads, kind="reception",
                     delta=Decimal(40), auteur="essai", at=now - dt.timedelta(days=70), cause="manuel")
    for day in range(1, 61, 2):
        stock.adjust(db_session=db_session, location=allan, product=pads, kind="utilisation",
                     delta=Decimal(-1), auteur="essai", at=now - dt.timedelta(days=day), cause="manuel")
    regles.create(db_session=db_session, service_id=PLS, product=pads, quantite=Decimal(1))
    first, last = local_day(0), local_day(30)
    rendezvous.replace_window(db_session=db_session, first=first, last=last, read=[
        appointment("evt_a1", "usr_allan", 1, "1.000"),
        appointment("evt_m2", "usr_margot", 2, "10.000"),
        appointment("evt_jp", "usr_inconnu", 3, "5.000"),  # a Gazelle user mapped to no technician
        appointment("evt_m4", "usr_margot", 4, "35.000"),
        appointment("evt_annule", "usr_allan", 2, "9.000", statut="CANCELED"),
        appointment("evt_libre", "usr_allan", 3, "9.000", service=NO_RULE),  # no rule: takes nothing
        appointment("evt_loin", "usr_allan", 20, "9.000"),  # beyond the 14 days of the horizon
    ])
    db_session.commit()
    return {"allan": allan, "margot": margot}


def test_booked_demand_per_line_and_product(client, world):
    body = client.get("/inventaire/previsions").json()
    lines = {row["technicien"]: row for row in body["lignes"]}
    k = shift()

    # Margot: no rate; 10 on day 2, 35 on day 4 against 40: day 4 cannot be covered, 30 of its 35 are.
    margot = lines["Margot"]
    assert margot["demande_reservee"] == 45 and margot["consommation_par_jour"] == 0
    assert margot["jours_de_couverture"] == pytest.approx(4 + k + 0.9)  # 30 / 35 = 0.857 of day 4
    assert margot["rupture_prevue"] == local_day(4).isoformat() and margot["source_rupture"] == "rendez-vous"
    assert margot["jours_reserves"] == pytest.approx(1.9)  # day 2 whole, 0.857 of day 4

    # Allan: about 0.5 a day, 10 left; the one pad of day 1 takes 1 − rate more than the rate alone.
    allan = lines["Allan"]
    rate = allan["consommation_par_jour"]
    assert 0.45 <= rate <= 0.55 and allan["demande_reservee"] == 1
    assert allan["jours_de_couverture"] == pytest.approx((10 - (1 - rate)) / rate, abs=0.1)
    assert allan["source_rupture"] == "rythme" and allan["jours_reserves"] == 1
    stockout = dt.date.fromisoformat(allan["rupture_prevue"]) - utcnow().date()
    assert abs(stockout.days - (10 - (1 - rate)) / rate) <= 1

    # Company-wide: every booking, the unmapped user's included: 1 + 10 + 5 + 35 = 51 against 50 held
    # by the vans; 16 used by the end of day 3 (and the rate on today, under 1), day 4 cannot be covered.
    [product] = body["produits"]
    assert product["demande_reservee"] == 51 and product["quantite"] == 50
    assert product["rupture_prevue"] == local_day(4).isoformat() and product["source_rupture"] == "rendez-vous"


def test_a_workshop_books_nothing(client, world):
    [line] = client.get("/inventaire/previsions", params={"technicien": "Atelier"}).json()["lignes"]
    assert line["demande_reservee"] == 0 and line["jours_reserves"] == 0 and line["rupture_prevue"] is None


def test_a_technician_sees_only_their_own(app, db_session, world):
    raw, _ = auth.create_token(db_session=db_session, role="technicien", technician=world["allan"])
    db_session.commit()
    with TestClient(app, headers=bearer(raw)) as phone:
        body = phone.get("/inventaire/previsions").json()
    assert [(row["technicien"], row["demande_reservee"]) for row in body["lignes"]] == [("Allan", 1)]
    assert body["produits"] is None


def test_without_bookings_the_rate_alone(client, db_session):
    """No appointment stored: every field is there, booked demand zero, the cover the rate's."""
    allan = make_technician(db_session, nom="Allan", gazelle_id="usr_allan")
    pads = make_product(db_session, code_produit="PLS-BUV")
    make_line(db_session, allan, pads, 8)
    db_session.commit()
    [line] = client.get("/inventaire/previsions").json()["lignes"]
    assert (line["demande_reservee"], line["jours_reserves"], line["source_rupture"]) == (0, 0, None)
    assert line["jours_de_couverture"] is None


def test_the_order_suggestion_adds_what_the_bookings_take_above_the_rate(client, world):
    """Every booked day (1, 10, 5 and 35 pads) is within the 14 days covered: each adds its bookings
    less the company-wide rate, so 51 − 4 × rate more than the rate alone."""
    [product] = client.get("/inventaire/previsions").json()["produits"]
    rate = product["consommation_par_jour"]
    body = client.get("/inventaire/commandes/suggestion", params={"atelier": "Atelier"}).json()
    [line] = body["sans_fournisseur"]
    assert line["jours_couverts"] == 14 and line["demande_pls"] == 0
    assert line["demande_reservee"] == pytest.approx(51 - 4 * rate, abs=0.01)
    assert line["prevision"] == pytest.approx(14 * rate + 51 - 4 * rate, abs=0.01)


def test_the_check_lists_a_stockout_only_the_bookings_predict(client, pages, world):
    """Margot has used nothing (no rate): only her bookings run her out, on day 4, within the 14 days
    before the next order; Allan's 10 at about 0.5 a day last past them. The dashboard says why."""
    rapport = client.post("/inventaire/check-stock", params={"notifier": "false"}).json()["rapport"]
    assert [(p["technicien"], p["code_produit"], p["rupture_prevue"], p["source_rupture"], p["demande_reservee"])
            for p in rapport["ruptures_prevues"]] == [("Margot", "PLS-BUV", local_day(4).isoformat(), "rendez-vous", 45)]
    dashboard = pages.get("/").text
    row = dashboard[dashboard.index('data-code="PLS-BUV" data-technicien="Margot"'):]
    assert "selon les rendez-vous (45 réservés)" in row[:row.index("</tr>")]
