"""The « Règles » page lists the services booked in the coming days that no rule covers, most booked first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from tests.helpers import make_product
from tests.rendezvous.conftest import MONTREAL, local_day

PLS, ONLINE, TUNING = "mit_2eBOzDvunD7PHs6M", "mit_N6BwvFPuAnai6zXh", "mit_fyPj2I8R4VQtEkkm"


def booked(n: int, offset: int, services: list[str], statut: str = "ACTIVE") -> Booked:
    day = local_day(offset)
    return Booked(id_externe=f"evt_{n}", gazelle_user="usr_x", jour=day,
                  debut=dt.datetime.combine(day, dt.time(9), MONTREAL).astimezone(dt.UTC), duree_minutes=60,
                  statut=statut, client="Client", titre=None, notes=None,
                  services=[{"id": f"esi_{n}_{i}", "service_id": s, "nom": f"Nom de {s}", "quantite": "1.000"}
                            for i, s in enumerate(services)] + [{"id": f"esi_{n}_libre", "service_id": None,
                                                                   "nom": "Déplacement", "quantite": "1.000"}])


def test_booked_services_without_rule_most_booked_first(pages, db_session):
    regles.create(db_session=db_session, service_id=PLS, product=make_product(db_session), quantite=Decimal(1))
    rendezvous.replace_window(db_session=db_session, first=local_day(-1), last=local_day(30), read=[
        booked(1, 1, [PLS, TUNING]), booked(2, 2, [ONLINE]), booked(3, 3, [ONLINE]),
        booked(4, 2, [ONLINE], statut="CANCELED"),  # cancelled: needs nothing
        booked(5, 20, [TUNING]), booked(6, -1, [TUNING])])  # beyond the horizon (14 days), and past
    db_session.commit()
    html = pages.get("/regles").text
    section = html.split('id="reserves-sans-regle"')[1].split("</ul>")[0]
    assert section.index(ONLINE) < section.index(TUNING)
    assert "2 rendez-vous" in section and "1 rendez-vous" in section
    assert PLS not in section and "Déplacement" not in section
