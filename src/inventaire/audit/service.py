"""Recording and reading the audit trail.

Two ways in, one table: `record()` for a change a caller describes itself (one call), and
`track()`, a flush hook that records every creation and change of the catalogue, technicians,
line levels, tokens, consumption rules, workshops and supplier orders whoever makes it (API,
pages, CLI, jobs). The author is the session's `info["auteur"]`, set where the caller is known
(the request's principal, the page's viewer, the CLI); stock quantities are not audited here: the ledger holds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import event, func, inspect, select
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


# --- Automatic tracking ------------------------------------------------------------------------

@dataclass(frozen=True)
class Tracked:
    """How one model is audited: its fields, its name in the trail, the action of a change."""

    fields: tuple[str, ...]
    name: Callable[[Any], str]
    created: AuditAction | None
    changed: Callable[[Any, dict[str, Any]], AuditAction | None]
    deleted: AuditAction | None = None
    # Changes the fields' history cannot tell (relationships: an order's workshop and lines), as {key: [before, after]}.
    related: Callable[[Any], dict[str, Any]] | None = None


TRACKED: dict[type, Tracked] = {}


def _changes(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    state = inspect(obj)
    out: dict[str, Any] = {}
    for field in fields:
        history = state.attrs[field].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                out[field] = [before, after]
    return out


def _on_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new):
        how = TRACKED.get(type(obj))
        if how and how.created:
            values = {f: [None, getattr(obj, f)] for f in how.fields if getattr(obj, f) is not None}
            values.update(how.related(obj) if how.related else {})
            record(db_session=session, action=how.created, objet=how.name(obj), changements=values)
    for obj in list(session.dirty):
        how = TRACKED.get(type(obj))
        if how and session.is_modified(obj, include_collections=False):
            changes = _changes(obj, how.fields) | (how.related(obj) if how.related else {})
            action = how.changed(obj, changes) if changes else None
            if action:
                record(db_session=session, action=action, objet=how.name(obj), changements=changes)
    for obj in list(session.deleted):
        how = TRACKED.get(type(obj))
        if how and how.deleted:
            record(db_session=session, action=how.deleted, objet=how.name(obj))


def track() -> None:
    """Register the audited models and the flush hook (once, when the app or the CLI starts)."""
    if TRACKED:
        return
    from inventaire.audit import tracked  # noqa: F401  (fills TRACKED)

    event.listen(Session, "before_flush", _on_flush)
