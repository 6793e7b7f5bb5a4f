"""Bad input: a 4xx with a French `detail`, never a 500, and the database exactly as it was."""

import json
import re
from decimal import Decimal

import pytest

from inventaire.kit.errors import FRENCH_MESSAGES
from tests.helpers import database_state, make_line, make_product, make_technician

ADJUST = "/inventaire/stock/ajuster"
COUNT = "/inventaire/stock/compter"
GOOD = {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1, "type": "utilisation"}
GOOD_COUNT = {"technicien": "Allan", "code_produit": "CORD-001", "quantite": 3}
ENGLISH = re.compile(r"Input should|Field required|Expecting|Decimal\(|\bor\b|\bvalue\b|\berror\b|Not Found|Value error")
FRENCH = re.compile(r"[éèêàùçôî«]|\b(doit|champ|invalide|inconnu|introuvable|corps|valeur|nombre|trop|au plus)\b")


@pytest.fixture
def stocked(db_session):
    allan = make_technician(db_session, nom="Allan")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-001"), 5)
    db_session.commit()


def assert_french(detail) -> None:
    """A person-facing detail: French, no English leaking from the libraries."""
    items = detail if isinstance(detail, list) else [{"msg": detail}]
    assert items, "an error needs a message"
    for item in items:
        if "type" in item:
            assert item["type"] in FRENCH_MESSAGES, f"no French message for {item['type']}"
        assert FRENCH.search(item["msg"]), item["msg"]
        assert not ENGLISH.search(item["msg"]), item["msg"]


def refused(client, db_session, method, url, expected, **kwargs):
    """Send a request that must be refused with `expected`, and prove nothing changed."""
    before = database_state(db_session)
    response = client.request(method, url, **kwargs)
    assert response.status_code == expected, response.text
    assert_french(response.json()["detail"])
    assert database_state(db_session) == before
    return response.json()["detail"]


def refused_all(client, db_session, cases: dict) -> None:
    """Every case refused as expected; one test per table keeps the suite fast, failures name the case."""
    failures = []
    for name, (method, url, expected, kwargs) in cases.items():
        try:
            refused(client, db_session, method, url, expected, **kwargs)
        except AssertionError as exc:
            failures.append(f"{name}: {exc}")
    assert not failures, "\n".join(failures)


def raw(text: str) -> dict:
    return {"content": text, "headers": {"content-type": "application/json"}}


