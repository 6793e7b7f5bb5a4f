"""Running Alembic from the package (used by `inventaire db upgrade` and the tests)."""

from importlib.resources import files

from alembic import command
from alembic.config import Config


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(files("inventaire") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head", *, db_pooler: str | None = None) -> None:
    """Bring the database at `url` to `revision` (`db_pooler` overrides INVENTAIRE_DB_POOLER)."""
    config = alembic_config(url)
    config.attributes["db_pooler"] = db_pooler
    command.upgrade(config, revision)


class MigrationRefused(Exception):
    """A migration that will not run on this data; its message (French) says what to fix."""
