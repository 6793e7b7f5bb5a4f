"""Hostile input: markup kept verbatim, unknown parameters and undecodable bodies refused, big bodies cut early."""

from __future__ import annotations

import socket
import time

from sqlalchemy import func, select

from inventaire.stock.models import Transaction
from tests.helpers import make_line, make_product, make_technician

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)> & "guillemets" \'apostrophes\''


def test_markup_is_stored_and_returned_verbatim(client, db_session):
    make_line(db_session, make_technician(db_session, nom="Allan"), make_product(db_session, code_produit="CORD-001"), 5)
    db_session.commit()
    created = client.post("/inventaire/catalogue", json={"code_produit": "XSS-1", "nom_produit": SCRIPT,
                                                         "fournisseur": SCRIPT, "categorie": "<b>gras</b>"})
    assert created.status_code == 201, created.text
    product = client.get("/inventaire/catalogue/XSS-1").json()
    assert (product["nom_produit"], product["fournisseur"], product["categorie"]) == (SCRIPT, SCRIPT, "<b>gras</b>")
    entry = client.post("/inventaire/stock/ajuster", json={
        "technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation",
        "motif": SCRIPT, "reference": "<i>RDV</i>"}).json()
    ledger = client.get("/inventaire/transactions", params={"technicien": "Allan", "limit": 1}).json()["items"][0]
    assert entry["motif"] == ledger["motif"] == SCRIPT and ledger["reference"] == "<i>RDV</i>"
    assert client.get("/inventaire/catalogue", params={"q": "<script>"}).json()[0]["code_produit"] == "XSS-1"
    assert created.headers["content-type"] == "application/json"  # never served as HTML


def test_unknown_query_parameters_are_refused(client, db_session):
    response = client.get("/inventaire/catalogue", params={"categori": "Cordes"})  # misspelt filter
    assert response.status_code == 422
    assert response.json()["detail"] == "Paramètre inconnu dans l'adresse : categori."
    assert client.post("/inventaire/check-stock", params={"seuil": 3}).status_code == 422
    assert client.get("/inventaire/catalogue", params={"categorie": "Cordes", "actif": "true"}).status_code == 200


def test_a_filter_given_twice_is_refused_and_not_half_read(client, db_session):
    response = client.get("/inventaire/catalogue?categorie=Cordes&categorie=Feutres")
    assert response.status_code == 422
    assert response.json()["detail"] == "Paramètre répété dans l'adresse (une seule valeur permise) : categorie."
    assert client.get("/inventaire/services?source=a&source=b").status_code == 422
    assert client.get("/inventaire/catalogue?categorie=Cordes").status_code == 200


def test_unknown_parameter_still_needs_a_token(anon_client):
    assert anon_client.get("/inventaire/catalogue", params={"x": 1}).status_code == 401


def test_undecodable_body_is_a_french_422(client, db_session):
    response = client.post("/inventaire/techniciens", content=b'{"nom": "\xff\xfe"}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Corps de requête illisible : du JSON en UTF-8 est attendu."


def _raw_request(base_url: str, head: bytes, body: bytes = b"") -> tuple[bytes, float]:
    host, port = base_url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer, time.monotonic() - started


def test_oversized_body_refused_before_it_is_sent(server):
    """A declared 50 MB body gets its 413 at once: the server does not wait for (or read) the body."""
    head = (b"POST /inventaire/stock/ajuster HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + server.admin_token.encode() + b"\r\nContent-Length: 50000000\r\n\r\n")
    answer, elapsed = _raw_request(server.base_url, head)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert elapsed < 5


def test_oversized_chunked_body_is_cut_off(server):
    """Without Content-Length (chunked), the body is counted as it comes and refused past the limit."""
    chunk = b"x" * 100_000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(15)) + b"0\r\n\r\n"
    head = (b"POST /inventaire/stock/ajuster HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer " + server.admin_token.encode() + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
    answer, _ = _raw_request(server.base_url, head, body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    with server.session() as s:
        assert s.scalar(select(func.count(Transaction.id))) == 0
