"""Quantities as a person types and reads them: parsing, bounds, French formatting, units."""

from decimal import Decimal

import pytest

from inventaire.kit.quantities import (
    MAX_QUANTITY,
    QUANTITY_STEP,
    editable,
    has_quantity_places,
    is_quantity,
    money,
    parse,
    quantity,
    signed,
    unit_for,
    with_unit,
)


@pytest.mark.parametrize(("quantity", "unite", "expected"), [
    (Decimal("2"), "bobine", "bobines"),
    (Decimal("2.000"), "unité", "unités"),
    (Decimal("12"), "sachet", "sachets"),
    (Decimal("1"), "bobine", "bobine"),
    (Decimal("1.5"), "bobine", "bobine"),  # French: singular below 2
    (Decimal("0"), "bobine", "bobine"),
    (Decimal("-3"), "paire", "paires"),  # a change of −3 too
    (Decimal("3"), "jeu", "jeux"),
    (Decimal("4"), "rouleau", "rouleaux"),
    (Decimal("5"), "boîte de 100", "boîtes de 100"),
    (Decimal("5"), "m", "m"),
    (Decimal("5"), "ml", "ml"),
    (Decimal("5"), "pqt", "pqt"),
    (Decimal("5"), "pièces", "pièces"),
    (Decimal("5"), "", ""),
    (None, "bobine", "bobine"),
])
def test_unit_for(quantity, unite, expected):
    assert unit_for(quantity, unite) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2,5", Decimal("2.5")), ("2.5", Decimal("2.5")), ("1 250,00", Decimal("1250.00")),
    ("1\u00a0250,5", Decimal("1250.5")), ("1\u202f250", Decimal("1250")), (" 3 ", Decimal("3")),
    ("-2", Decimal("-2")), ("1,250.5", None), ("douze", None), ("", None), ("2,5,3", None),
])
def test_parse_reads_what_a_person_types(text, expected):
    assert parse(text) == expected


def test_parse_leaves_non_finite_values_to_the_bounds():
    assert parse("nan").is_nan() and not parse("inf").is_finite()
    assert not is_quantity(parse("nan")) and not is_quantity(parse("inf"))


def test_bounds_are_those_of_the_column():
    assert is_quantity(MAX_QUANTITY) and not is_quantity(MAX_QUANTITY + QUANTITY_STEP)
    assert not is_quantity(Decimal("-0.001")) and is_quantity(-MAX_QUANTITY, signed=True)
    assert has_quantity_places(Decimal("2.125")) and not has_quantity_places(Decimal("2.1255"))


def test_quantity_reads_in_french():
    assert quantity(Decimal("2.500")) == "2,5" and quantity(Decimal("0.000")) == "0" and quantity(None) == "—"
    assert quantity(Decimal("1250")) == "1250" and quantity(Decimal("1250"), grouped=True) == "1\u00a0250"
    assert quantity(MAX_QUANTITY) == "999999999,999" and quantity(2.5) == "2,5"
    assert signed(Decimal("-1250.5")) == "−1\u00a0250,5" and signed(Decimal(0)) == "0"


def test_with_unit_and_money():
    assert with_unit(Decimal("2"), "bobine") == "2 bobines" and with_unit(Decimal("1.5"), "bobine") == "1,5 bobine"
    assert with_unit(Decimal("1250"), "m", grouped=True) == "1\u00a0250 m"
    assert money(Decimal("1234.5")) == "1\u00a0234,50\u00a0$" and money(Decimal("455.5"), space=" ") == "455,50 $"
    assert money(None) == "—" and editable(Decimal("12.50")) == "12,50" and editable(None) == ""
