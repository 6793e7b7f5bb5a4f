"""The audit trail of the application as it is served and run: a real `inventaire serve` and a real
`inventaire` command, each in its own process, over a fresh migrated database.

The other audit tests migrate inside the test process; these prove the trail is installed where
the served app, the CLI and the jobs make their sessions, not by an import only a migration does.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.commands import ServeProcess
from tests.helpers import csrf_of

INVENTAIRE = str(Path(sys.executable).with_name("inventaire"))


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([INVENTAIRE, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": database_url})


def _rows(page: str) -> list[tuple[str, str, str]]:
    """(who, action, object) of each row of « Modifications », newest first."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for row in re.findall(r"<tr data-action=.*?</tr>", body, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        out.append((cells[1], cells[2], cells[3]))
    return out


def _pages(base_url: str, raw: str) -> httpx.Client:
    """A client logged in to the pages with this token. The session cookie is Secure (browsers accept
    that over http on the loopback, httpx does not), so it is sent as a header."""
    login = httpx.get(f"{base_url}/connexion", params={"jeton": raw}, timeout=60)
    assert login.status_code == 303, login.text
    cookie = login.headers["set-cookie"].split(";", 1)[0]
    return httpx.Client(base_url=base_url, headers={"Cookie": cookie}, timeout=60)


def _key(page: str) -> str:
    return re.search(r'name="cle" value="([^"]+)"', page).group(1)


def test_serve_records_changes_made_through_the_api_and_the_pages(fresh_database, tmp_path):
    with ServeProcess(fresh_database.url, tmp_path) as srv:
        raw = re.search(r"Jeton : (inv_\S+)", srv.output()).group(1)
        with httpx.Client(base_url=srv.base_url, headers={"Authorization": f"Bearer {raw}"}, timeout=60) as api:
            assert api.post("/inventaire/catalogue", json={
                "code_produit": "CORD-777", "nom_produit": "Corde 777", "prix_unitaire": 12.5,
                "fournisseur": "Röslau"}).status_code == 201
            assert api.post("/inventaire/ateliers", json={"nom": "Atelier Nord"}).status_code == 201
            order = api.post("/inventaire/commandes", json={"fournisseur": "Röslau", "atelier": "Atelier Nord",
                                                            "lignes": [{"code_produit": "CORD-777", "quantite": 4,
                                                                        "prix_unitaire": 12.5}]})
            assert order.status_code == 201, order.text
            assert api.post(f"/inventaire/commandes/{order.json()['id']}/envoyer").status_code == 200
            second = api.post("/inventaire/commandes", json={"fournisseur": "Röslau", "atelier": "Atelier Nord",
                                                             "lignes": [{"code_produit": "CORD-777", "quantite": 1,
                                                                         "prix_unitaire": 12}]})
            assert second.status_code == 201, second.text
        with _pages(srv.base_url, raw) as browser:
            csrf = csrf_of(browser.get("/modifications").text)
            assert browser.post("/catalogue/CORD-777/archiver", data={"csrf": csrf}).status_code == 303
            assert browser.post("/ateliers", data={"csrf": csrf, "nom": "Atelier Sud"}).status_code == 303
            assert browser.post(f"/commandes/{second.json()['id']}/annuler", data={"csrf": csrf}).status_code == 303
            made = browser.post("/acces", data={"csrf": csrf, "cle": _key(browser.get("/acces").text),
                                                "role": "cron", "nom": "cron du matin"})
            assert made.status_code == 200
            token_id = re.search(r'action="/acces/(\d+)/revoquer"', browser.get("/acces").text)
            assert browser.post(f"/acces/{token_id.group(1)}/revoquer", data={"csrf": csrf}).status_code == 303
            page = browser.get("/modifications")
        assert page.status_code == 200
    rows = _rows(page.text)
    numero, other = order.json()["numero"], second.json()["numero"]
    # Newest first: the pages' changes, the API's, then serve's first start (its admin token).
    assert rows == [
        ("administrateur", "Jeton révoqué", "jeton «\u00a0cron du matin\u00a0» (cron)"),
        ("administrateur", "Jeton créé", "jeton «\u00a0cron du matin\u00a0» (cron)"),
        ("administrateur", "Commande annulée", other),
        ("administrateur", "Atelier ajouté", "Atelier Sud"),
        ("administrateur", "Produit archivé", "CORD-777"),
        ("administrateur", "Commande créée", other),
        ("administrateur", "Commande envoyée", numero),
        ("administrateur", "Commande créée", numero),
        ("administrateur", "Atelier ajouté", "Atelier Nord"),
        ("administrateur", "Produit ajouté", "CORD-777"),
        ("administrateur", "Fournisseur ajouté", "Röslau"),  # a supplier name nobody had: created with the product
        (rows[-1][0], "Jeton créé", "jeton «\u00a0administrateur\u00a0» (admin)"),
    ]
    assert re.fullmatch(r"ligne de commande \(.+\)", rows[-1][0])  # `serve` made it before serving


def test_a_cli_command_run_as_a_process_is_recorded(fresh_database, tmp_path):
    created = _cli(fresh_database.url, "token", "create", "--role", "cron", "--nom", "sauvegarde")
    assert created.returncode == 0, created.stderr
    assert _cli(fresh_database.url, "token", "create", "--role", "admin", "--nom", "bureau").returncode == 0
    revoked = _cli(fresh_database.url, "token", "revoke", "1")
    assert revoked.returncode == 0, revoked.stdout + revoked.stderr
    admin = _cli(fresh_database.url, "token", "create", "--role", "admin", "--nom", "lecture").stdout.strip()
    assert created.stdout.startswith("inv_") and admin.startswith("inv_")
    with ServeProcess(fresh_database.url, tmp_path) as srv, _pages(srv.base_url, admin) as browser:
        rows = _rows(browser.get("/modifications").text)
    who = rows[0][0]
    assert re.fullmatch(r"ligne de commande \(.+\)", who)
    assert rows == [(who, "Jeton créé", "jeton «\u00a0lecture\u00a0» (admin)"),
                    (who, "Jeton révoqué", "jeton «\u00a0sauvegarde\u00a0» (cron)"),
                    (who, "Jeton créé", "jeton «\u00a0bureau\u00a0» (admin)"),
                    (who, "Jeton créé", "jeton «\u00a0sauvegarde\u00a0» (cron)")]
