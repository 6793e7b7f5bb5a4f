"""SQL parameters never reach a log line or an error's text (they may carry Gazelle's tokens), on both
databases: the engine hides them."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from inventaire.kit.database import make_engine

SECRET = "rt-jeton-de-gazelle-tres-secret"
INSERT = text("INSERT INTO echecs_authentification (id, adresse, created_at) VALUES (:id, :adresse, :t)")


def test_parameters_are_in_no_log_and_no_error(fresh_database, caplog):
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    engine = make_engine(fresh_database.url)
    try:
        with engine.connect() as conn:
            values = {"id": 1, "adresse": SECRET, "t": "2026-12-07 12:00:00+00:00"}
            conn.execute(INSERT, values)
            with pytest.raises(IntegrityError) as duplicate:
                conn.execute(INSERT, values)  # the same id again
            conn.rollback()
    finally:
        engine.dispose()
    assert "INSERT INTO echecs_authentification" in caplog.text  # the statements are logged…
    assert SECRET not in caplog.text  # …never their values
    assert SECRET not in str(duplicate.value)
