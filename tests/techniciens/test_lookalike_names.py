"""A name mixing look-alike scripts (« Аllan » with a Cyrillic А beside Latin letters) is refused, and so
is a right-to-left override in any free text; in French, changing nothing (both databases)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import database_state, make_line, make_product, make_technician

CYRILLIC_A = "\u0410"


@pytest.mark.parametrize("nom, odd", [
    (f"{CYRILLIC_A}llan", CYRILLIC_A),            # Cyrillic А, then Latin
    ("Allаn", "\u0430"),                           # Latin, then a Cyrillic а
    ("Νicolas", "\u039d"),                         # a Greek capital Nu
    ("ＡｌｌаＮ", "\u0430"),                        # fullwidth Latin (NFKC) and a Cyrillic а
])
def test_a_name_mixing_scripts_is_refused(client, db_session, nom, odd):
    make_technician(db_session, nom="Allan")
    db_session.commit()
    before = database_state(db_session)
    for path, body in (("/inventaire/techniciens", {"nom": nom}), ("/inventaire/ateliers", {"nom": nom}),
                       ("/inventaire/techniciens/Allan", {"nom": nom})):
        answer = (client.put if path.endswith("Allan") else client.post)(path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        detail = answer.json()["detail"]
        assert "mélange les alphabets" in detail and f"U+{ord(odd):04X}" in detail, detail
    assert database_state(db_session) == before


def test_names_in_one_script_stay_welcome(client):
    for nom in ("Дмитрий Иванов", "Zoë Ñúñez-Tremblay", "Νίκος", "山田 はなこ", "Jean-Philippe 2"):
        assert client.post("/inventaire/techniciens", json={"nom": nom}).status_code == 201, nom


@pytest.mark.parametrize("bidi", ["\u202e", "\u202d", "\u2066", "\u2069"])
def test_bidi_overrides_in_free_text_are_refused(client, db_session, bidi):
    allan = make_technician(db_session, nom="Allan")
    make_line(db_session, allan, make_product(db_session, code_produit="CORD-001"), 5)
    db_session.commit()
    before = database_state(db_session)
    text = f"Facture {bidi}fdp.exe"
    for path, body in (
        ("/inventaire/demandes", {"technicien": "Allan", "code_produit": "CORD-001", "quantite": 1, "note": text}),
        ("/inventaire/stock/ajuster", {"technicien": "Allan", "code_produit": "CORD-001", "ajustement": -1,
                                       "type": "utilisation", "motif": text}),
    ):
        answer = client.post(path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        assert f"caractère qui inverse le sens du texte (U+{ord(bidi):04X})" in answer.text, answer.text
    assert database_state(db_session) == before
    assert before["balances"][0][1] == Decimal(5)
