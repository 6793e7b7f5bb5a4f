"""The PLS term's backtest on a synthetic history at the company's scale (340 pianos with a PLS,
two years, most visits in the autumn, clients 0 to 40 days late): the figures in BENCHMARKS.md.

    .venv/bin/python -m bench.pls_backtest [--pianos 340] [--annees 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inventaire.kit.database import make_engine, make_sessionmaker, session_scope, utcnow  # noqa: E402
from inventaire.kit.migrate import upgrade  # noqa: E402
from inventaire.pianos import backtest  # noqa: E402
from inventaire.regles import service as regles  # noqa: E402
from tests.helpers import make_product, make_technician  # noqa: E402
from tests.pianos.history import PLS, build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pianos", type=int, default=340)
    parser.add_argument("--annees", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/pls.db"
        upgrade(url)
        engine = make_engine(url)
        with session_scope(make_sessionmaker(engine)) as session:
            van = make_technician(session, nom="Allan")
            pads, wick = (make_product(session, code_produit=c, divisible=False) for c in ("PLS-BUVARDS", "PLS-GAINE"))
            for product in (pads, wick):
                regles.create(db_session=session, service_id=PLS, product=product, quantite=Decimal(1))
            visits = build(session, van=van, pads=pads, wick=wick, count=args.pianos, years=args.annees,
                           today=utcnow().date() - dt.timedelta(days=1))
        with session_scope(make_sessionmaker(engine)) as session:
            months = backtest.run(db_session=session, pads_code="PLS-BUVARDS")
        engine.dispose()
    print(f"{args.pianos} pianos, {visits} visits; month, real, without, |error|, with, |error|, pianos due")
    for m in months:
        print(f"{m.mois:%Y-%m} {m.reel:6.0f} {m.sans_pls:7.1f} {m.erreur_sans:6.1f} {m.avec_pls:7.1f} "
              f"{m.erreur_avec:6.1f} {m.pianos_dus:4d}{'' if m.annee_connue else '  (first year)'}")
    for label, chosen in (("all months", months), ("after a year known", [m for m in months if m.annee_connue])):
        if chosen:
            print(f"mean absolute error per month, {label} ({len(chosen)}): without "
                  f"{sum(m.erreur_sans for m in chosen) / len(chosen):.1f}, with "
                  f"{sum(m.erreur_avec for m in chosen) / len(chosen):.1f}")


if __name__ == "__main__":
    main()
