"""Migrations: the schema they build is the models', and 0012 (locations) carries every row over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from psycopg.types.json import Json
from sqlalchemy import text

from inventaire.ateliers import service as ateliers
from inventaire.checks.service import run_check
from inventaire.demo.loader import load_demo
from inventaire.kit.changes import COUNTER
from inventaire.kit.database import make_engine, make_sessionmaker, session_scope
from inventaire.kit.migrate import upgrade
from inventaire.models import Base
from inventaire.stock import reading as stock_lines
from inventaire.stock import service as stock
from inventaire.techniciens import service as techniciens
from tests.databases import create_pg_database, drop_pg_database, require_pg


@pytest.fixture
def blank_url(backend, tmp_path):
    """An empty database of each backend."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'vide.db'}"
        return
    require_pg()
    url = create_pg_database()
    yield url
    drop_pg_database(url)


def test_the_migrated_schema_is_the_models(blank_url):
    upgrade(blank_url)
    engine = make_engine(blank_url)
    try:
        with engine.connect() as conn:
            # SQLite's change counter is the triggers' own table, no model's (migrations/changes.py).
            untracked = {"include_name": lambda name, kind, _parent: not (kind == "table" and name == COUNTER)}
            diff = compare_metadata(MigrationContext.configure(conn, opts=untracked), Base.metadata)
            if conn.dialect.name == "postgresql":  # a technician's id is its location's, not a serial
                default = conn.scalar(text(
                    "SELECT column_default FROM information_schema.columns "
                    "WHERE table_name = 'techniciens' AND column_name = 'id'"))
                assert default is None
    finally:
        engine.dispose()
    assert diff == []


OLD_TABLES = ("produits_catalogue", "techniciens", "api_tokens", "regles_consommation", "inventaire_techniciens",
              "transactions_inventaire", "verifications")


LATER_COLUMNS = {"code_barres"}  # added after 0011 (0024): the old schema has no place for them


def _old_rows(new_url: str) -> dict[str, list[dict]]:
    """The demo's rows as stored (raw values), shaped as schema 0011 had them: a technician held their
    own name, lines and ledger rows pointed at `technicien_id`."""
    engine = make_engine(new_url)
    rows: dict[str, list[dict]] = {}
    with engine.connect() as conn:
        for name in ("api_tokens", "regles_consommation", "verifications"):
            rows[name] = [{k: v for k, v in dict(r).items() if k not in LATER_COLUMNS}
                          for r in conn.execute(text(f"SELECT * FROM {name}")).mappings()]
        # products named their supplier as text before 0025
        rows["produits_catalogue"] = [
            {k: v for k, v in dict(r).items() if k != "fournisseur_id" and k not in LATER_COLUMNS}
            for r in conn.execute(text("SELECT p.*, f.nom AS fournisseur FROM produits_catalogue p"
                                       " LEFT JOIN fournisseurs f ON f.id = p.fournisseur_id")).mappings()
        ]
        rows["techniciens"] = [dict(r) for r in conn.execute(text(
            "SELECT e.id, e.nom, e.nom_cle, t.email, e.actif, e.created_at, t.gazelle_id "
            "FROM emplacements e JOIN techniciens t ON t.id = e.id ORDER BY e.id")).mappings()]
        for name in ("inventaire_techniciens", "transactions_inventaire"):
            rows[name] = [
                {("technicien_id" if k == "emplacement_id" else k): v
                 for k, v in dict(r).items() if k not in ("transfert_de_id", "cause", "cause_id")}
                for r in conn.execute(text(f"SELECT * FROM {name}")).mappings()
            ]
    engine.dispose()
    vans = {r["id"] for r in rows["techniciens"]}  # the demo's workshop has no place in the old schema
    for name in ("inventaire_techniciens", "transactions_inventaire"):
        rows[name] = [r for r in rows[name] if r["technicien_id"] in vans]
    return rows


