"""Benchmark: a Gazelle sync of 5,000 invoices (20,000 lines, half of them matching a rule) from the
fake Gazelle, cold and then again with nothing changed, on PostgreSQL (SQLite with --sqlite).

    .venv/bin/python bench/gazelle_sync.py [--invoices 5000] [--sqlite]

Prints the time of each phase and the database statements per invoice, counted by a SQLAlchemy
`before_cursor_execute` listener; the unchanged re-sync must write nothing but its run row and
must not query per line. Recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench.loading import BenchDatabase  # noqa: E402
from inventaire.kit.config import Settings  # noqa: E402
from inventaire.kit.database import make_sessionmaker, session_scope  # noqa: E402
from inventaire.regles import service as regles  # noqa: E402
from inventaire.tasks import gazelle_run  # noqa: E402
from tests.gazelle.fake import MSL, USERS, FakeGazelle  # noqa: E402
from tests.helpers import make_line, make_product, make_technician  # noqa: E402

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


class Statements:
    """Every statement the engine sends, by kind."""

    def __init__(self, engine):
        self.kinds: Counter = Counter()
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        match = WRITE.match(statement)
        self.kinds[match.group(1).upper() if match else "READ"] += 1

    def take(self) -> Counter:
        taken, self.kinds = self.kinds, Counter()
        return taken


def load(db: BenchDatabase, factory, invoices: int, gazelle: FakeGazelle) -> None:
    """Four vans with plenty of stock, one rule per matching service, and the invoices in Gazelle."""
    with session_scope(factory) as s:
        vans = [make_technician(s, nom=u["firstName"], gazelle_id=u["id"]) for u in USERS]
        matching = [m["id"] for m in MSL[:2]]
        for n, service in enumerate(matching):
            product = make_product(s, code_produit=f"BENCH-{n}")
            regles.create(db_session=s, service_id=service, product=product, quantite=Decimal(1))
            for van in vans:
                make_line(s, van, product, 1_000_000)
    others = [m["id"] for m in MSL[2:]]
    for number in range(1, invoices + 1):
        items = [(matching[0], 100), (matching[1], 50), (others[0], 100), (None, 100, "Déplacement")]
        gazelle.add_invoice(number, assignee=USERS[number % 4]["id"], items=items,
                            status=("PAID", "OPEN", "OVERDUE")[number % 3])


def phase(name: str, invoices: int, counter: Statements, run) -> dict:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    kinds = counter.take()
    total = sum(kinds.values())
    writes = kinds["INSERT"] + kinds["UPDATE"] + kinds["DELETE"]
    print(f"{name:<22} {seconds:7.2f} s  {invoices / seconds:7.0f} invoices/s  {total:7d} statements "
          f"({total / invoices:5.2f}/invoice; writes {writes}: {dict(kinds)})  movements "
          f"{result.rapport['mouvements_ecrits']}", flush=True)
    return {"seconds": seconds, "statements": total, "writes": writes, "result": result}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=5000)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    db = BenchDatabase("sqlite" if args.sqlite else "postgresql")
    gazelle = FakeGazelle().start()
    try:
        factory = make_sessionmaker(db.engine)
        load(db, factory, args.invoices, gazelle)
        settings = Settings(DATABASE_URL=db.url, **gazelle.settings(gazelle_timeout=120.0))
        counter = Statements(db.engine)
        print(f"{db.backend}: {args.invoices} invoices, {4 * args.invoices} lines, "
              f"{2 * args.invoices} matching a rule", flush=True)
        read = time.perf_counter()
        from inventaire.gazelle.client import GazelleClient
        with GazelleClient(settings, factory) as client:
            fetched = sum(1 for _ in client.invoices(since=__import__("datetime").date(2000, 1, 1)))
        print(f"{'read only (fake Gazelle)':<22} {time.perf_counter() - read:7.2f} s  {fetched} invoices", flush=True)
        counter.take()
        cold = phase("cold sync", args.invoices, counter, lambda: gazelle_run.run_sync(
            session_factory=factory, settings=settings, by="bench"))
        again = phase("unchanged re-sync", args.invoices, counter, lambda: gazelle_run.run_sync(
            session_factory=factory, settings=settings, by="bench"))
        assert again["result"].rapport["mouvements_ecrits"] == 0
        # Only the run row is written (claim + its end); reads: a fixed number per batch of 200 invoices.
        print(f"unchanged re-sync: {again['writes']} write statement(s), "
              f"{again['statements'] / args.invoices:.3f} statements per invoice", flush=True)
        assert again["writes"] <= 3, again
        assert again["statements"] <= 12 + args.invoices / 100, again  # a few per batch of 200, none per line
        assert cold["result"].rapport["mouvements_ecrits"] == 2 * args.invoices
    finally:
        gazelle.stop()
        db.drop()


if __name__ == "__main__":
    main()