ADJUST_CASES = {
    "missing fields": ({"json": {}}, 422),
    "missing amount": ({"json": {k: v for k, v in GOOD.items() if k != "ajustement"}}, 422),
    "string for a number": ({"json": {**GOOD, "ajustement": "-1"}}, 422),
    "boolean for a number": ({"json": {**GOOD, "ajustement": True}}, 422),
    "object for a number": ({"json": {**GOOD, "ajustement": {"n": 1}}}, 422),
    "NaN": (raw(json.dumps({**GOOD, "ajustement": float("nan")})), 422),
    "Infinity": (raw(json.dumps({**GOOD, "ajustement": float("inf")})), 422),
    "-Infinity": (raw(json.dumps({**GOOD, "ajustement": float("-inf")})), 422),
    "1e308": ({"json": {**GOOD, "ajustement": 1e308}}, 422),
    "-1e308": ({"json": {**GOOD, "ajustement": -1e308}}, 422),
    "huge integer": ({"json": {**GOOD, "ajustement": -(10**40)}}, 422),
    "four decimals": ({"json": {**GOOD, "ajustement": -0.0001}}, 422),
    "float noise": ({"json": {**GOOD, "ajustement": -(0.1 + 0.2)}}, 422),
    "reception going down": ({"json": {**GOOD, "type": "reception"}}, 422),
    "use going up": ({"json": {**GOOD, "ajustement": 1}}, 422),
    "zero change": ({"json": {**GOOD, "ajustement": 0, "type": "ajustement"}}, 422),
    "unknown type": ({"json": {**GOOD, "type": "vol"}}, 422),
    "comptage is not a change": ({"json": {**GOOD, "type": "comptage"}}, 422),
    "extra field": ({"json": {**GOOD, "quantite": 4}}, 422),
    "unknown product": ({"json": {**GOOD, "code_produit": "NOPE-1"}}, 404),
    "unknown technician": ({"json": {**GOOD, "technicien": "Personne"}}, 404),
    "SQL-looking code": ({"json": {**GOOD, "code_produit": "'; DROP TABLE x;--"}}, 422),
    "path-looking code": ({"json": {**GOOD, "code_produit": "../../etc/passwd"}}, 422),
    "SQL-looking name": ({"json": {**GOOD, "technicien": "Allan'; DROP TABLE techniciens;--"}}, 404),
    "NUL in a name": ({"json": {**GOOD, "technicien": "Al\u0000lan"}}, 422),
    "NUL in a note": ({"json": {**GOOD, "motif": "a\u0000b"}}, 422),
    "lone surrogate": (raw('{"technicien": "Al\\ud800lan", "code_produit": "CORD-001", "ajustement": -1}'), 422),
    "name too long": ({"json": {**GOOD, "technicien": "x" * 61}}, 422),
    "note too long": ({"json": {**GOOD, "motif": "x" * 501}}, 422),
    "malformed JSON": (raw('{"technicien": "Allan",'), 422),
    "truncated JSON": (raw('{"technicien": "Al'), 422),
    "JSON list": ({"json": [GOOD]}, 422),
    "JSON string": (raw('"bonjour"'), 422),
    "empty body": (raw(""), 422),
    "no body at all": ({}, 422),
    "not JSON": ({"content": "technicien=Allan", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 422),
    "5 MB body": (raw(json.dumps({**GOOD, "motif": "x" * 5_000_000})), 413),
}


def test_bad_changes_are_refused(client, db_session, stocked):
    refused_all(client, db_session, {
        name: ("POST", ADJUST, expected, kwargs) for name, (kwargs, expected) in ADJUST_CASES.items()
    })


COUNT_CASES = {
    "negative count": ({**GOOD_COUNT, "quantite": -1}, 422),
    "string count": ({**GOOD_COUNT, "quantite": "3"}, 422),
    "four decimals": ({**GOOD_COUNT, "quantite": 0.0005}, 422),
    "1e308 seen": ({**GOOD_COUNT, "quantite_vue": 1e308}, 422),
    "negative seen": ({**GOOD_COUNT, "quantite_vue": -5}, 422),
    "missing count": ({k: v for k, v in GOOD_COUNT.items() if k != "quantite"}, 422),
    "unknown product": ({**GOOD_COUNT, "code_produit": "NOPE-1"}, 404),
    "stale count": ({**GOOD_COUNT, "quantite_vue": 4}, 409),
}


def test_bad_counts_are_refused(client, db_session, stocked):
    cases = {name: ("POST", COUNT, expected, {"json": body}) for name, (body, expected) in COUNT_CASES.items()}
    cases["NaN count"] = ("POST", COUNT, 422, raw('{"technicien": "Allan", "code_produit": "CORD-001", "quantite": NaN}'))
    refused_all(client, db_session, cases)


def test_chunked_5mb_body_without_length_is_413(client, db_session, stocked):
    def chunks():
        yield b'{"technicien": "Allan", "motif": "'
        for _ in range(50):
            yield b"x" * 100_000
        yield b'"}'

    refused(client, db_session, "POST", ADJUST, 413, content=chunks(), headers={"content-type": "application/json"})


PRODUCT = {"code_produit": "VIS-1", "nom_produit": "Vis de capstan", "prix_unitaire": 8.2}
CATALOGUE_CASES = {
    "SQL-looking code": {**PRODUCT, "code_produit": "'; DROP TABLE x;--"},
    "path-looking code": {**PRODUCT, "code_produit": "../../etc/passwd"},
    "code too long": {**PRODUCT, "code_produit": "A" * 41},
    "negative price": {**PRODUCT, "prix_unitaire": -1},
    "three-decimal price": {**PRODUCT, "prix_unitaire": 1.005},
    "price as text": {**PRODUCT, "prix_unitaire": "8.20"},
    "infinite price": {**PRODUCT, "prix_unitaire": 1e308},
    "negative threshold": {**PRODUCT, "seuil_reorder": -2},
    "empty name": {**PRODUCT, "nom_produit": "   "},
    "NUL in a name": {**PRODUCT, "nom_produit": "Vis\u0000"},
    "actif as text": {**PRODUCT, "actif": "peut-être"},
    "unknown field": {**PRODUCT, "stock": 3},
}


def test_bad_products_are_refused(client, db_session, stocked):
    cases = {name: ("POST", "/inventaire/catalogue", 422, {"json": body}) for name, body in CATALOGUE_CASES.items()}
    for params in ({"actif": "peut-être"}, {"q": "x" * 101}, {"q": "a\u0000"}, {"categorie": "a\u0000"}):
        cases[f"query {params}"] = ("GET", "/inventaire/catalogue", 422, {"params": params})
    cases["update with a bad price"] = ("PUT", "/inventaire/catalogue/CORD-001", 422, {"json": {"prix_unitaire": "abc"}})
    refused_all(client, db_session, cases)


ODD_PATHS = [
    "/inventaire/stock/Al%00lan", "/inventaire/stats/Al%00lan", "/inventaire/catalogue/CORD%00",
    "/inventaire/stock/'; DROP TABLE techniciens;--", "/inventaire/catalogue/'%3B%20DROP%20TABLE%20x%3B--",
    "/inventaire/stock/..%2F..%2Fetc%2Fpasswd", "/inventaire/catalogue/../../etc/passwd",
    "/inventaire/stock/" + "x" * 5000,
]


def test_odd_paths_are_404(client, db_session, stocked):
    refused_all(client, db_session, {path: ("GET", path, 404, {}) for path in ODD_PATHS})


def test_error_messages_name_the_field(client, db_session, stocked):
    detail = refused(client, db_session, "POST", ADJUST, 422, json={})
    assert [e["msg"] for e in detail] == [
        "technicien : champ obligatoire", "code_produit : champ obligatoire", "ajustement : champ obligatoire",
    ]
    detail = refused(client, db_session, "POST", ADJUST, 422, json={**GOOD, "ajustement": 1e308})
    assert detail[0]["msg"] in {
        "ajustement : doit être au plus 999\u00a0999\u00a0999,999", "ajustement : nombre trop grand",
        "ajustement : nombre trop grand (au plus 12 chiffres)",
    }
    detail = refused(client, db_session, "POST", ADJUST, 422, **raw('{"technicien": "Allan",'))
    assert detail[0]["msg"] == "corps : JSON invalide (erreur de syntaxe vers le caractère 23)"
    detail = refused(client, db_session, "POST", ADJUST, 422, json={**GOOD, "ajustement": 0, "type": "ajustement"})
    assert detail == "L'ajustement ne peut pas être nul."
    detail = refused(client, db_session, "POST", ADJUST, 422, json={**GOOD, "type": "reception"})
    assert detail == "Une réception ajoute du stock : l'ajustement doit être positif."


def test_every_french_template_formats():
    """Each template renders with the context pydantic gives: no placeholder left, no English."""
    from inventaire.kit.errors import french_message

    samples = {
        "string_too_short": {"min_length": 1}, "string_too_long": {"max_length": 60},
        "string_pattern_mismatch": {"pattern": "^x$"}, "decimal_max_digits": {"max_digits": 12},
        "decimal_max_places": {"decimal_places": 3}, "greater_than_equal": {"ge": Decimal("0")},
        "greater_than": {"gt": 0}, "less_than_equal": {"le": "Decimal('999999999.999')"}, "less_than": {"lt": 1},
        "literal_error": {"expected": "'a' or 'b'"}, "enum": {"expected": "'a' or 'b'"},
    }
    for kind in FRENCH_MESSAGES:
        loc = ("body", 12) if kind == "json_invalid" else ("body", "x")
        message = french_message({"type": kind, "loc": loc, "ctx": samples.get(kind, {})})
        assert "{" not in message and not ENGLISH.search(message), (kind, message)
        assert FRENCH.search(message), (kind, message)
    assert french_message({"type": "less_than_equal", "loc": (), "ctx": samples["less_than_equal"]}) == (
        "doit être au plus 999\u00a0999\u00a0999,999"
    )
    assert french_message({"type": "literal_error", "loc": (), "ctx": samples["literal_error"]}) == (
        "valeur invalide (valeurs possibles : 'a' ou 'b')"
    )
    # An English message from a library never reaches a person.
    assert french_message({"type": "value_error", "loc": (), "ctx": {"error": "Value error, bad"}}) == "valeur invalide"
