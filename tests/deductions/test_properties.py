"""Property: whatever the order and repetitions of invoice versions and rule changes, each van's
balance is its opening stock minus what the latest versions consume (never below zero, the rest in
open shortfalls), and equals the sum of its ledger rows."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventaire.deductions import service as deductions
from inventaire.deductions.models import Deduction
from inventaire.deductions.schemas import ServiceIn
from inventaire.regles import service as regles
from inventaire.regles.models import ConsumptionRule
from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine
from tests.helpers import make_line, make_product, make_technician

SERVICES, PRODUCTS, INVOICES = 2, 2, 3
_run = itertools.count()
halves = st.integers(min_value=0, max_value=6).map(lambda n: Decimal(n) / 2)
version = st.fixed_dictionaries({
    "statut": st.sampled_from(["actif", "actif", "annule"]),
    # line n bills service lines[n][0] in quantity lines[n][1]
    "lignes": st.lists(st.tuples(st.integers(0, SERVICES - 1), halves), max_size=3),
})
feed = st.tuples(st.just("feed"), st.integers(0, INVOICES - 1), st.integers(0, 2))
rule_change = st.tuples(st.just("rule"), st.integers(0, SERVICES - 1), st.integers(0, PRODUCTS - 1),
                        st.one_of(st.none(), halves.filter(bool)))
scenario = st.fixed_dictionaries({
    "rules": st.lists(st.one_of(st.none(), halves.filter(bool)), min_size=SERVICES * PRODUCTS,
                      max_size=SERVICES * PRODUCTS),
    "opening": st.lists(st.integers(0, 4).map(Decimal), min_size=PRODUCTS, max_size=PRODUCTS),
    "versions": st.lists(st.lists(version, min_size=3, max_size=3), min_size=INVOICES, max_size=INVOICES),
    "ops": st.lists(st.one_of(feed, feed, feed, rule_change), max_size=16),
})
T0 = dt.datetime(2026, 4, 29, 12, tzinfo=dt.UTC)


def entry(run: int, invoice: int, index: int, data: dict, tech_name: str) -> ServiceIn:
    return ServiceIn(
        source="propriete", id_externe=f"inv_{run}_{invoice}", numero=f"{run}{invoice}", statut=data["statut"],
        technicien=tech_name, client="Client", version=T0 + dt.timedelta(minutes=index),
        lignes=[{"id_externe": f"ini_{n}", "service_id": f"mit_{run}_{s}", "quantite": q}
                for n, (s, q) in enumerate(data["lignes"])],
    )


def set_rule(db_session, service_id: str, product, quantite: Decimal | None) -> None:
    rule = db_session.scalar(select(ConsumptionRule).where(
        ConsumptionRule.service_id == service_id, ConsumptionRule.produit_id == product.id))
    if quantite is None:
        if rule is not None:
            regles.delete(db_session=db_session, rule=rule)
    elif rule is None:
        regles.create(db_session=db_session, service_id=service_id, product=product, quantite=quantite)
    else:
        regles.update(db_session=db_session, rule=rule, changes={"quantite": quantite})


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=scenario)
def test_balances_follow_the_latest_versions(db_session, case):
    run = next(_run)
    tech = make_technician(db_session)
    products = [make_product(db_session) for _ in range(PRODUCTS)]
    for product, opening in zip(products, case["opening"], strict=True):
        make_line(db_session, tech, product, opening)
    for n, quantite in enumerate(case["rules"]):
        set_rule(db_session, f"mit_{run}_{n // PRODUCTS}", products[n % PRODUCTS], quantite)
    latest: dict[int, int] = {}
    kinds = [op[0] for op in case["ops"]]
    rules_settled = "feed" not in kinds or "rule" not in kinds[kinds.index("feed"):]
    for op in case["ops"]:
        if op[0] == "rule":
            set_rule(db_session, f"mit_{run}_{op[1]}", products[op[2]], op[3])
            continue
        _, invoice, index = op
        deductions.apply(db_session=db_session, entry=entry(run, invoice, index, case["versions"][invoice][index],
                                                            tech.nom),
                         technician=tech, rules=regles.rules_by_service(db_session=db_session))
        latest[invoice] = max(latest.get(invoice, index), index)
    if rules_settled:  # every version was read under today's rules: nothing more to feed
        check(db_session, run, tech, products, case, latest)
    for invoice, index in sorted(latest.items()):  # the next sync re-reads each under today's rules
        deductions.apply(db_session=db_session, entry=entry(run, invoice, index, case["versions"][invoice][index],
                                                            tech.nom),
                         technician=tech, rules=regles.rules_by_service(db_session=db_session))
    check(db_session, run, tech, products, case, latest)


def check(db_session, run, tech, products, case, latest) -> None:  # noqa
    try:
        _check(db_session, run, tech, products, case, latest)
    except AssertionError:
        print("CASE", case, latest)
        raise


def _check(db_session, run, tech, products, case, latest) -> None:
    rules = {(r.service_id, r.produit_id): r.quantite for r in regles.list_rules(db_session=db_session)}
    db_session.expire_all()
    for product, opening in zip(products, case["opening"], strict=True):
        consumed = sum((q * rules.get((f"mit_{run}_{s}", product.id), 0)
                        for invoice, index in latest.items()
                        if case["versions"][invoice][index]["statut"] == "actif"
                        for s, q in case["versions"][invoice][index]["lignes"]), Decimal(0))
        line = db_session.scalar(select(StockLine).where(StockLine.technicien_id == tech.id,
                                                         StockLine.produit_id == product.id))
        short = sum((d.manque for d in db_session.scalars(select(Deduction).where(
            Deduction.technicien_id == tech.id, Deduction.produit_id == product.id))), Decimal(0))
        assert line.quantite == max(opening - consumed, Decimal(0))
        assert short == max(consumed - opening, Decimal(0))
        assert ledger_sum(db_session=db_session, line=line) == line.quantite
