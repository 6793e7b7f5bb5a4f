"""/openapi.json, /docs and /redoc need a token or a logged-in page session, like every route but /health."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from inventaire.api_reference import current_schema
from inventaire.auth import service as auth_service
from tests.helpers import bearer


def test_the_schema_needs_a_token(anon_client, client, admin_token, db_session):
    refused = anon_client.get("/openapi.json")
    assert refused.status_code == 401 and "Authentification requise" in refused.json()["detail"]
    assert anon_client.get("/openapi.json", headers=bearer("inv_inconnu")).status_code == 401
    schema = anon_client.get("/openapi.json", headers=bearer(admin_token))
    assert schema.status_code == 200 and "/inventaire/stock/ajuster" in schema.json()["paths"]


def test_a_revoked_token_no_longer_reads_the_schema(anon_client, db_session):
    raw, token = auth_service.create_token(db_session=db_session, role="cron")
    db_session.commit()
    assert anon_client.get("/openapi.json", headers=bearer(raw)).status_code == 200
    auth_service.revoke(db_session=db_session, token_id=token.id)
    db_session.commit()
    assert anon_client.get("/openapi.json", headers=bearer(raw)).status_code == 401


def test_the_docs_pages_send_a_stranger_to_the_login_page(app):
    with TestClient(app) as browser:
        for path in ("/docs", "/redoc"):
            response = browser.get(path, follow_redirects=False)
            assert response.status_code == 303
            assert response.headers["location"] == f"/connexion?suite=%2F{path[1:]}"


def test_a_logged_in_person_reads_the_docs_and_their_schema(pages):
    docs = pages.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower() and "/openapi.json" in docs.text
    assert pages.get("/redoc").status_code == 200
    assert pages.get("/openapi.json").status_code == 200  # the page's own fetch carries the cookie


# FastAPI's default summary is the function's name in title case (« Get Forecast »); every
# operation has a French one given by `summary=` on its route instead.
ENGLISH = re.compile(r"\b(get|post|put|delete|create|list|update|read|run|check|count|set|adjust|transfer|"
                     r"serve|refuse|prepare|suggest|send|cancel|receive|archive|apply|health|stats|due|load)\b", re.I)
DEFAULT_SUMMARY = re.compile(r"^[A-Z][a-z]+( [A-Z][a-z]+)*$")  # « Get Stock », « Health »


def test_every_operation_is_named_in_french():
    named = {f"{method.upper()} {path}": op.get("summary", "")
             for path, ops in current_schema()["paths"].items() for method, op in ops.items()}
    assert len(named) > 50
    english = {title: summary for title, summary in named.items()
               if not summary.strip() or ENGLISH.search(summary) or DEFAULT_SUMMARY.match(summary)}
    assert english == {}
    assert len(set(named.values())) == len(named)  # two operations never share a name
    assert named["GET /inventaire/catalogue"] == "Lister les produits du catalogue"


def test_every_answer_is_described_in_french():
    described = {(path, method, code): answer["description"] for path, ops in current_schema()["paths"].items()
                 for method, op in ops.items() for code, answer in op["responses"].items()}
    assert {key: text for key, text in described.items() if ENGLISH.search(text) or "Response" in text} == {}
    assert described["/inventaire/catalogue", "post", "201"] == "Créé"
    assert described["/inventaire/catalogue", "get", "200"] == "Réussite"


def test_every_tag_is_french():
    tags = {tag for ops in current_schema()["paths"].values() for op in ops.values() for tag in op["tags"]}
    assert tags >= {"santé", "vérifications", "règles", "prévisions", "déductions", "réapprovisionnement"}
    assert not {tag for tag in tags if ENGLISH.search(tag)}
