"""Reading and writing `journal_audit` in raw SQL, for the migrations' tests (no model: the schema is the
migration's, not the head's)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

INSERT = text("INSERT INTO journal_audit (created_at, auteur, action, objet, changements) "
              "VALUES ('2026-11-30T12:00:00+00:00', :auteur, :action, :objet, :changements)")


def rows(engine) -> list[tuple]:
    """Every row (id, auteur, action, objet, changements), by id."""
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, auteur, action, objet, changements FROM journal_audit ORDER BY id")).all()]


def refused(engine, action: str) -> bool:
    """Whether the database's CHECK refuses a row with this action (a row it admits stays)."""
    try:
        with engine.begin() as conn:
            conn.execute(INSERT, {"auteur": "essai", "action": action, "objet": "x", "changements": "{}"})
    except IntegrityError:
        return True
    return False
