"""Recording and reading the audit trail.

Two ways in, one table: `record()` for a change a caller describes itself (one call), and the
flush hook of `audit/tracked.py`, installed on every session factory the app, the CLI and the
jobs make (`inventaire.sessions`), which records every creation and change of the catalogue,
technicians, line levels, tokens, consumption rules, workshops and supplier orders whoever
makes it. The author is the session's `info["auteur"]`, set where the caller is known (the
request's principal, the page's viewer, the CLI); stock quantities are not audited here: the
ledger holds them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inventaire.audit.models import AuditEntry
from inventaire.kit.enums import AuditAction

AUTEUR = "auteur"  # the key of Session.info naming who makes the session's changes
UNKNOWN = "système"


def set_author(db_session: Session, auteur: str) -> None:
    """Who the session's changes are recorded for."""
    db_session.info[AUTEUR] = auteur


def record(*, db_session: Session, action: AuditAction, objet: str, changements: dict[str, Any] | None = None,
           auteur: str | None = None) -> AuditEntry:
    """Add one entry to the trail, in the caller's transaction."""
    entry = AuditEntry(action=AuditAction(action).value, objet=objet[:200], changements=_jsonable(changements or {}),
                       auteur=(auteur or db_session.info.get(AUTEUR) or UNKNOWN)[:120])
    db_session.add(entry)
    return entry


def list_entries(*, db_session: Session, limit: int, offset: int, action: str | None = None,
                 objet: str | None = None) -> tuple[list[AuditEntry], int]:
    """Entries newest first, with the total, filtered by action and by object (any case)."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if objet:
        query = query.where(func.lower(AuditEntry.objet).contains(objet.lower(), autoescape=True))
    total = db_session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db_session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return list(rows), total or 0


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
