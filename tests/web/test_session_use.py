"""Issue 25 point 12: a page session counts as use of its token (« Dernier usage » follows the phone)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from inventaire.auth.models import ApiToken
from inventaire.kit.database import utcnow


def _last_used(db_session) -> dt.datetime:
    db_session.expire_all()
    return db_session.query(ApiToken).filter(ApiToken.nom == "bureau").one().last_used_at


def test_pages_count_as_use_of_their_token(pages, db_session):
    hours_ago = utcnow() - dt.timedelta(hours=3)
    db_session.execute(update(ApiToken).where(ApiToken.nom == "bureau").values(last_used_at=hours_ago))
    db_session.commit()
    assert pages.get("/stock").status_code == 200
    assert utcnow() - _last_used(db_session) < dt.timedelta(minutes=1)
    # At most one write a minute: a page right after leaves it as it is.
    first = _last_used(db_session)
    assert pages.get("/").status_code == 200
    assert _last_used(db_session) == first
