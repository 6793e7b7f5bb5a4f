"""Units as a person reads them next to a quantity: « 2 bobines », « 1,5 bobine », « 3 m »."""

from __future__ import annotations

from decimal import Decimal

VOWELS = set("aeiouyàâäéèêëîïôöùûü")


def unit_for(quantity: Decimal | int | None, unite: str) -> str:
    """The unit agreeing with the quantity: French puts it in the plural from 2 on.

    Only the first word changes (« boîte de 100 » → « boîtes de 100 »), and abbreviations
    never do (m, ml, kg, pqt).
    """
    if quantity is None or abs(quantity) < 2 or not unite:
        return unite
    word, space, rest = unite.partition(" ")
    return _plural(word) + space + rest


def _plural(word: str) -> str:
    lower = word.lower()
    if len(word) <= 2 or not word.isalpha() or not VOWELS & set(lower) or lower[-1] in "sxz":
        return word
    if lower.endswith(("au", "eu")):  # jeu → jeux, rouleau → rouleaux
        return word + "x"
    return word + "s"


def count(n: Decimal | int, singular: str, plural: str | None = None) -> str:
    """« 1 alerte », « 27 alertes », « 0 alerte »: French takes the plural from 2 on.

    The one rule for every count a person reads (pages, e-mails, CLI); `plural` when more than
    the first word changes (« 2 lignes suivies »). The check's `summary` keeps its seed text.
    """
    if abs(n) < 2:
        return f"{n} {singular}"
    if plural is None:
        word, space, rest = singular.partition(" ")
        plural = _plural(word) + space + rest
    return f"{n} {plural}"
