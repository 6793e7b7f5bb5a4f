"""The check's own cost with and without its forecast, in process, on PostgreSQL (not a test).

    .venv/bin/python bench/check_forecast.py                 # 2,000 products × 50 vans, 1,000,000 ledger rows
    .venv/bin/python bench/check_forecast.py 200 10 50000    # the quick size

The check predicts stockouts (issue 12) from the last 90 days of the ledger; this prints the
CPU time of `build_report` without a horizon (alerts only), with the default 14 days, and with
the booked demand of 6 appointments a van a day over 14 days (issue 24: each appointment books
3 services, each consuming 2 products under the rules).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.datagen import Dataset  # noqa: E402
from bench.loading import BenchDatabase  # noqa: E402
from inventaire.checks.service import build_report  # noqa: E402
from inventaire.kit.database import utcnow  # noqa: E402
from inventaire.previsions.booked import Horizon  # noqa: E402
from inventaire.regles.models import ConsumptionRule  # noqa: E402
from inventaire.rendezvous import service as rendezvous  # noqa: E402
from inventaire.rendezvous.reading import Booked  # noqa: E402

RUNS = 5


def cpu_ms(db: BenchDatabase, horizon: int | None, booked: Horizon | None = None) -> float:
    """The median CPU time of one report, after a first one that warms the caches."""
    samples = []
    with Session(db.engine) as session:
        for run in range(RUNS + 1):
            start = time.process_time()
            build_report(db_session=session, technician=None, seuil_critique=None, default=Decimal("5"),
                         horizon_days=horizon, booked=booked)
            if run:
                samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def book(db: BenchDatabase, products: int, vans: int, per_day: int = 6, days: int = 14) -> Horizon:
    """Rules (30 services × 2 products) and the appointments of every van over `days` days."""
    rng = random.Random(24)
    today = utcnow().date()
    with Session(db.engine) as session:
        session.execute(text("UPDATE techniciens SET gazelle_id = 'usr_' || id"))
        ids = [row[0] for row in session.execute(text("SELECT id FROM techniciens ORDER BY id"))][:vans]
        for n in range(30):
            for product_id in rng.sample(range(1, products + 1), 2):
                session.add(ConsumptionRule(service_id=f"mit_{n:02d}", produit_id=product_id, quantite=Decimal(1)))
        read = []
        for van in ids:
            for day in range(days + 1):
                jour = today + dt.timedelta(days=day)
                for k in range(per_day):
                    read.append(Booked(
                        id_externe=f"evt_{van}_{day}_{k}", gazelle_user=f"usr_{van}", jour=jour,
                        debut=dt.datetime.combine(jour, dt.time(8 + k), dt.UTC), duree_minutes=60, statut="ACTIVE",
                        client="Client", titre=None, notes=None,
                        services=[{"id": f"esi_{van}_{day}_{k}_{i}", "service_id": f"mit_{rng.randrange(30):02d}",
                                   "nom": None, "quantite": "1.000"} for i in range(3)]))
        rendezvous.replace_window(db_session=session, read=read, first=today, last=today + dt.timedelta(days=days))
        session.commit()
        print(f"{len(read):,} appointments booked")
    return Horizon(today, today + dt.timedelta(days=days))


def main(products: int = 2000, vans: int = 50, ledger: int = 1_000_000) -> None:
    db = BenchDatabase("postgresql")
    try:
        data = Dataset(products, vans, ledger)
        db.load_base(data)
        db.load_ledger(data, ledger)
        print(f"{len(data.line_rows):,} lines, {db.ledger_rows():,} ledger rows")
        print(f"build_report, alerts only: {cpu_ms(db, None):.1f} ms of CPU")
        print(f"build_report with the forecast (14 days): {cpu_ms(db, 14):.1f} ms of CPU")
        horizon = book(db, products, vans)
        print(f"build_report with the forecast and booked demand: {cpu_ms(db, 14, horizon):.1f} ms of CPU")
        print(f"build_report with the forecast, bookings stored but not counted: {cpu_ms(db, 14):.1f} ms of CPU")
    finally:
        db.drop()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))
