"""The performance benchmark of issue 2: prints figures (it asserts nothing).

    .venv/bin/python bench/run_all.py            # full: 2,000 products × 50 technicians, 1,000,000 ledger rows
    .venv/bin/python bench/run_all.py --quick    # 200 × 10, 50,000 rows, shorter runs
    make bench [BENCH_ARGS=--quick]

Each backend gets a throw-away database (PostgreSQL on INVENTAIRE_BENCH_PG_URL, default
127.0.0.1:5432; SQLite in a temporary folder), dropped at the end. See BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import measures, pages  # noqa: E402
from bench.datagen import Dataset  # noqa: E402
from bench.loading import PG_ADMIN_URL, BenchDatabase  # noqa: E402
from bench.report import Series, machine, summary, table, verdict  # noqa: E402
from bench.server import Server, admin_token  # noqa: E402
from inventaire.checks.service import build_report  # noqa: E402
from inventaire.kit.config import Settings  # noqa: E402
from inventaire.stock.reading import list_lines  # noqa: E402
from inventaire.techniciens.service import get_or_404  # noqa: E402

QUICK = {"products": 200, "technicians": 10, "ledger": 50_000, "seconds": 5, "repeat": 2}
FULL = {"products": 2_000, "technicians": 50, "ledger": 1_000_000, "seconds": 10, "repeat": 3}
T0 = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f} s] {message}", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small database and short runs (about 2 minutes)")
    p.add_argument("--products", type=int)
    p.add_argument("--technicians", type=int)
    p.add_argument("--ledger", type=int, help="ledger rows in the end (the large point)")
    p.add_argument("--small", type=int, default=10_000, help="ledger rows at the small point")
    p.add_argument("--backends", default="postgresql,sqlite")
    p.add_argument("--workers", default="1,2", help="uvicorn workers to try for adjustments (PostgreSQL)")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, help="measured seconds of each throughput run")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--repeat", type=int, help="runs of every measure")
    p.add_argument("--samples", type=int, default=10, help="requests per latency run (median taken)")
    p.add_argument("--pgbench-mode", default="prepared", choices=("simple", "extended", "prepared"))
    args = p.parse_args(argv)
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.small = min(args.small, args.ledger)
    return args


def record(out: dict[str, Series], key: str, unit: str, value: float) -> None:
    out.setdefault(key, Series(unit)).runs.append(value)


def run_backend(backend: str, args) -> dict[str, Series]:
    """Two databases with the same lines (small and large ledger), measured side by side, then the large one."""
    out: dict[str, Series] = {}
    say(f"{backend}: planning {args.products} products × {args.technicians} technicians, {args.ledger:,} rows")
    plans = [Dataset(args.products, args.technicians, args.ledger)]
    plans.append(Dataset(args.products, args.technicians, args.ledger, now=plans[0].now))
    small = large = None
    try:
        small, large = BenchDatabase(backend), BenchDatabase(backend)
        for db, data, rows in ((small, plans[0], args.small), (large, plans[1], args.ledger)):
            start = time.monotonic()
            db.load_base(data)
            db.load_ledger(data, rows)
            db.token = admin_token(db.engine)
            say(f"{backend}: {len(data.line_rows):,} lines and {db.ledger_rows():,} ledger rows loaded in "
                f"{time.monotonic() - start:.1f} s; lines disagreeing with their ledger: {db.inconsistent_lines()}")
        measure_stock(small, large, plans[0].technician_rows[0]["nom"], args, out)
        small.drop()
        small = None
        measure_check(large, args, out)
        measure_pages(large, plans[1], args, out)
        measure_adjustments(large, plans[1], args, out)
        bad = large.inconsistent_lines()
        say(f"{backend}: after the writes, {large.ledger_rows():,} ledger rows, lines disagreeing: {bad}")
        if bad:
            raise RuntimeError(f"{bad} line(s) disagree with their ledger after the benchmark")
    finally:
        for db in (small, large):
            if db is not None:
                db.drop()
    return out


def measure_stock(small, large, technician: str, args, out) -> None:
    """One technician's stock read at both ledger sizes, request by request in turn."""
    path = f"/inventaire/stock/{quote(technician)}"
    read = lambda s: list_lines(db_session=s, location=get_or_404(db_session=s, nom=technician))  # noqa: E731
    with ExitStack() as stack:
        servers = [stack.enter_context(Server(db.url)) for db in (small, large)]
        calls = [stack.enter_context(measures.HttpCall(srv.base_url, db.token, "GET", path))
                 for srv, db in zip(servers, (small, large), strict=False)]
        calls += [stack.enter_context(measures.raw_sql_call(db, measures.service_sql(db.engine, read)[-1:]))
                  for db in (small, large)]
        for _ in range(args.repeat):
            cpu = [srv.cpu_seconds() for srv in servers]
            samples = measures.interleaved(calls, args.samples)
            for key, srv, before in zip(("small", "large"), servers, cpu, strict=False):
                record(out, f"stock_cpu_{key}", "ms", (srv.cpu_seconds() - before) / (args.samples + 1) * 1000)
            for key, series in zip(("stock_small", "stock_large", "stock_sql_small", "stock_sql_large"), samples, strict=False):
                record(out, key, "ms", measures.median_ms(series))
            say(f"{large.backend}: stock read of one technician ({len(calls[1].last.json())} lines), small / large "
                f"ledger: HTTP {out['stock_small'].runs[-1]:.1f} / {out['stock_large'].runs[-1]:.1f} ms, "
                f"its SQL {out['stock_sql_small'].runs[-1]:.1f} / {out['stock_sql_large'].runs[-1]:.1f} ms")


