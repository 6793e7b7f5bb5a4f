"""Property: after any sequence of changes and counts, each balance is the sum of its ledger rows.

The operations go through the stock service, each in a savepoint rolled back when refused
(as a request is). A plain-Python model of the balances predicts which are refused.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventaire.kit.exceptions import Conflict, DomainError, InvalidInput
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
        return stock.count(db_session=db_session, location=tech, product=product, counted=abs(amount),
                           seen=shown, auteur="propriété")
    return stock.adjust(db_session=db_session, location=tech, product=product, kind=kind, delta=amount,
                        auteur="propriété", cause="manuel")


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
        select(StockLine).where(StockLine.emplacement_id == tech.id).execution_options(populate_existing=True)
    )}
    for index, product in enumerate(products):
        line = lines.get(product.id)
        if model[index] is None:
            assert line is None
            continue
        assert line.quantite == model[index] >= 0
        assert ledger_sum(db_session=db_session, line=line) == line.quantite


holders = st.integers(min_value=0, max_value=2)  # the workshop, then two vans
moves = st.lists(
    st.tuples(st.sampled_from(["reception", "utilisation", "ajustement", "comptage", "transfert"]),
              holders, holders, st.decimals(min_value=Decimal("-20"), max_value=Decimal("20"), places=3)),
    max_size=20,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=moves)
def test_company_total_is_receptions_minus_uses_plus_corrections_whatever_the_transfers(db_session, ops):
    """Transfers move stock and never change the company's total of a product."""
    from inventaire.stock.models import Transaction
    from tests.helpers import make_workshop

    places = [make_workshop(db_session), make_technician(db_session), make_technician(db_session)]
    product = make_product(db_session)
    model = [Decimal(0)] * 3
    for kind, a, b, amount in ops:
        savepoint = db_session.begin_nested()
        try:
            if kind == "transfert":
                stock.transfer(db_session=db_session, source=places[a], target=places[b], product=product,
                               quantity=amount, auteur="propriété")
            elif kind == "comptage":
                stock.count(db_session=db_session, location=places[a], product=product, counted=abs(amount),
                            auteur="propriété")
            else:
                stock.adjust(db_session=db_session, location=places[a], product=product, kind=kind, delta=amount,
                             auteur="propriété", cause="manuel")
        except DomainError:
            savepoint.rollback()
            refused = (kind == "transfert" and (a == b or amount <= 0 or model[a] < amount)) or (
                kind != "transfert" and expected_outcome(kind, amount, "none", model[a])[0] is not None)
            assert refused, (kind, a, b, amount, model)
            continue
        savepoint.commit()
        if kind == "transfert":
            model[a] -= amount
            model[b] += amount
        else:
            model[a] = expected_outcome(kind, amount, "none", model[a])[1]

    ledger = list(db_session.scalars(select(Transaction).where(Transaction.produit_id == product.id)))
    booked = {kind: sum((t.ajustement for t in ledger if t.type == kind), Decimal(0))
              for kind in ("reception", "utilisation", "ajustement", "comptage", "transfert")}
    lines = list(db_session.scalars(
        select(StockLine).where(StockLine.produit_id == product.id).execution_options(populate_existing=True)))
    total = sum((line.quantite for line in lines), Decimal(0))
    assert total == sum(model)
    # Receptions (+), uses (−), corrections (± adjustments and counts); transfers add up to nothing.
    assert total == booked["reception"] + booked["utilisation"] + booked["ajustement"] + booked["comptage"]
    assert booked["transfert"] == 0
    assert all(ledger_sum(db_session=db_session, line=line) == line.quantite >= 0 for line in lines)
    pairs = db_session.execute(
        select(Transaction.ajustement, Transaction.transfert_de_id).where(Transaction.transfert_de_id.is_not(None))
    ).all()
    for delta, exit_id in pairs:
        assert db_session.get(Transaction, exit_id).ajustement == -delta
