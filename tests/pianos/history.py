"""A synthetic PLS history: pianos maintained once a year, most in the autumn, each visit a real
use of a pad set and a wick from the van (stock service) and an invoice line naming the piano."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy.orm import Session

from inventaire.deductions.schemas import ServiceIn
from inventaire.pianos import service as pianos
from inventaire.stock import service as stock

PLS = "mit_2eBOzDvunD7PHs6M"


def build(db_session: Session, *, van, pads, wick, count: int, years: int, today: dt.date, seed: int = 7) -> int:
    """`count` pianos over `years` years before `today`; returns the number of visits."""
    rng = random.Random(seed)
    start = today - dt.timedelta(days=365 * years)
    visits = []
    for n in range(count):
        # Autumn-heavy first visits (the season before winter), then every 12 months, 0 to 40 days late.
        first = start + dt.timedelta(days=int(rng.triangular(0, 364, 250)))
        day = first
        while day < today:
            visits.append((day, f"pno_{n:04d}"))
            day = day + dt.timedelta(days=365 + int(rng.triangular(0, 40, 5)))
    stock.adjust(db_session=db_session, location=van, product=pads, kind="reception", delta=Decimal(len(visits)),
                 auteur="essai", cause="manuel", at=dt.datetime.combine(start - dt.timedelta(days=1), dt.time(12), dt.UTC))
    stock.adjust(db_session=db_session, location=van, product=wick, kind="reception", delta=Decimal(len(visits)),
                 auteur="essai", cause="manuel", at=dt.datetime.combine(start - dt.timedelta(days=1), dt.time(12), dt.UTC))
    for day, piano in sorted(visits):
        at = dt.datetime.combine(day, dt.time(15), dt.UTC)
        for product in (pads, wick):
            stock.adjust(db_session=db_session, location=van, product=product, kind="utilisation",
                         delta=Decimal(-1), auteur="essai", cause="deduction", motif=f"Entretien PLS {piano}",
                         at=at)
        pianos.record(db_session=db_session, entry=ServiceIn(
            source="gazelle", id_externe=f"inv_{piano}_{day}", statut="actif", client="Client", date=day,
            lignes=[{"id_externe": f"ini_{piano}_{day}", "service_id": PLS, "quantite": 1, "piano_id": piano}]))
    return len(visits)
