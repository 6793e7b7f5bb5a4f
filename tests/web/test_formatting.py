"""French formatting of numbers, money and dates, and form parsing (no database)."""

import datetime as dt
from decimal import Decimal

from inventaire.catalogue.schemas import ProductCreate
from inventaire.kit.forms import validate
from inventaire.kit.quantities import parse as parse_decimal
from inventaire.web import formatting

NBSP = "\u00a0"


def test_quantities_and_money_read_in_french():
    assert formatting.quantite(Decimal("2.500")) == "2,5"
    assert formatting.quantite(Decimal("0.000")) == "0"
    assert formatting.quantite(Decimal("1250")) == f"1{NBSP}250"
    assert formatting.quantite(None) == "—"
    assert formatting.variation(Decimal("-2.5")) == "−2,5" and formatting.variation(Decimal(3)) == "+3"
    assert formatting.argent(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}$"
    assert formatting.argent(Decimal("-1234567")) == f"-1{NBSP}234{NBSP}567,00{NBSP}$"


def test_dates_in_the_company_timezone():
    clock = formatting.Clock("America/Montreal")
    winter = dt.datetime(2025, 12, 9, 18, 5, tzinfo=dt.UTC)
    assert clock.date_time(winter) == "9 déc. 2025, 13\u00a0h\u00a005"
    assert clock.date(dt.datetime(2025, 12, 1, 3, 0, tzinfo=dt.UTC)) == "30 nov. 2025"
    assert clock.iso(winter) == "2025-12-09T13:05:00-05:00"
    assert formatting.month(dt.date(2026, 8, 1)) == "août 2026"


def test_numbers_typed_by_a_person():
    assert parse_decimal("12,50") == Decimal("12.50")
    assert parse_decimal(f"1{NBSP}234,5") == Decimal("1234.5")
    assert parse_decimal("douze") is None


def test_form_validation_gives_one_french_message_per_field():
    model, errors = validate(ProductCreate, {"code_produit": "CORD-1", "nom_produit": "Corde",
                                             "prix_unitaire": "12,5", "categorie": ""},
                             decimals={"prix_unitaire"})
    assert errors == {} and model.prix_unitaire == Decimal("12.5") and model.categorie == "Divers"
    model, errors = validate(ProductCreate, {"code_produit": "", "nom_produit": "x" * 201,
                                             "prix_unitaire": "1,234"}, decimals={"prix_unitaire"})
    assert model is None
    assert errors == {"code_produit": "champ obligatoire", "nom_produit": "trop long (au plus 120 caractères)",
                      "prix_unitaire": "au plus 2 décimales"}
