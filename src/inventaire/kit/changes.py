"""Has anything the dashboard shows changed? A version of the data, read in one or two statements.

Every write to a tracked table moves a counter (migrations/changes.py: triggers, whoever writes).
On PostgreSQL that counter is a sequence, which moves when the writer writes, not when it
commits: a version read in between would name data this request cannot see yet. So the version
also lists the transactions in flight that have written something (their transaction ids); when
one of them ends, the version changes, and the next poll reads what it committed.

Read the version before the data it stands for: whatever commits after it changes the next one.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

COUNTER = "inventaire_changements"  # the sequence (PostgreSQL) or the one-row table (SQLite): migrations/changes.py

# The counter first, the writers second, in one statement: the writers' subquery depends on the
# counter's row (c.cleared), so PostgreSQL reads it after the counter. A writer that moved the
# counter before it was read is still listed, or has committed and is visible to every later
# statement. pg_stat_activity is read once per transaction and kept: clear that copy first.
_PG_VERSION = text(
    f"WITH c AS MATERIALIZED (SELECT last_value, is_called, pg_stat_clear_snapshot()::text AS cleared "
    f"FROM {COUNTER}) "
    "SELECT c.last_value, c.is_called, (SELECT string_agg(a.backend_xid::text, ',' ORDER BY a.backend_xid::text) "
    "FROM pg_stat_activity a WHERE c.cleared IS NOT NULL AND a.datname = current_database() "
    "AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()) FROM c"
)
_SQLITE_COUNTER = text(f"SELECT n FROM {COUNTER} WHERE id = 1")


def data_version(*, db_session: Session) -> str:
    """A value that differs after any write to a tracked table, committed or still in flight."""
    if db_session.get_bind().dialect.name == "postgresql":
        value, called, writers = db_session.execute(_PG_VERSION).one()
        return f"{value if called else 0}:{writers or ''}"
    # SQLite: every transaction holds the write lock from BEGIN (database.py), so nothing is in flight.
    return str(db_session.execute(_SQLITE_COUNTER).scalar_one())
