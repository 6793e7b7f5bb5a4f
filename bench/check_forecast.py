"""The check's own cost with and without its forecast, in process, on PostgreSQL (not a test).

    .venv/bin/python bench/check_forecast.py                 # 2,000 products × 50 vans, 1,000,000 ledger rows
    .venv/bin/python bench/check_forecast.py 200 10 50000    # the quick size

The check predicts stockouts (issue 12) from the last 90 days of the ledger; this prints the
CPU time of `build_report` without a horizon (alerts only) and with the default 14 days.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy.orm import Session  # noqa: E402

from bench.datagen import Dataset  # noqa: E402
from bench.loading import BenchDatabase  # noqa: E402
from inventaire.checks.service import build_report  # noqa: E402

RUNS = 5


def cpu_ms(db: BenchDatabase, horizon: int | None) -> float:
    """The median CPU time of one report, after a first one that warms the caches."""
    samples = []
    with Session(db.engine) as session:
        for run in range(RUNS + 1):
            start = time.process_time()
            build_report(db_session=session, technician=None, seuil_critique=None, default=Decimal("5"),
                         horizon_days=horizon)
            if run:
                samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def main(products: int = 2000, vans: int = 50, ledger: int = 1_000_000) -> None:
    db = BenchDatabase("postgresql")
    try:
        data = Dataset(products, vans, ledger)
        db.load_base(data)
        db.load_ledger(data, ledger)
        print(f"{len(data.line_rows):,} lines, {db.ledger_rows():,} ledger rows")
        print(f"build_report, alerts only: {cpu_ms(db, None):.1f} ms of CPU")
        print(f"build_report with the forecast (14 days): {cpu_ms(db, 14):.1f} ms of CPU")
    finally:
        db.drop()


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))
