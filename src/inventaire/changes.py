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

from inventaire.migrations.changes import COUNTER

# Sequence first, writers second: a writer that moved the counter before the first statement is
# still listed by the second one, or has committed and is visible to every statement after it.
# pg_stat_activity is read once per transaction and kept: clear that copy so the writers are today's.
_PG_COUNTER = text(f"SELECT last_value, is_called, pg_stat_clear_snapshot() FROM {COUNTER}")
_PG_WRITERS = text(
    "SELECT backend_xid::text FROM pg_stat_activity WHERE datname = current_database() "
    "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY 1"
)
_SQLITE_COUNTER = text(f"SELECT n FROM {COUNTER} WHERE id = 1")


def data_version(*, db_session: Session) -> str:
    """A value that differs after any write to a tracked table, committed or still in flight."""
    if db_session.get_bind().dialect.name == "postgresql":
        value, called, _ = db_session.execute(_PG_COUNTER).one()
        writers = db_session.execute(_PG_WRITERS).scalars().all()
        return f"{value if called else 0}:{','.join(writers)}"
    # SQLite: every transaction holds the write lock from BEGIN (database.py), so nothing is in flight.
    return str(db_session.execute(_SQLITE_COUNTER).scalar_one())
