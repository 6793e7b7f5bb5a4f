"""A technician's whole history on the phone, paged; nobody else's."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.helpers import log_in, make_line, make_product, make_technician, make_token


def test_a_technician_pages_through_their_own_history(app, db_session):
    allan = make_technician(db_session, nom="Allan")
    margot = make_technician(db_session, nom="Margot")
    for i in range(35):
        make_line(db_session, allan, make_product(db_session, code_produit=f"HIST-{i:02d}"), 1)
    make_line(db_session, margot, make_product(db_session, code_produit="AILLEURS"), 1)
    db_session.commit()
    with TestClient(app, raise_server_exceptions=False) as phone:
        log_in(phone, make_token(db_session, "technicien", technician=allan))
        first = phone.get("/stock/allan/historique")
        assert first.status_code == 200
        assert "35 mouvements, le plus récent d'abord." in first.text and "Page 1 sur 2" in first.text
        codes = re.findall(r'<span class="code">(HIST-\d\d)</span>', first.text)
        assert codes[:2] == ["HIST-34", "HIST-33"] and len(codes) == 30 and "AILLEURS" not in first.text
        second = phone.get("/stock/Allan/historique", params={"page": 2}).text
        later = re.findall(r'<span class="code">(HIST-\d\d)</span>', second)
        assert later == [f"HIST-{i:02d}" for i in range(4, -1, -1)]
        assert 'href="/stock/Allan/historique"' in phone.get("/stock/Allan").text
        assert phone.get("/stock/Margot/historique").status_code == 403
