"""How a person searches products: accents, case and word order do not matter.

« etouffoir » finds « Étouffoir », « cheville 7,3 » finds « Cheville d'accord 7,3 mm ». The phone
page filters its lines with the same rule in JavaScript (static/stock.js `fold`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from inventaire.catalogue.models import Product
from inventaire.kit.exceptions import InvalidInput


def fold(text: str) -> str:
    """The text without accents, in lower case (« Étouffoir » → « etouffoir »)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def matches(query: str, *texts: str) -> bool:
    """True when every word of the query appears in the texts, in any order."""
    haystack = " ".join(fold(t) for t in texts)
    return all(word in haystack for word in fold(query).split())


def choose(*, query: str, among: Iterable[Product]) -> Product:
    """The one product a typed text designates: its code (any case), or words of its name."""
    candidates = list(among)
    code = query.split(" — ", 1)[0].strip()  # a suggestion picked whole: « CODE — Nom (unité) »
    for product in candidates:
        if product.code_produit.casefold() == code.casefold():
            return product
    found = [p for p in candidates if matches(query, p.code_produit, p.nom_produit)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InvalidInput(f"Produit : « {query} » n'est pas au catalogue (ou il est archivé).")
    shown = ", ".join(p.code_produit for p in found[:5]) + (" …" if len(found) > 5 else "")
    raise InvalidInput(f"Produit : plusieurs produits correspondent à « {query} » ({shown}) : précisez.")
