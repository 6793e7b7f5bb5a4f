"""Quantities and money as the database holds them and as a person types and reads them.

One place for the bounds (a NUMERIC(12, 3) quantity, a NUMERIC(12, 2) price), for reading a
number typed by a person (« 2,5 », « 1 250,00 ») and for writing one in Québec French with
its unit agreeing (« 2 bobines », « 1,5 bobine », « 1 250 m »), and counts (« 27 alertes »).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The largest quantity a NUMERIC(12, 3) holds; beyond it PostgreSQL would fail the whole request.
MAX_QUANTITY = Decimal("999999999.999")
QUANTITY_STEP = Decimal("0.001")
QUANTITY_PLACES = 3
# The largest price a NUMERIC(12, 2) holds.
MAX_MONEY = Decimal("9999999999.99")
MONEY_STEP = Decimal("0.01")
MONEY_PLACES = 2
DIGITS = 12

NBSP = "\u00a0"
# Spaces a person (or a spreadsheet) puts between thousands: ordinary, no-break, narrow no-break.
_THOUSANDS = (" ", NBSP, "\u202f")
VOWELS = set("aeiouyàâäéèêëîïôöùûü")


def parse(text: str) -> Decimal | None:
    """A number typed by a person: a comma or a point, spaces between thousands; None if not one.

    « 2,5 », « 2.5 » and « 1 250,00 » are read; a text with both a comma and a point
    (« 1,250.5 ») is ambiguous and refused. Non-finite values (« nan ») come back as Decimal
    reads them: the caller's bounds refuse them with their own message.
    """
    cleaned = text.strip()
    for space in _THOUSANDS:
        cleaned = cleaned.replace(space, "")
    if "," in cleaned:
        if "." in cleaned:
            return None
        cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def is_quantity(number: Decimal, *, signed: bool = False) -> bool:
    """Whether the number fits a stock quantity: finite, within the bounds (≥ 0 unless `signed`)."""
    if not number.is_finite():
        return False
    return (-MAX_QUANTITY if signed else Decimal(0)) <= number <= MAX_QUANTITY


def has_quantity_places(number: Decimal) -> bool:
    """At most three decimals (what the column keeps)."""
    return number == number.quantize(QUANTITY_STEP)


def _group(digits: str, space: str) -> str:
    """Thousands separated by `space`: 12 345."""
    sign = "-" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    groups: list[str] = []
    while len(digits) > 3:
        digits, tail = digits[:-3], digits[-3:]
        groups.insert(0, tail)
    return sign + space.join([digits, *groups])


def quantity(value: Decimal | int | float | None, *, grouped: bool = False) -> str:
    """2,5 · 3 · 0 (no trailing zeros); `grouped`: 1 250 with a no-break space; « — » for None."""
    if value is None:
        return "—"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(number.normalize(), "f") if number else "0"
    whole, _, fraction = text.partition(".")
    if grouped:
        whole = _group(whole, NBSP)
    return whole + ("," + fraction if fraction else "")


def signed(value: Decimal) -> str:
    """A signed change: +3, −2,5 (a real minus sign), grouped like the pages' quantities."""
    return ("+" if value > 0 else "−" if value < 0 else "") + quantity(abs(value), grouped=True)


def with_unit(value: Decimal, unite: str, *, grouped: bool = False) -> str:
    """A quantity and its unit agreeing with it: « 2 bobines », « 1,5 bobine », « 3 m »."""
    return f"{quantity(value, grouped=grouped)} {unit_for(value, unite)}"


def estimate(value: Decimal | None) -> str:
    """A forecast as a person reads it: to the tenth, grouped (« 37,4 », not « 37,392 »); « — » for None."""
    if value is None:
        return "—"
    return quantity(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), grouped=True)


def money(value: Decimal | None, *, space: str = NBSP) -> str:
    """1 234,50 $ (thousands and the sign separated by `space`); « — » for None."""
    if value is None:
        return "—"
    whole, _, cents = f"{Decimal(value):.2f}".partition(".")
    return f"{_group(whole, space)},{cents}{space}$"


def fixed(value: Decimal | float, places: int) -> str:
    """Exactly `places` decimals, a decimal comma, no grouping: a spreadsheet's cell, a CLI table (« 12,35 »)."""
    return f"{value:.{places}f}".replace(".", ",")


def cell(value: Decimal | int | None) -> str:
    """A quantity in a spreadsheet's cell: 2,5 · 3 · 0, no grouping; empty when there is none."""
    return "" if value is None else quantity(value)


def editable(value: Decimal | None) -> str:
    """A stored decimal as a form shows it for editing: its digits as kept, a comma for the point."""
    return "" if value is None else str(value).replace(".", ",")


def unit_for(value: Decimal | int | None, unite: str) -> str:
    """The unit agreeing with the quantity: French puts it in the plural from 2 on.

    Only the first word changes (« boîte de 100 » → « boîtes de 100 »), and abbreviations
    never do (m, ml, kg, pqt).
    """
    if value is None or -2 < value < 2 or not unite:
        return unite
    word, space, rest = unite.partition(" ")
    return _plural(word) + space + rest


def count(n: Decimal | int, singular: str, plural: str | None = None) -> str:
    """« 1 alerte », « 27 alertes », « 0 alerte »: French takes the plural from 2 on.

    The one rule for every count a person reads (pages, e-mails, CLI); `plural` when more than
    the first word changes (« 2 lignes suivies »). The check's `summary` keeps its seed text.
    """
    number = quantity(n, grouped=True)  # « 2 522 transactions »: thousands apart, a no-break space
    if -2 < n < 2:
        return f"{number} {singular}"
    if plural is None:
        word, space, rest = singular.partition(" ")
        plural = _plural(word) + space + rest
    return f"{number} {plural}"


def _plural(word: str) -> str:
    lower = word.lower()
    if len(word) <= 2 or not word.isalpha() or not VOWELS & set(lower) or lower[-1] in "sxz":
        return word
    if lower.endswith(("au", "eu")):  # jeu → jeux, rouleau → rouleaux
        return word + "x"
    return word + "s"
