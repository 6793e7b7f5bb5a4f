"""Tokens never reach the logs: a real `inventaire serve` with uvicorn's access log on."""

import logging
import re

import httpx

from inventaire.auth.redaction import RedactSecrets, redact
from tests import databases
from tests.commands import ServeProcess


def test_redact_masks_query_secrets_and_token_shapes():
    assert redact("GET /connexion?jeton=inv_abc&suite=/x HTTP/1.1") == "GET /connexion?jeton=***&suite=/x HTTP/1.1"
    assert redact("/x?a=1&TOKEN=secret") == "/x?a=1&TOKEN=***"
    assert redact("voir inv_" + "Z" * 43 + " fin") == "voir inv_*** fin"
    assert redact("/inventaire/stock/Allan?jours=30") == "/inventaire/stock/Allan?jours=30"


def test_filter_rewrites_uvicorn_access_arguments():
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/connexion?jeton=inv_secret", "1.1", 303), None)
    assert RedactSecrets().filter(record)
    assert "inv_secret" not in record.getMessage() and "jeton=***" in record.getMessage()


def test_serve_logs_no_token(tmp_path):
    """The first start prints its admin token once (banner); the access log never shows one."""
    database = databases.MigratedDatabase("sqlite", tmp_path)
    with ServeProcess(database.url, tmp_path) as srv:
        raw = re.search(r"Jeton : (inv_\S+)", srv.output()).group(1)
        assert f"/connexion?jeton={raw}" in srv.output()
        headers = {"Authorization": f"Bearer {raw}"}
        assert httpx.get(f"{srv.base_url}/inventaire/techniciens", headers=headers).status_code == 200  # admin
        assert httpx.get(f"{srv.base_url}/inventaire/catalogue", headers=headers).status_code == 200
        httpx.get(f"{srv.base_url}/connexion", params={"jeton": raw})
        httpx.get(f"{srv.base_url}/inventaire/catalogue", params={"q": raw}, headers=headers)
        httpx.get(f"{srv.base_url}/inventaire/catalogue", headers={"Authorization": f"Bearer {raw}x"})
        srv.stop()
        output = srv.output()
    banner, log = output.split("Started server process", 1)
    assert banner.count(raw) == 2 and "Premier démarrage" in banner
    assert "GET /inventaire/catalogue" in log  # the access log is on
    assert "jeton=***" in log
    assert raw not in log and raw[4:20] not in log
    with ServeProcess(database.url, tmp_path) as again:  # an admin exists: no new token, no banner
        again.stop()
        assert "Premier démarrage" not in again.output() and "inv_" not in again.output()
        # ...but it says where to log in, and how to get a token when the first one is lost.
        assert f"Tableau de bord : http://127.0.0.1:{again.port}/connexion" in again.output()
        assert "inventaire token create --role admin" in again.output()