def _causes(url: str) -> dict[int, tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, cause, cause_id FROM transactions_inventaire")).all()
    engine.dispose()
    return {r.id: (r.cause, r.cause_id) for r in rows}


def _insert_raw(conn, name: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    rows = [{k: Json(v) if isinstance(v, dict) else v for k, v in row.items()} for row in rows]  # JSON on PostgreSQL
    conn.execute(text(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"),
                 rows)


def _snapshot(url: str, holder: str) -> dict:
    """Every balance, ledger row and row count, by the name of the line's holder."""
    engine = make_engine(url)
    with engine.connect() as conn:
        lines = conn.execute(text(
            f"SELECT l.id, l.{holder}_id, l.produit_id, l.quantite, l.seuil_min, l.niveau_par "
            "FROM inventaire_techniciens l "
            "ORDER BY l.id")).all()
        ledger = conn.execute(text(
            f"SELECT id, stock_line_id, {holder}_id, produit_id, type, ajustement, quantite_avant, quantite_apres, "
            "motif, reference, auteur, created_at FROM transactions_inventaire ORDER BY id")).all()
        counts = {t: conn.scalar(text(f"SELECT COUNT(*) FROM {t}")) for t in OLD_TABLES}
        checks = conn.execute(text("SELECT id, technicien_id, total_alertes FROM verifications ORDER BY id")).all()
        tokens = conn.execute(text("SELECT id, technicien_id, token_hash FROM api_tokens ORDER BY id")).all()
    engine.dispose()
    return {"lines": [tuple(r) for r in lines], "ledger": [tuple(r) for r in ledger], "counts": counts,
            "checks": [tuple(r) for r in checks], "tokens": [tuple(r) for r in tokens]}


def test_locations_migration_carries_the_demo_over(backend, tmp_path):
    """A database made with schema 0011 and the demo: after 0012, balances, ledger and counts are identical."""
    if backend == "sqlite":
        new_url, old_url = f"sqlite:///{tmp_path / 'demo.db'}", f"sqlite:///{tmp_path / 'ancienne.db'}"
    else:
        require_pg()
        new_url, old_url = create_pg_database(), create_pg_database()
    try:
        upgrade(new_url)
        engine = make_engine(new_url)
        with session_scope(make_sessionmaker(engine)) as session:
            load_demo(db_session=session)
            from inventaire.auth.service import create_token
            create_token(db_session=session, role="technicien", nom="Allan",
                         technician=techniciens.get_by_name(db_session=session, nom="Allan"))
            run_check(db_session=session, technician=None, seuil_critique=None, default=Decimal(5),
                      declenchee_par="essai")
        engine.dispose()
        rows = _old_rows(new_url)
        written = _causes(new_url)  # as the writers set them

        upgrade(old_url, "0011")
        engine = make_engine(old_url)
        with engine.begin() as conn:
            for name in OLD_TABLES:
                _insert_raw(conn, name, rows[name])
            if backend == "postgresql":
                for name in OLD_TABLES:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"(SELECT MAX(id) FROM {name}))"))
        engine.dispose()
        before = _snapshot(old_url, "technicien")
        assert before["counts"]["transactions_inventaire"] > 500 and before["counts"]["techniciens"] == 4

        upgrade(old_url)
        after = _snapshot(old_url, "emplacement")
        assert after == before
        # Revision 0020 back-fills each old row's cause as its writer sets it today (the demo's, here).
        backfilled = _causes(old_url)
        assert backfilled and backfilled == {k: v for k, v in written.items() if k in backfilled}
        engine = make_engine(old_url)
        with session_scope(make_sessionmaker(engine)) as session:
            allan = techniciens.get_by_name(db_session=session, nom="allan")
            assert allan.nom == "Allan" and allan.email and allan.id == rows["techniciens"][0]["id"]
            lines = stock_lines.list_lines(db_session=session, location=allan)
            assert len(lines) == len([r for r in rows["inventaire_techniciens"] if r["technicien_id"] == allan.id]) > 0
            # New locations take ids after the technicians', and names stay unique over both kinds.
            workshop = ateliers.create(db_session=session, nom="Atelier")
            assert workshop.id > max(r["id"] for r in rows["techniciens"])
            newcomer = techniciens.create(db_session=session, nom="Zoé")
            assert newcomer.id > workshop.id
            part = lines[0].produit
            moved = stock.transfer(db_session=session, source=allan, target=workshop, product=part,
                                   quantity=lines[0].quantite, auteur="essai")
            assert moved.entree.transfert_de_id == moved.sortie.id
            assert moved.sortie.created_at <= dt.datetime.now(dt.UTC)
        engine.dispose()
    finally:
        if backend == "postgresql":
            drop_pg_database(new_url)
            drop_pg_database(old_url)
