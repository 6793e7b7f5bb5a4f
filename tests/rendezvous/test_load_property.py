"""Property: for any appointments, rules, van stock and open requests, each line of the load list has
`requis` = Σ item quantity × rule quantity over the day's appointments, and `a_charger` =
max(0, requis − en_stock − demande_ouverte), never negative; services no rule covers are listed apart."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventaire.chargement import service as chargement
from inventaire.demandes import service as demandes
from inventaire.regles import service as regles
from inventaire.rendezvous import service as rendezvous
from inventaire.rendezvous.reading import Booked
from tests.helpers import make_line, make_product, make_technician

SERVICES, PRODUCTS = 3, 3
DAY = dt.date(2026, 12, 8)
_run = itertools.count()
halves = st.integers(min_value=0, max_value=8).map(lambda n: Decimal(n) / 2)
appointment = st.fixed_dictionaries({
    "jour": st.sampled_from([DAY, DAY, DAY + dt.timedelta(days=1)]),  # another day must not count
    "statut": st.sampled_from(["ACTIVE", "ACTIVE", "COMPLETE", "CANCELED", "NO_SHOW"]),
    "items": st.lists(st.tuples(st.integers(0, SERVICES), halves), max_size=4),  # SERVICES: a free-text item
})
scenario = st.fixed_dictionaries({
    "rules": st.lists(st.one_of(st.none(), halves.filter(bool)), min_size=SERVICES * PRODUCTS,
                      max_size=SERVICES * PRODUCTS),
    "stock": st.lists(halves, min_size=PRODUCTS, max_size=PRODUCTS),
    "requests": st.lists(st.lists(halves.filter(bool), max_size=2), min_size=PRODUCTS, max_size=PRODUCTS),
    "appointments": st.lists(appointment, max_size=5),
})


def booked(run: int, n: int, data: dict, user: str) -> Booked:
    start = dt.datetime.combine(data["jour"], dt.time(14 + n), dt.UTC)
    services = [{"id": f"esi_{n}_{i}", "service_id": f"mit_p{run}_{s}" if s < SERVICES else None,
                 "nom": f"Service {s}", "quantite": str(q)} for i, (s, q) in enumerate(data["items"])]
    return Booked(id_externe=f"evt_p{run}_{n}", gazelle_user=user, jour=data["jour"], debut=start, duree_minutes=60,
                  statut=data["statut"], client="Client", titre=None, notes=None, services=services)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=scenario)
def test_load_list_arithmetic(db_session, case):
    run = next(_run)
    tech = make_technician(db_session, gazelle_id=f"usr_p{run}")
    products = [make_product(db_session) for _ in range(PRODUCTS)]
    for p, qty in enumerate(case["stock"]):
        make_line(db_session, tech, products[p], qty)
        for asked in case["requests"][p]:
            demandes.create(db_session=db_session, technician=tech, product=products[p], quantity=asked, note=None,
                            auteur="essai")
    rules = {}
    for index, qty in enumerate(case["rules"]):
        if qty is not None:
            s, p = divmod(index, PRODUCTS)
            regles.create(db_session=db_session, service_id=f"mit_p{run}_{s}", product=products[p], quantite=qty)
            rules.setdefault(s, []).append((p, qty))
    rows = [booked(run, n, a, tech.gazelle_id) for n, a in enumerate(case["appointments"])]
    rendezvous.replace_window(db_session=db_session, read=rows, first=DAY, last=DAY + dt.timedelta(days=1))

    load = chargement.load_list(db_session=db_session, technician=tech, day=DAY)

    counted = [a for a in case["appointments"] if a["jour"] == DAY and a["statut"] in ("ACTIVE", "COMPLETE")]
    required = [Decimal(0)] * PRODUCTS
    uncovered: dict[str, Decimal] = {}
    for a in counted:
        for s, q in a["items"]:
            if s == SERVICES:
                continue
            if s not in rules:
                uncovered[f"mit_p{run}_{s}"] = uncovered.get(f"mit_p{run}_{s}", Decimal(0)) + q
            for p, per in rules.get(s, []):
                required[p] += q * per
    expected = {products[p].code_produit: (required[p], case["stock"][p], sum(case["requests"][p], Decimal(0)))
                for p in range(PRODUCTS) if required[p] > 0}
    assert {line.product.code_produit: (line.requis, line.en_stock, line.demande_ouverte)
            for line in load.lines} == expected
    for line in load.lines:
        assert line.a_charger == max(Decimal(0), line.requis - line.en_stock - line.demande_ouverte) >= 0
    assert {u.service_id: u.quantite for u in load.sans_regle} == uncovered
    assert len(load.appointments) == len(counted)
