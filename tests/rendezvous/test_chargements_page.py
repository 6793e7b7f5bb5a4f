"""The office's « Chargements » page for a day, and « Préparer » for that day from the van's picking list."""

from __future__ import annotations

from tests.helpers import balance_of, csrf_of, database_state
from tests.rendezvous.test_preparer import setup


def test_every_van_for_the_day_and_prepare(pages, db_session):
    day = setup(db_session).isoformat()
    html = pages.get("/chargements", params={"date": day, "atelier": "Atelier"}).text
    assert "Chargements — " in html and 'id="chargement-Allan"' in html
    section = html.split('id="chargement-Allan"')[1].split("</section>")[0]
    assert "2 rendez-vous" in section and "PLS-TRAIT" in section and "(manque 1)" in section
    assert f"/stock/Allan/preparation?date={day}&amp;atelier=Atelier" in section

    sheet = pages.get("/stock/Allan/preparation", params={"date": day, "atelier": "Atelier"}).text
    assert "rendez-vous du" in sheet and "Rendez-vous (3)" in sheet
    before = database_state(db_session)
    bad = pages.post("/stock/Allan/preparation", data={"csrf": csrf_of(sheet), "atelier": "Atelier", "date": "demain"})
    assert bad.status_code == 422 and "Jour invalide" in bad.text
    assert database_state(db_session) == before
    done = pages.post("/stock/Allan/preparation", data={"csrf": csrf_of(sheet), "atelier": "Atelier", "date": day})
    assert done.status_code == 200 and "Non servi" in done.text
    assert balance_of(db_session, "Allan", "PLS-BUV") == 5 and balance_of(db_session, "Allan", "PLS-GAINE") == 5


def test_a_technician_may_not_open_it(app, db_session):
    from fastapi.testclient import TestClient

    from tests.helpers import log_in, make_technician, make_token

    tech = make_technician(db_session)
    token = make_token(db_session, "technicien", technician=tech)
    db_session.commit()
    with TestClient(app, raise_server_exceptions=False) as browser:
        log_in(browser, token)
        assert browser.get("/chargements").status_code == 403
