"""One settings object, read from the environment."""

from decimal import Decimal
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from inventaire.enums import SmtpSecurity


class Settings(BaseSettings):
    """Every setting of the service; see the README for each variable."""

    model_config = SettingsConfigDict(env_prefix="INVENTAIRE_", extra="ignore")

    # DATABASE_URL has no prefix: it is the name hosting platforms (and Supabase guides) use.
    database_url: str = Field(default="sqlite:///inventaire.db", validation_alias="DATABASE_URL")
    seuil_defaut: Decimal = Decimal("5.0")
    # The public address (https://stock.example.com) used in every link a person receives.
    base_url: str | None = None
    tz: str = "America/Montreal"

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "inventaire@localhost"
    smtp_security: SmtpSecurity = SmtpSecurity.STARTTLS
    emails: str = ""

    slack_webhook_url: str | None = None
    discord_webhook_url: str | None = None
    check_cron: str | None = None

    # Alert notifications: a persistent alert is repeated at most every `rappel_jours` days;
    # each delivery is tried `notify_attempts` times, waiting notify_backoff × 2^n seconds between.
    rappel_jours: int = Field(default=7, ge=1)
    notify_attempts: int = Field(default=3, ge=1, le=10)
    notify_backoff: float = Field(default=1.0, ge=0, le=60)
    notify_timeout: float = Field(default=10.0, gt=0, le=120)
    # Days until the next supplier order: the check's predicted stockouts and the order suggestion look this far.
    delai_commande_jours: int = Field(default=14, ge=1, le=365)
    # How long a second check waits for a running one before answering 409.
    check_lock_timeout: float = Field(default=30.0, gt=0, le=600)

    # Gazelle (invoices → deductions); see the README's "Gazelle" section.
    gazelle_api_url: str = "https://gazelleapp.io/graphql/private/"
    gazelle_token_url: str = "https://gazelleapp.io/developer/oauth/token"
    gazelle_client_id: str | None = None
    gazelle_client_secret: SecretStr | None = None
    gazelle_refresh_token: SecretStr | None = None  # the first one; each rotated one is kept in the database
    gazelle_cron: str | None = None
    gazelle_jours: int = Field(default=30, ge=1, le=3650)
    gazelle_timeout: float = Field(default=30.0, gt=0, le=300)
    gazelle_attempts: int = Field(default=3, ge=1, le=10)
    gazelle_backoff: float = Field(default=2.0, ge=0, le=60)
    gazelle_alert_after: int = Field(default=3, ge=1, le=100)  # failed runs in a row before the office is told
    gazelle_late_hours: float = Field(default=26.0, gt=0)  # the dashboard warns when no sync succeeded for this long
    gazelle_lock_minutes: float = Field(default=30.0, gt=0)  # a run "in progress" older than this crashed

    max_body_bytes: int = 1_000_000
    # Requests served at once per worker (others wait their turn); see admission.py.
    max_requests: int = Field(default=30, ge=1, le=1000)
    idempotency_hours: int = Field(default=24, ge=24)  # keys are kept at least this long
    sqlite_busy_ms: int = Field(default=30_000, ge=0)  # how long SQLite retries a locked database

    @field_validator("database_url")
    @classmethod
    def normalise_database_url(cls, value: str) -> str:
        """Accept Supabase/Heroku style URLs and route them to psycopg 3."""
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix):]
        return value

    @property
    def gazelle_configured(self) -> bool:
        return bool(self.gazelle_client_id and self.gazelle_client_secret)

    @property
    def office_emails(self) -> list[str]:
        return [e.strip() for e in self.emails.split(",") if e.strip()]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own)."""
    return Settings()
