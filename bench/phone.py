"""The phone page's weight and time until usable under Chromium's Slow 4G emulation (issue 23).

`python -m bench.phone [--runs 5]`: a fresh SQLite database with the demo data, the real server
(`inventaire serve`), a technician of the demo logged in, and a 390 px Chromium emulating DevTools'
« Slow 4G » (562.5 ms of latency, 1.44 Mbit/s down, 675 kbit/s up) through CDP
`Network.emulateNetworkConditions`. Two cases:

- first visit: an empty cache, no service worker: every byte of the page and its files;
- installed: the service worker active and its cache filled, the page opened again (the page
  itself still comes from the network, fresh; its files from the worker's cache).

Transfer size: the bytes on the wire (CDP `encodedDataLength`, compressed, headers included)
of every response the page loads, the scanner's reader excluded (loaded only on « Scanner »).
Time until usable: `domContentLoadedEventEnd` (the deferred scripts have run: − and + work).
The median of `--runs` runs is printed, with the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
from pathlib import Path

from bench.server import Server, admin_token
from inventaire.auth import service as auth_service
from inventaire.cli.main import migrate_to
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.techniciens.models import Technician

CHROMIUM = "/usr/bin/chromium"
SLOW_4G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9}
VERBOSE = os.environ.get("BENCH_VERBOSE") == "1"  # each response's size
USABLE = "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def prepare(url: str) -> tuple[str, str]:
    """Demo data; returns a technician's token and the van's name."""
    from inventaire.demo.loader import load_demo

    migrate_to(url)
    engine = make_engine(url)
    admin_token(engine)
    with session_scope(make_sessionmaker(engine)) as session:
        load_demo(db_session=session)
        van = session.query(Technician).order_by(Technician.id).first()
        token, _ = auth_service.create_token(db_session=session, role="technicien", technician=van)
        name = van.nom
    engine.dispose()
    return token, name


def visit(context, path: str) -> tuple[int, int, float]:
    """Open `path` under Slow 4G: (bytes on the wire, requests, ms until usable)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(path, wait_until="networkidle")
    usable = page.evaluate(USABLE)
    wire = {urls.get(rid, rid): size for rid, size in sizes.items() if "barcode-detector" not in urls.get(rid, "")}
    page.close()
    if VERBOSE:
        for url, size in sorted(wire.items(), key=lambda item: -item[1]):
            print(f"  {size / 1024:6.1f} KB  {url.split('?')[0].rsplit('/', 2)[-2:]}")
    return sum(wire.values()), len(wire), usable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'phone.db'}"
        token, van = prepare(url)
        with Server(url) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM) else None,
                                                 args=["--headless", "--no-sandbox"])
            path = f"/stock/{van}"
            first, installed = [], []
            options = {"base_url": server.base_url, "viewport": {"width": 390, "height": 844}, "is_mobile": True,
                       "has_touch": True, "locale": "fr-CA"}
            login = browser.new_context(**options)  # the login lands on the van's page: its own context
            login.new_page().goto(f"/connexion?jeton={token}")
            cookies = login.storage_state()["cookies"]
            login.close()
            for _ in range(args.runs):
                context = browser.new_context(**options, storage_state={"cookies": cookies, "origins": []})
                first.append(visit(context, path))
                warm = context.new_page()  # wait until the worker holds the page and its files
                warm.goto(path)
                warm.evaluate("navigator.serviceWorker.ready.then(() => new Promise(r => setTimeout(r, 1500)))")
                warm.close()
                installed.append(visit(context, path))
                context.close()
            browser.close()
    print(f"Machine: {platform.node()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    for label, runs in (("first visit", first), ("installed", installed)):
        size = statistics.median(r[0] for r in runs)
        print(f"{label:12} {size / 1024:6.1f} KB on the wire in {statistics.median(r[1] for r in runs):.0f} "
              f"requests, usable after {statistics.median(r[2] for r in runs):.0f} ms (median of {len(runs)})")


if __name__ == "__main__":
    main()
