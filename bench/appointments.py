"""Benchmark: the appointments' read of a Gazelle sync, 50 technicians × 14 days × 6 appointments (4,200
events, about 10,500 booked items) from the fake Gazelle, cold and then unchanged, and every technician's
load list for one day; on PostgreSQL (SQLite with --sqlite).

    .venv/bin/python bench/appointments.py [--technicians 50] [--days 14] [--per-day 6] [--sqlite]

Prints the time and the database statements of each phase (counted by a `before_cursor_execute`
listener); the unchanged read must write nothing. Recorded in BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gazelle_sync import Statements  # noqa: E402
from bench.loading import BenchDatabase  # noqa: E402
from inventaire.chargement import service as chargement  # noqa: E402
from inventaire.gazelle.client import GazelleClient  # noqa: E402
from inventaire.kit.config import Settings  # noqa: E402
from inventaire.kit.database import make_sessionmaker, session_scope  # noqa: E402
from inventaire.regles import service as regles  # noqa: E402
from inventaire.rendezvous import reading  # noqa: E402
from inventaire.rendezvous import service as rendezvous  # noqa: E402
from inventaire.tasks import rendezvous_run  # noqa: E402
from inventaire.techniciens import service as techniciens  # noqa: E402
from tests.gazelle.fake import FakeGazelle  # noqa: E402
from tests.helpers import make_line, make_product, make_technician  # noqa: E402

PLS, TRAIT, CORY, ONLINE = "mit_2eBOzDvunD7PHs6M", "mit_CX6CvWXbjs08vg70", "mit_eRqZsLAzRs3ypEGC", "mit_N6BwvFPuAnai6zXh"
TZ = ZoneInfo("America/Montreal")


def load(factory, gazelle: FakeGazelle, technicians: int, days: int, per_day: int) -> int:
    """Vans with stock and rules in the database; the appointments in Gazelle. Returns the number of items."""
    with session_scope(factory) as s:
        products = {code: make_product(s, code_produit=code) for code in ("PLS-BUV", "PLS-GAINE", "PLS-TRAIT", "CORY")}
        for code, service in (("PLS-BUV", PLS), ("PLS-GAINE", PLS), ("PLS-TRAIT", TRAIT), ("CORY", CORY)):
            regles.create(db_session=s, service_id=service, product=products[code], quantite=Decimal(1))
        for n in range(technicians):
            user = f"usr_bench{n:03d}"
            gazelle.users.append({"id": user, "firstName": f"Tech{n}", "lastName": "Banc", "email": ""})
            van = make_technician(s, nom=f"Tech {n:03d}", gazelle_id=user)
            for product in products.values():
                make_line(s, van, product, 2)
    today = dt.datetime.now(TZ).date()
    items = 0
    for n in range(technicians):
        for day in range(days):
            for k in range(per_day):
                start = dt.datetime.combine(today + dt.timedelta(days=day), dt.time(8 + k), TZ).astimezone(dt.UTC)
                booked = [(PLS, 100), (TRAIT, 100), (ONLINE, 100)][: 2 + (k % 2)] + ([(CORY, 200)] if k == 5 else [])
                items += len(booked)
                gazelle.add_event(f"evt_{n}_{day}_{k}", start=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                  user=f"usr_bench{n:03d}", items=booked, notes="À apporter : buvards" if k == 0 else None)
    return items


def timed(name: str, counter: Statements, run):
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    kinds = counter.take()
    writes = kinds["INSERT"] + kinds["UPDATE"] + kinds["DELETE"]
    print(f"{name:<34} {seconds:7.2f} s  {sum(kinds.values()):6d} statements (writes {writes}: {dict(kinds)})",
          flush=True)
    return result, seconds, writes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--per-day", type=int, default=6)
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    db = BenchDatabase("sqlite" if args.sqlite else "postgresql")
    gazelle = FakeGazelle().start()
    try:
        factory = make_sessionmaker(db.engine)
        items = load(factory, gazelle, args.technicians, args.days, args.per_day)
        events = args.technicians * args.days * args.per_day
        settings = Settings(DATABASE_URL=db.url, gazelle_jours_avenir=args.days,
                            **gazelle.settings(gazelle_timeout=300.0))
        print(f"{db.backend}: {events} appointments, {items} booked items, {args.technicians} technicians", flush=True)
        counter = Statements(db.engine)
        today = dt.datetime.now(TZ).date()
        first, last = reading.window(today=today, jours=args.days)
        with GazelleClient(settings, factory) as client:
            read, _, _ = timed("read only (fake Gazelle, graphql-core)", counter,
                               lambda: list(reading.events(client, first=first, last=last)))
            booked = [reading.to_booked(e, tz=TZ) for e in read]

            def store():
                with session_scope(factory) as s:
                    return rendezvous.replace_window(db_session=s, read=booked, first=first, last=last)

            cold, _, _ = timed("cold store (read above)", counter, store)
            again, _, writes = timed("unchanged store", counter, store)
            assert cold.ajoutes == events and again.inchanges == events and writes == 0, (cold, again, writes)
            whole, _, writes = timed("unchanged sync part (read + store)", counter, lambda: rendezvous_run.refresh(
                session_factory=factory, settings=settings, client=client))
        assert whole["inchanges"] == events and writes == 0, (whole, writes)
        day = today + dt.timedelta(days=1)
        with session_scope(factory) as s:
            vans = techniciens.list_technicians(db_session=s)
            lists, _, _ = timed(f"every load list of one day ({len(vans)})", counter,
                                lambda: chargement.load_lists(db_session=s, technicians=vans, day=day))
            timed("the same, one technician at a time", counter,
                  lambda: [chargement.load_list(db_session=s, technician=v, day=day) for v in vans])
        assert all(len(load.appointments) == args.per_day for load in lists)
    finally:
        gazelle.stop()
        db.drop()


if __name__ == "__main__":
    main()
