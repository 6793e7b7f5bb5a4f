"""A use recorded on a phone without network, arriving late: a fact, never refused for want of stock.

The rule: a use typed offline happened in the van, whatever the server's balance says by the time
it arrives. If the van holds enough, it is an ordinary use. If it holds less, the use is taken the
way a billed service's deduction is (deductions/service.py): what the van holds is taken now, and
the rest is an open shortfall of a « service » of source `hors-ligne` keyed by the change's
Idempotency-Key. The office sees it with the other open shortfalls (dashboard, « Déductions »); stock
that comes back to the van (a reception, the Gazelle run's refill) fills it, and a physical count of
the line settles it (the shelf was counted as it is). A use typed online keeps its 409.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from inventaire.catalogue.models import Product
from inventaire.deductions import service as deductions
from inventaire.deductions.schemas import ServiceIn, ServiceLineIn
from inventaire.kit.enums import MovementCause, ServiceStatus, TransactionType
from inventaire.kit.exceptions import Conflict
from inventaire.regles.models import ConsumptionRule
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.stock.models import Transaction
from inventaire.techniciens.models import Technician

SOURCE = "hors-ligne"
LINE = "utilisation"


def record_use(
    *, db_session: Session, technician: Technician, product: Product, amount: Decimal, key: str,
    made_at: dt.datetime | None, auteur: str, reference: str | None = None, motif: str | None = None,
) -> tuple[Transaction | None, Decimal]:
    """Record a late use of `amount`; returns the ledger row written (None: the van had none) and
    the part left as an open shortfall (0 when the van held enough)."""
    line = stock_lines.get_line(db_session=db_session, location=technician, product=product)
    if line is not None and line.quantite >= amount:
        try:
            entry = stock.adjust(db_session=db_session, location=technician, product=product, kind=TransactionType.UTILISATION,
                                 delta=-amount, auteur=auteur, cause=MovementCause.MANUEL, motif=motif,
                                 reference=reference)
            return entry, Decimal(0)
        except Conflict:
            pass  # another change took the stock since it was read: fall through to the shortfall rule
    stock.check_divisible(product, amount)
    entry_in = ServiceIn(
        source=SOURCE, id_externe=key, statut=ServiceStatus.ACTIF, technicien=technician.nom,
        client=reference, date=(made_at or dt.datetime.now(dt.UTC)).date(), version=made_at,
        lignes=[ServiceLineIn(id_externe=LINE, service_id=f"{SOURCE}.{product.id}",
                              description=motif or f"Utilisation hors ligne ({auteur})", quantite=amount)],
    )
    # One rule of its own: this line consumes `amount` of the product (not stored: nothing else uses it).
    rule = ConsumptionRule(service_id=f"{SOURCE}.{product.id}", produit_id=product.id, quantite=Decimal(1))
    rule.produit = product
    outcome = deductions.apply(db_session=db_session, entry=entry_in, technician=technician,
                               rules={rule.service_id: [rule]})
    taken = outcome.mouvements[0] if outcome.mouvements else None
    return taken, sum((d.manque for d in outcome.manques), Decimal(0))