def measure_check(db, args, out) -> None:
    """POST /check-stock, build_report in-process and its SQL alone, in turn (with the forecast, as the endpoint)."""
    report = lambda s: build_report(db_session=s, technician=None, seuil_critique=None, default=Decimal("5.0"),  # noqa: E731
                                    horizon_days=Settings().delai_commande_jours)
    statements = measures.service_sql(db.engine, report)
    with Server(db.url) as server, measures.HttpCall(server.base_url, db.token, "POST", "/inventaire/check-stock") as http, \
            measures.raw_sql_call(db, statements) as raw:
        for _ in range(args.repeat):
            cpu = server.cpu_seconds()
            samples = measures.interleaved([http, measures.service_call(db.engine, report), raw], args.samples)
            record(out, "check_cpu", "ms", (server.cpu_seconds() - cpu) / (args.samples + 1) * 1000)
            for key, series in zip(("check_http", "check_service", "check_sql"), samples, strict=False):
                record(out, key, "ms", measures.median_ms(series))
            stats = http.last.json()["rapport"]["statistiques"]
            say(f"{db.backend}: check-stock over {stats['total_produits']:,} lines, {stats['total_alertes']:,} "
                f"alerts: HTTP {out['check_http'].runs[-1]:.0f} ms (server CPU {out['check_cpu'].runs[-1]:.0f} ms), "
                f"in-process {out['check_service'].runs[-1]:.0f} ms, "
                f"its {len(statements)} SQL queries {out['check_sql'].runs[-1]:.0f} ms")


def measure_pages(db, data, args, out) -> None:
    """The dashboard's poll, computed and 304, and a change on the phone page (bench/pages.py)."""
    technician, code = data.active_targets()[0]
    with Server(db.url) as server:
        browser = pages.Browser(server.base_url, db.token)
        try:
            for _ in range(args.repeat):
                polls = pages.dashboard_polls(browser, server.cpu_seconds, args.samples)
                change = pages.phone_change(browser, technician, code, server.cpu_seconds, args.samples)
                for key, figure in (("poll_changed", polls["changed"]), ("poll_unchanged", polls["unchanged"]),
                                    ("phone_change", change)):
                    record(out, f"{key}_cpu", "ms", figure.server_cpu_ms)
                    record(out, f"{key}_wall", "ms", figure.wall_ms)
                say(f"{db.backend}: dashboard poll, computed: server CPU {polls['changed'].server_cpu_ms:.1f} ms "
                    f"({polls['changed'].size:,} bytes); unchanged (304): {polls['unchanged'].server_cpu_ms:.2f} ms; "
                    f"phone change on a {len(data.line_rows) // len(data.technician_rows):,}-line van: "
                    f"{change.server_cpu_ms:.1f} ms")
        finally:
            browser.close()


def measure_adjustments(db, data, args, out) -> None:
    targets = data.active_targets()
    workers = [int(w) for w in args.workers.split(",")] if db.backend == "postgresql" else [1]
    for _ in range(args.repeat):
        for w in workers:
            with Server(db.url, workers=w) as server:
                rate = measures.adjust_rate(server.base_url, db.token, targets, clients=args.clients,
                                            seconds=args.seconds, warmup=args.warmup, server_cpu=server.cpu_seconds)
            cpu = rate.server_cpu_ms
            record(out, f"adjust_w{w}", "req/s", rate.per_second)
            record(out, f"adjust_cpu_w{w}", "ms", cpu)
            say(f"{db.backend}: adjustments, {args.clients} clients, {w} worker(s): {rate.per_second:.0f}/s "
                f"(p50 {rate.p50_ms:.0f} ms, p95 {rate.p95_ms:.0f} ms, {rate.errors} errors; server CPU "
                f"{cpu:.1f} ms/request, client ({rate.client}) CPU {rate.client_cpu:.2f} cores)"
                + (f" first error: {rate.first_error}" if rate.errors else ""))
        if db.backend == "postgresql":
            with Server(db.url, workers=max(workers), floor=True) as server:
                rate = measures.adjust_rate(server.base_url, db.token, targets, clients=args.clients,
                                            seconds=args.seconds, warmup=args.warmup, server_cpu=server.cpu_seconds)
            record(out, "floor", "req/s", rate.per_second)
            say(f"{db.backend}: the stack alone (bench/floor_app.py, {max(workers)} workers): {rate.per_second:.0f}/s "
                f"(server CPU {rate.server_cpu_ms:.1f} ms/request, {rate.errors} errors)")
            tps = measures.pgbench_rate(db, lines=len(data.line_rows), clients=args.clients,
                                        seconds=int(args.seconds), mode=args.pgbench_mode)
            record(out, "pgbench", "tx/s", tps)
            say(f"{db.backend}: pgbench ({args.pgbench_mode}), {args.clients} clients: {tps:.0f} tx/s")


