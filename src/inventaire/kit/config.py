"""One settings object, read from the environment."""

from decimal import Decimal
from functools import lru_cache

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from inventaire.kit.enums import GazelleMode, Pooler, SmtpSecurity

# Supabase's transaction-mode pooler (Supavisor) listens on this port; its session pooler on 5432.
TRANSACTION_POOLER_PORT = 6543


class Settings(BaseSettings):
    """Every setting of the service; see the README for each variable."""

    model_config = SettingsConfigDict(env_prefix="INVENTAIRE_", extra="ignore")

    # DATABASE_URL has no prefix: it is the name hosting platforms (and Supabase guides) use.
    database_url: str = Field(default="sqlite:///inventaire.db", validation_alias="DATABASE_URL")
    # None: detected from the URL's port (6543 is Supabase's transaction pooler).
    db_pooler: Pooler | None = None
    seuil_defaut: Decimal = Decimal("5.0")
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
    # The company as its documents name it (a supplier order's PDF): INVENTAIRE_ENTREPRISE, and the lines
    # under its name (address, phone, e-mail) separated by « | » in INVENTAIRE_ENTREPRISE_COORDONNEES.
    entreprise: str = Field(default="Inventaire", min_length=1, max_length=120)
    entreprise_coordonnees: str = Field(default="", max_length=500)
    # The product code of the PLS pad set: the services whose rules consume it are the PLS maintenance
    # (pianos/service.py, « Entretiens PLS à prévoir »).
    pls_buvards: str = Field(default="PLS-BUVARDS", min_length=1, max_length=40)
    # How long a second check waits for a running one before answering 409.
    check_lock_timeout: float = Field(default=30.0, gt=0, le=600)

    # The public address people use (https://stock.example.com): every link a person receives
    # (first-start banner, e-mails, Slack, Discord, login links) starts with it; https turns on
    # Secure cookies and HSTS. None: links point at the local server, e-mails carry none.
    base_url: str | None = None
    # Set by Render (https://<service>.onrender.com): the public address when base_url is unset.
    render_external_url: str | None = Field(default=None, validation_alias="RENDER_EXTERNAL_URL")
    # `serve` without --host/--port: Render sets PORT (and the service must listen on 0.0.0.0).
    host: str = Field(default="127.0.0.1", validation_alias="HOST")
    port: int = Field(default=8000, ge=1, le=65535, validation_alias="PORT")
    # Render sets RENDER=true: its disk does not survive a deploy (see ephemeral_sqlite).
    render: bool = Field(default=False, validation_alias="RENDER")
    # Proxies whose X-Forwarded-For/-Proto are believed (uvicorn's variable and default), read by
    # kit/proxy.py: the rightmost forwarded address that is not itself a listed proxy counts for
    # throttling. "*" on Render, whose proxy is the only peer: the address it appended counts.
    forwarded_allow_ips: str = Field(default="127.0.0.1,::1", validation_alias="FORWARDED_ALLOW_IPS")
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
    # The company's way in: an API key sent as x-gazelle-api-key (no OAuth, nothing to refresh).
    gazelle_api_key: SecretStr | None = None
    gazelle_authorize_url: str = "https://gazelleapp.io/developer/oauth/authorize"
    gazelle_pause_ms: int = Field(default=200, ge=0, le=60_000)  # between two pages ("to avoid 429")
    gazelle_retry_after_max: float = Field(default=60.0, ge=0, le=600)  # the longest Retry-After honoured
    # Bounds of one run: pages read, seconds in all, bytes per answer (a hostile or broken Gazelle).
    gazelle_max_pages: int = Field(default=500, ge=1, le=100_000)
    gazelle_run_seconds: float = Field(default=900.0, gt=0, le=86_400)
    gazelle_max_bytes: int = Field(default=20_000_000, ge=10_000)
    # A run whose heartbeat is older than this is dead (its process stopped), whatever its age.
    gazelle_heartbeat_seconds: float = Field(default=120.0, gt=0, le=3600)

    # Appointments and loading (README, "Tomorrow's van"): each sync reads the appointments from today to
    # this many days ahead; the evening list and the morning's changes go out on these crontabs (off when unset).
    gazelle_jours_avenir: int = Field(default=14, ge=0, le=120)
    chargement_cron: str | None = None
    chargement_matin_cron: str | None = None

    # Failed authentications (bad tokens, logins) one client address may make in a minute before 429.
    auth_failures_per_minute: int = Field(default=20, ge=1)

    max_body_bytes: int = 1_000_000
    # Seconds a client has to send its whole request body (408 after), before it is admitted.
    body_timeout: float = Field(default=15.0, gt=0, le=600)
    # Requests served at once per worker (others wait their turn); see admission.py.
    max_requests: int = Field(default=30, ge=1, le=1000)
    # Seconds a connection has to send a request's whole head before it is closed, and the open
    # connections a worker keeps (the oldest still waiting for its head is closed past it); see
    # kit/serving.py. Idle connections between requests close after uvicorn's 5 s keep-alive.
    header_timeout: float = Field(default=10.0, gt=0, le=300)
    max_connections: int = Field(default=1000, ge=10, le=100_000)
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

    @field_validator("base_url", "render_external_url")
    @classmethod
    def check_base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("http://", "https://")) or "?" in value or "#" in value:
            raise ValueError("INVENTAIRE_BASE_URL : adresse http:// ou https:// attendue, sans ? ni #")
        return value.rstrip("/")

    @model_validator(mode="after")
    def base_url_on_render(self) -> "Settings":
        if self.base_url is None and self.render_external_url:
            self.base_url = self.check_base_url(self.render_external_url)
        return self

    @property
    def public_https(self) -> bool:
        """Whether people reach the service over https (behind Render's proxy, for instance)."""
        return bool(self.base_url and self.base_url.startswith("https://"))

    def link(self, path: str) -> str | None:
        """The public address of a path of this service, or None without INVENTAIRE_BASE_URL."""
        return f"{self.base_url}{path}" if self.base_url else None

    @property
    def ephemeral_sqlite(self) -> bool:
        """An SQLite file on a host whose disk is wiped at each deploy: every record would be lost."""
        return self.render and self.database_url.startswith("sqlite")

    @property
    def transaction_pooler(self) -> bool:
        """Whether each transaction may run on a different server connection (no prepared statements then)."""
        if self.db_pooler is not None:
            return self.db_pooler == Pooler.TRANSACTION
        if not self.database_url.startswith("postgresql"):
            return False
        return make_url(self.database_url).port == TRANSACTION_POOLER_PORT

    @property
    def gazelle_oauth(self) -> bool:
        """An OAuth application is set up (its tokens come from the dashboard or the setting)."""
        return bool(self.gazelle_client_id and self.gazelle_client_secret)

    @property
    def gazelle_mode(self) -> GazelleMode:
        """How the connector gets in: the API key (wins when both are set), OAuth, or not at all."""
        if self.gazelle_api_key is not None and self.gazelle_api_key.get_secret_value():
            return GazelleMode.CLE_API
        return GazelleMode.OAUTH if self.gazelle_oauth else GazelleMode.AUCUN

    @property
    def gazelle_configured(self) -> bool:
        return self.gazelle_mode != GazelleMode.AUCUN

    @property
    def office_emails(self) -> list[str]:
        return [e.strip() for e in self.emails.split(",") if e.strip()]


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own)."""
    return Settings()
