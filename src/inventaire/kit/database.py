"""Engine, sessions, the declarative base and the column types shared by every model."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TypeVar, TypeVarTuple

import pydantic_core
from sqlalchemy import BigInteger, DateTime, MetaData, Numeric, create_engine, event
from sqlalchemy.engine import CursorResult, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.sql.selectable import TypedReturnsRows
from sqlalchemy.types import TypeDecorator

from inventaire.kit.config import Settings

logger = logging.getLogger(__name__)
T = TypeVar("T")
_Ts = TypeVarTuple("_Ts")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ScaledDecimal(TypeDecorator):
    """An exact decimal: NUMERIC(p, s) on PostgreSQL, an integer count of 10^-s units on SQLite.

    SQLite has no exact decimal type (NUMERIC becomes a float), so sums and comparisons done
    in SQL would drift; scaled integers keep them exact while SQL arithmetic still works.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int):
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale
        self._unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value)
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale).to_integral_value())
        return value

    def result_processor(self, dialect: Dialect, coltype):
        """The reading function, built once per dialect: a check reads ~15,000 of these values,
        and the generic TypeDecorator path (a dialect test per value) was a fifth of building
        its report (BENCHMARKS.md)."""
        unit, scale = self._unit, self.scale
        if dialect.name == "sqlite":
            def read_scaled(value):  # Decimal(int) has exponent 0: scaleb gives exactly `scale` decimals
                return None if value is None else Decimal(int(value)).scaleb(-scale)
            return read_scaled
        driver = self.impl_instance.result_processor(dialect, coltype)

        def read_numeric(value):
            if value is None:
                return None
            if driver is not None:
                value = driver(value)
            return (value if type(value) is Decimal else Decimal(value)).quantize(unit)
        return read_numeric

    def coerce_compared_value(self, op, value):
        return self


def Quantity() -> ScaledDecimal:
    """Quantities: up to 3 decimals (half a metre of felt)."""
    return ScaledDecimal(12, 3)


def Money() -> ScaledDecimal:
    """Money: 2 decimals."""
    return ScaledDecimal(12, 2)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC timestamps on both databases (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(engine: Engine, busy_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE.

    Every transaction takes SQLite's write lock at BEGIN: a read-then-write transaction
    would otherwise fail with SQLITE_BUSY when another writer committed meanwhile. While
    another connection holds that lock, SQLite's busy handler retries for up to `busy_ms`;
    past that bound "database is locked" is raised, which the API answers with 503.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        # SQLite's lower() (and so ILIKE) folds ASCII only: "étouf" would miss "Étouffoir",
        # which PostgreSQL finds. Python's lower() makes searches agree on both databases.
        dbapi_conn.create_function("lower", 1, _lower, deterministic=True)
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _to_json(value) -> str:
    """JSON columns are written by pydantic-core: a stored check report (1.4 MB for 4,805 alerts)
    took 9 ms with json.dumps, 3 ms this way (BENCHMARKS.md). Values are JSON-native already."""
    return pydantic_core.to_json(value).decode()


def make_engine(url: str, *, sqlite_busy_ms: int = 30_000, transaction_pooler: bool = False, pre_ping: bool = True,
                **kwargs) -> Engine:
    """An engine for the URL, with the per-dialect settings this service relies on.

    Behind a transaction-mode pooler each transaction may get another server connection:
    psycopg's automatic prepared statements (after 5 runs of a query) then meet a server that
    never saw them, or one where another client's "_pg3_0" already exists, so they are off.
    Everything else this service keeps per connection is transaction-scoped already (the
    check's advisory lock is pg_advisory_xact_lock, its lock_timeout a set_config(..., true)).
    """
    # No SQL parameter in a log line or an error's text: they carry Gazelle's tokens, token hashes,
    # names; the statement alone says what failed.
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("json_serializer", _to_json)
    kwargs.setdefault("json_deserializer", pydantic_core.from_json)  # 4 ms instead of 7 for that report
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": sqlite_busy_ms / 1000})
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, sqlite_busy_ms)
        return engine
    # An unreachable server fails in seconds (503) instead of hanging on the OS's TCP timeout.
    kwargs.setdefault("connect_args", {"connect_timeout": 10})
    if transaction_pooler:
        kwargs["connect_args"] = {**kwargs["connect_args"], "prepare_threshold": None}
    # No ping per checkout for the web app (a round trip on every request): a connection the
    # server dropped fails at its first statement, and the request retries that first read
    # once (first_read below); the pool then renews every older connection. Jobs and the CLI
    # keep the ping: they run rarely, and their first statement may be a write.
    kwargs.setdefault("pool_pre_ping", pre_ping)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


def engine_for(settings: Settings, *, pre_ping: bool = True) -> Engine:
    """The engine the settings describe (database URL, SQLite busy timeout, pooler)."""
    return make_engine(
        settings.database_url, sqlite_busy_ms=settings.sqlite_busy_ms, transaction_pooler=settings.transaction_pooler,
        pre_ping=pre_ping,
    )


def first_read(session: Session, read: Callable[[], T]) -> T:
    """Run a transaction's first statement; once more if the pooled connection had been dropped.

    Only a first statement may be retried: nothing was read or written before it in this
    transaction. A connection lost later fails the request (503, errors.py).
    """
    try:
        return read()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        logger.warning("A pooled database connection had been dropped; retrying the first read on a new one")
        session.rollback()
        return read()


def rows(session: Session, statement: TypedReturnsRows[*_Ts]) -> CursorResult[*_Ts]:
    """The rows of a column query, read through the session's connection: Core rows, no ORM layer.

    `session.execute` runs even a query of plain columns through the ORM's loading, which cost
    about as much as the SQL itself on the check's and the forecast's thousands of rows
    (BENCHMARKS.md, issue 15). The session is flushed first, as `session.execute` would.
    """
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def finish(session: Session, *, commit: bool) -> None:
    """End a unit of work: commit (rolled back if the commit fails) or roll back; then close."""
    try:
        if commit:
            try:
                session.commit()
            except BaseException:
                session.rollback()
                raise
        else:
            session.rollback()
    finally:
        session.close()


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit at the end, roll back on any error (CLI commands, jobs)."""
    session = factory()
    try:
        yield session
    except BaseException:
        finish(session, commit=False)
        raise
    finish(session, commit=True)
