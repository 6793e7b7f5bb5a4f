"""Units agree with their quantity, as in « 2 bobines »."""

from decimal import Decimal

import pytest

from inventaire.units import unit_for


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
