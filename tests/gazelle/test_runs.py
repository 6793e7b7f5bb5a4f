"""A run among other processes, on a real database that commits: a crashed run's lock, a phone's
change between two batches of a large sync, and two processes refreshing the token at once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from inventaire.gazelle.models import GazelleSync, GazelleToken
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope, utcnow
from inventaire.kit.exceptions import Conflict
from inventaire.stock import service as stock
from inventaire.tasks import gazelle_run
from tests.gazelle.test_connector import PLS, stock_up
from tests.helpers import balance_of, committed


def _settings(fresh_database, gazelle, **extra) -> Settings:
    return Settings(DATABASE_URL=fresh_database.url, **gazelle.settings(**extra))


def _stale_run(url: str, *, beat: dt.datetime) -> int:
    with committed(url) as s:
        run = GazelleSync(statut="en_cours", jours=30, declenchee_par="serve", started_at=beat, heartbeat_at=beat)
        s.add(run)
        s.flush()
        return run.id


def test_a_crashed_run_is_detected_by_its_heartbeat(fresh_database, gazelle):
    settings = _settings(fresh_database, gazelle)
    factory = make_sessionmaker(make_engine(fresh_database.url))
    alive = _stale_run(fresh_database.url, beat=utcnow() - dt.timedelta(seconds=20))
    with pytest.raises(Conflict, match=r"tenue pour interrompue après 135 s sans signe de vie"):
        gazelle_run.run_sync(session_factory=factory, settings=settings)
    with committed(fresh_database.url) as s:
        s.get(GazelleSync, alive).heartbeat_at = utcnow() - dt.timedelta(minutes=3)  # its process died 3 min ago
    done = gazelle_run.run_sync(session_factory=factory, settings=settings)  # not 30 minutes later: now
    assert done.run.statut == "reussie"
    with committed(fresh_database.url) as s:
        crashed = s.get(GazelleSync, alive)
        assert crashed.statut == "interrompue" and "aucun signe de vie pendant 135 s" in crashed.erreur


def test_a_phone_never_waits_behind_a_large_sync(fresh_database, gazelle):
    """Deductions commit batch by batch: a change to the same van line between two batches goes through."""
    with committed(fresh_database.url) as s:
        stock_up(s, quantite=500)
    for number in range(1, 121):
        gazelle.add_invoice(number, items=[(PLS, 100)])
    engine = make_engine(fresh_database.url, sqlite_busy_ms=2000)
    waits: list[float] = []

    def phone(phase: str, done: int, total: int) -> None:
        if phase != "deduction" or done >= total:
            return
        started = time.monotonic()
        with session_scope(make_sessionmaker(engine)) as s:
            if engine.dialect.name == "postgresql":
                s.execute(text("SET LOCAL lock_timeout = '2s'"))
            from inventaire.catalogue.models import Product
            from inventaire.techniciens.models import Technician
            allan = s.scalar(select(Technician).where(Technician.nom == "Allan"))
            product = s.scalar(select(Product).where(Product.code_produit == "PLS-BUV"))
            stock.adjust(db_session=s, location=allan, product=product, kind="ajustement", delta=Decimal(1),
                         auteur="Allan", cause="manuel", motif="téléphone")
        waits.append(time.monotonic() - started)

    factory = make_sessionmaker(make_engine(fresh_database.url))
    result = gazelle_run.run_sync(session_factory=factory, settings=_settings(fresh_database, gazelle),
                                  progress=phone)
    engine.dispose()
    assert result.rapport.services_appliques == 120 and len(waits) == 4  # 120 invoices, batches of 25
    assert max(waits) < 1.0, waits
    with committed(fresh_database.url) as s:
        assert balance_of(s, "Allan", "PLS-BUV") == 500 - 120 + 4


REFRESH = """
import json, sys, time
from inventaire.gazelle.client import GazelleClient
from inventaire.kit.config import Settings
from inventaire.kit.database import make_engine, make_sessionmaker
config = json.loads(sys.argv[1])
settings = Settings(DATABASE_URL=config.pop("url"), **config)
factory = make_sessionmaker(make_engine(settings.database_url))
start_at = float(sys.argv[2])
time.sleep(max(0.0, start_at - time.time()))
with GazelleClient(settings, factory) as client:
    print(len(client.users()))
"""


@pytest.mark.parametrize("chain", ["premier jeton", "chaine en base"])
def test_two_processes_refreshing_at_once_never_burn_the_rotated_token(fresh_database, gazelle, chain):
    """The first refresh (no row yet: nothing to lock but the advisory lock) and a stored chain."""
    config = {"url": fresh_database.url, "gazelle_api_url": f"{gazelle.url}/graphql",
              "gazelle_token_url": f"{gazelle.url}/oauth/token", "gazelle_client_id": "client-essai",
              "gazelle_client_secret": "secret-du-client-essai", "gazelle_backoff": 0, "gazelle_pause_ms": 0,
              "gazelle_refresh_token": gazelle.refresh_token}
    if chain == "chaine en base":
        factory = make_sessionmaker(make_engine(fresh_database.url))
        gazelle_run.run_sync(session_factory=factory, settings=_settings(fresh_database, gazelle))
        gazelle.expire_access_tokens()  # both processes must refresh
        del config["gazelle_refresh_token"]  # the chain in the database only
    gazelle.token_delay = 0.8  # the first holds its refresh long enough for the second to arrive
    requests_before = len(gazelle.token_requests)
    start_at = str(time.time() + 3)
    workers = [subprocess.Popen([sys.executable, "-c", REFRESH, json.dumps(config), start_at],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=60) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert [o[0].strip() for o in outputs] == ["4", "4"]
    assert gazelle.refused == []  # no dead refresh token was ever sent
    assert len(gazelle.token_requests) - requests_before == 1  # the second found the first's fresh token
    with committed(fresh_database.url) as s:
        assert s.get(GazelleToken, 1).refresh_token == gazelle.refresh_token
