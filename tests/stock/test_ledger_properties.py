"""Property: after any sequence of changes and counts, each balance is the sum of its ledger rows.

The operations go through the stock service, each in a savepoint rolled back when refused
(as a request is). A plain-Python model of the balances predicts which are refused.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventaire.exceptions import Conflict, DomainError, InvalidInput
from inventaire.stock import service as stock
from inventaire.stock.ledger import ledger_sum
from inventaire.stock.models import StockLine
from tests.helpers import make_product, make_technician

amounts = st.decimals(min_value=Decimal("-30"), max_value=Decimal("30"), places=3)
operations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1),  # which product
        st.sampled_from(["reception", "utilisation", "ajustement", "comptage"]),
        amounts,
        st.sampled_from(["none", "right", "wrong"]),  # a count's quantite_vue
    ),
    max_size=15,
)


def expected_outcome(kind: str, amount: Decimal, seen: str, balance: Decimal | None):
    """(error class or None, new balance) as the contract describes it."""
    if kind == "comptage":
        if seen == "wrong":
            return Conflict, balance
        return None, abs(amount)
    if amount == 0 or (kind == "reception" and amount < 0) or (kind == "utilisation" and amount > 0):
        return InvalidInput, balance
    if (balance or 0) + amount < 0:
        return Conflict, balance
    return None, (balance or 0) + amount


def apply(db_session, tech, product, kind, amount, seen, balance):
    if kind == "comptage":
        shown = {"none": None, "right": balance or Decimal(0), "wrong": (balance or Decimal(0)) + 1}[seen]
        return stock.count(db_session=db_session, technician=tech, product=product, counted=abs(amount),
                           seen=shown, auteur="propriété")
    return stock.adjust(db_session=db_session, technician=tech, product=product, kind=kind, delta=amount,
                        auteur="propriété")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_balances_equal_ledger_sums_and_never_go_negative(db_session, ops):
    tech = make_technician(db_session)
    products = [make_product(db_session), make_product(db_session)]
    model: dict[int, Decimal | None] = {0: None, 1: None}  # None: no line yet
    for index, kind, amount, seen in ops:
        error, balance = expected_outcome(kind, amount, seen, model[index])
        savepoint = db_session.begin_nested()
        try:
            apply(db_session, tech, products[index], kind, amount, seen, model[index])
        except DomainError as exc:
            savepoint.rollback()
            assert type(exc) is error, (kind, amount, seen, model[index], exc.detail)
            continue
        savepoint.commit()
        assert error is None, (kind, amount, seen, model[index])
        model[index] = balance

    lines = {line.produit_id: line for line in db_session.scalars(
        select(StockLine).where(StockLine.technicien_id == tech.id).execution_options(populate_existing=True)
    )}
    for index, product in enumerate(products):
        line = lines.get(product.id)
        if model[index] is None:
            assert line is None
            continue
        assert line.quantite == model[index] >= 0
        assert ledger_sum(db_session=db_session, line=line) == line.quantite
