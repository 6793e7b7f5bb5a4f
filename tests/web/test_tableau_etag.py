"""The polled dashboard answers 304 while nothing it shows has changed, and 200 as soon as something has."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from inventaire.checks import service as checks
from inventaire.kit.changes import data_version
from inventaire.kit.database import make_engine
from inventaire.web import conditional
from inventaire.web.pages.tableau import SHOWN_SETTINGS
from inventaire.web.sessions import Viewer
from tests.helpers import make_line, make_product, make_technician

FRAGMENT = "/fragments/tableau"


@pytest.fixture
def van(db_session):
    allan = make_technician(db_session, nom="Allan")
    cord = make_product(db_session, code_produit="CORD-012", seuil_reorder=Decimal(2))
    make_line(db_session, allan, cord, 5)
    db_session.commit()
    return allan


def poll(pages, etag=None):
    return pages.get(FRAGMENT, headers={"If-None-Match": etag} if etag else {})


def test_an_unchanged_fragment_is_a_304_without_a_body(pages, van):
    first = poll(pages)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and re.fullmatch(r'"[0-9a-f]{32}"', tag)
    again = poll(pages, tag)
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
    assert again.headers["Cache-Control"] == "no-store"  # nothing kept by the browser's cache
    assert poll(pages, f'"autre", W/{tag}').status_code == 304  # a list of tags, weak or not
    # The page hands its fragment's ETag to the poll (app.js sends it back).
    assert 'data-etag="{}"'.format(tag.replace('"', "&#34;")) in pages.get("/").text


def test_a_change_through_the_api_is_shown_at_the_next_poll(pages, client, van):
    tag = poll(pages).headers["ETag"]
    assert client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -4, "type": "utilisation"}).status_code == 200
    changed = poll(pages, tag)
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert 'id="nb-alertes">1<' in changed.text
    assert poll(pages, changed.headers["ETag"]).status_code == 304


def test_a_threshold_edit_and_a_stored_run_are_changes_too(pages, client, db_session, van):
    tag = poll(pages).headers["ETag"]
    assert client.put("/inventaire/stock/Allan/CORD-012", json={"seuil_min": 9}).status_code == 200
    after_edit = poll(pages, tag)
    assert after_edit.status_code == 200 and 'id="nb-alertes">1<' in after_edit.text
    checks.run_check(db_session=db_session, technician=None, seuil_critique=None, default=Decimal(5),
                     declenchee_par="essai")
    db_session.commit()
    after_run = poll(pages, after_edit.headers["ETag"])
    assert after_run.status_code == 200 and "essai" in after_run.text


def test_a_refused_write_changes_nothing_and_the_poll_stays_304(pages, client, van):
    tag = poll(pages).headers["ETag"]
    refused = client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-012", "ajustement": -50, "type": "utilisation"})
    assert refused.status_code == 409
    assert poll(pages, tag).status_code == 304


def _viewer(nom="bureau", role="admin"):
    from inventaire.auth.service import Principal

    return Viewer(principal=Principal(nom=nom, role=role), csrf="x", session_id=1)


def test_the_etag_moves_with_time_settings_and_viewer_only_as_said(db_session, settings):
    noon = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)

    def tag(**kw):
        return conditional.etag(db_session=db_session, settings=kw.get("settings", settings),
                                viewer=kw.get("viewer", _viewer()), read=SHOWN_SETTINGS, now=kw.get("now", noon))

    base = tag()
    assert tag(now=noon + conditional.TIME_STEP - dt.timedelta(seconds=1)) == base
    assert tag(now=noon + conditional.TIME_STEP) != base  # states that change with time alone
    assert tag(settings=settings.model_copy(update={"seuil_defaut": Decimal(7)})) != base
    assert tag(viewer=_viewer(nom="Nicole")) != base


def test_a_writer_in_flight_keeps_the_version_open_until_it_ends(backend, database, engine, db_session):
    """PostgreSQL's counter moves at the write, before the commit: the writer is part of the version.

    SQLite: no writer can be in flight while the poll's transaction is open (it holds the write lock)."""
    if backend == "sqlite":
        data_version(db_session=db_session)
        other = make_engine(database.url, sqlite_busy_ms=50)
        try:
            with other.connect() as writer, pytest.raises(OperationalError, match="locked"):
                writer.execute(text("UPDATE emplacements SET actif = actif"))
        finally:
            other.dispose()
        return
    with engine.connect() as writer, Session(bind=writer) as session:
        make_product(session, code_produit="EN-COURS")  # written and counted, not committed
        session.flush()
        during = data_version(db_session=db_session)
        assert data_version(db_session=db_session) == during
        session.rollback()
    after = data_version(db_session=db_session)
    assert after != during
    assert after.split(":")[0] == during.split(":")[0]  # the counter did not move again: the writer's end did it