LABELS = [
    ("stock_small", "GET /stock/{technicien}, HTTP, small ledger"),
    ("stock_large", "GET /stock/{technicien}, HTTP, large ledger"),
    ("stock_cpu_small", "  server CPU per read, small ledger"),
    ("stock_cpu_large", "  server CPU per read, large ledger"),
    ("stock_sql_small", "  its SQL alone, small ledger"),
    ("stock_sql_large", "  its SQL alone, large ledger"),
    ("check_http", "POST /check-stock, HTTP"),
    ("check_cpu", "  server CPU per check"),
    ("check_service", "  build_report in-process (no HTTP, not stored)"),
    ("check_sql", "  its SQL queries alone (the forecast's included)"),
    ("poll_changed_cpu", "dashboard poll, fragment computed: server CPU"),
    ("poll_changed_wall", "  wall clock"),
    ("poll_unchanged_cpu", "dashboard poll, nothing changed (304): server CPU"),
    ("poll_unchanged_wall", "  wall clock"),
    ("phone_change_cpu", "phone page change (one line's card): server CPU"),
    ("phone_change_wall", "  wall clock"),
    ("adjust_w1", "POST /stock/ajuster, 16 clients, 1 worker"),
    ("adjust_w2", "POST /stock/ajuster, 16 clients, 2 workers"),
    ("floor", "  the stack alone: FastAPI + SQLAlchemy, same transaction (bench/floor_app.py)"),
    ("pgbench", "same transaction by pgbench, 16 clients"),
    ("adjust_cpu_w1", "  server CPU per adjustment, 1 worker"),
    ("adjust_cpu_w2", "  server CPU per adjustment, 2 workers"),
]


def targets(results: dict[str, dict[str, Series]]) -> list[list[str]]:
    rows = []
    for backend, r in results.items():
        ratio = r["check_http"].value / r["check_sql"].value
        rows.append([backend, "check-stock HTTP ≤ 3 × its raw SQL", f"{ratio:.2f} ×", verdict(ratio <= 3)])
        poll = r["poll_unchanged_cpu"].value
        rows.append([backend, "unchanged dashboard poll < 2 ms of server CPU", f"{poll:.2f} ms", verdict(poll < 2)])
        growth = r["stock_large"].value / r["stock_small"].value
        rows.append([backend, "stock read does not grow with the ledger (large/small ≤ 1.5)",
                     f"{growth:.2f} ×", verdict(growth <= 1.5)])
        if "pgbench" in r:
            best = max(r[k].value for k in r if k.startswith("adjust_w"))
            share = best / r["pgbench"].value
            rows.append([backend, "HTTP adjustments ≥ ¼ of pgbench (best worker count)",
                         f"{share:.2f}", verdict(share >= 0.25)])
            floor = r["floor"].value / r["pgbench"].value
            rows.append([backend, "  for scale: the stack alone (no service code) / pgbench", f"{floor:.2f}",
                         "ceiling"])
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    say(f"benchmark: {args.products} products × {args.technicians} technicians, ledger {args.small:,} then "
        f"{args.ledger:,} rows; {args.repeat} runs of each measure; {args.seconds:g} s throughput runs")
    before = machine(PG_ADMIN_URL)
    results = {b: run_backend(b, args) for b in args.backends.split(",")}
    after = machine(PG_ADMIN_URL)
    print()
    kind = "quick" if args.quick else ("full" if all(getattr(args, k) == v for k, v in FULL.items()) else "custom")
    print(f"## Results ({kind} run: {args.products} products × {args.technicians} "
          f"technicians = {args.products * args.technicians:,} lines; ledger {args.small:,} → {args.ledger:,} rows)")
    print()
    print(table(["machine", ""], [[k, v] for k, v in before.items() if k != "load average"]
                + [["load average (start → end)", f"{before['load average']} → {after['load average']}"]]))
    print()
    print(summary(results, LABELS))
    print()
    print(table(["backend", "target", "figure", "verdict"], targets(results)))
    if kind != "full":
        print("\nThe issue sets these targets for the default size (a small database is dominated by fixed costs).")
    if max(os.getloadavg()) > (os.cpu_count() or 1):
        print("\nThe load average exceeded the number of CPUs: other work shared the machine, figures are noisy.")
    say("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
