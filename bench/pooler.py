"""Requests through a transaction-mode PgBouncer, with and without INVENTAIRE_DB_POOLER=transaction.

    .venv/bin/python bench/pooler.py [--threads 16] [--rounds 80]

Starts PgBouncer (pool_mode=transaction, as Supabase's port 6543) in front of the local
PostgreSQL, serves `inventaire serve --workers 2` through it, and sends threads × rounds
requests (three reads for one stock use) twice: with the pooler setting off, then on.
Prints the requests that failed each time and why (the first error seen). Asserts nothing.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import Server, admin_token  # noqa: E402
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope  # noqa: E402
from inventaire.kit.migrate import upgrade  # noqa: E402
from tests.databases import PG_ADMIN_URL, create_pg_database, drop_pg_database  # noqa: E402
from tests.helpers import make_line, make_product, make_technician  # noqa: E402
from tests.pgbouncer import pgbouncer  # noqa: E402

READS = ("/inventaire/catalogue", "/inventaire/stock/Allan", "/inventaire/stats/Allan")
USE = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"}


def seed(url: str) -> str:
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as s:
        allan = make_technician(s, nom="Allan")
        make_line(s, allan, make_product(s, code_produit="CORD-001"), 100_000)
        for i in range(20):
            make_line(s, allan, make_product(s, code_produit=f"P-{i:02d}"), i)
    token = admin_token(engine)
    engine.dispose()
    return token


def run(base_url: str, token: str, threads: int, rounds: int) -> tuple[int, collections.Counter, float]:
    def work(_i: int) -> collections.Counter:
        seen: collections.Counter = collections.Counter()
        with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            for n in range(rounds):
                if n % 4 == 3:
                    r = c.post("/inventaire/stock/ajuster", json=USE)
                else:
                    r = c.get(READS[n % 3])
                if r.status_code >= 300:
                    seen[r.status_code] += 1
        return seen

    began = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        failures = sum(pool.map(work, range(threads)), collections.Counter())
    return threads * rounds, failures, time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=80)
    args = parser.parse_args()
    direct = create_pg_database()
    bouncer = pgbouncer(PG_ADMIN_URL)
    try:
        upgrade(direct)
        token = seed(direct)
        url = bouncer.url_for(direct)
        for mode in ("session", "transaction"):
            os.environ["INVENTAIRE_DB_POOLER"] = mode
            with Server(url, workers=2) as server:
                total, failures, seconds = run(server.base_url, token, args.threads, args.rounds)
            print(f"INVENTAIRE_DB_POOLER={mode:<11} {sum(failures.values()):>4} of {total} requests failed "
                  f"({dict(failures) or 'none'}), {total / seconds:.0f} requests/s")
    finally:
        bouncer.stop()
        drop_pg_database(direct)


if __name__ == "__main__":
    main()
