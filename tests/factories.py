"""Small helpers that build test data through the real services."""

from __future__ import annotations

import itertools
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.catalogue import service as catalogue
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens

_seq = itertools.count(1)


def make_product(session: Session, **overrides):
    n = next(_seq)
    data = {
        "code_produit": f"TEST-{n:04d}", "nom_produit": f"Produit d'essai {n}", "categorie": "Essais",
        "unite": "unité", "prix_unitaire": Decimal("10.00"), "prix_vente": None, "fournisseur": None,
        "seuil_reorder": None, "actif": True, "divisible": True,
    }
    data.update(overrides)
    return catalogue.create(db_session=session, data=data)


def make_technician(session: Session, **overrides):
    n = next(_seq)
    data = {"nom": f"Tech {n}", "email": None, "actif": True}
    data.update(overrides)
    return techniciens.create(db_session=session, **data)


def make_line(session: Session, technician, product, quantite, **levels):
    """A stock line at `quantite`, reached through a real reception (so the ledger agrees)."""
    quantite = Decimal(str(quantite))
    if quantite > 0:
        stock.adjust(db_session=session, technician=technician, product=product, kind="reception",
                     delta=quantite, auteur="essai")
    line = stock.set_levels(db_session=session, technician=technician, product=product, changes=levels)
    return line


def database_state(session: Session) -> dict:
    """Row counts of every table and every balance: equal before and after = nothing changed."""
    from inventaire.models import Base
    from inventaire.stock.models import StockLine

    session.expire_all()
    counts = {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}
    balances = sorted(session.execute(select(StockLine.id, StockLine.quantite)).all())
    return {"rows": counts, "balances": balances}
