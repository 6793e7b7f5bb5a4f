"""Alembic environment: the URL comes from the -x url=… option, the config, or DATABASE_URL."""

from alembic import context

from inventaire import models
from inventaire.kit.config import Settings
from inventaire.kit.database import engine_for

config = context.config
target_metadata = models.Base.metadata


def _settings() -> Settings:
    """The environment's settings (INVENTAIRE_DB_POOLER too), with the URL given to Alembic if any."""
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    overrides = {"db_pooler": config.attributes["db_pooler"]} if config.attributes.get("db_pooler") else {}
    return Settings(DATABASE_URL=url, **overrides) if url else Settings(**overrides)


def run_migrations_offline() -> None:
    context.configure(
        url=_settings().database_url, target_metadata=target_metadata, literal_binds=True,
        render_as_batch=True, dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = engine_for(_settings())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    # SQLite: a batch migration recreates a table (copy, drop, rename); with foreign keys on,
    # dropping a table other rows reference fails ("FOREIGN KEY constraint failed" on any
    # database holding stock). They are switched off for the run (only possible outside a
    # transaction) and every reference is checked before the migration commits.
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows whose references are broken: {broken[:5]}")
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
