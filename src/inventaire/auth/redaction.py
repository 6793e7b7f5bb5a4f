"""Keep secrets out of the logs.

uvicorn's access log prints each request line, query string included; the dashboard's
login link carries the token as `?jeton=…`. The Authorization header is never printed by
uvicorn, but a token pasted by mistake into a URL would be, so every query parameter
that can hold a secret is masked, and so is anything shaped like one of our tokens.
"""

from __future__ import annotations

import logging
import re

SECRET_PARAMS = re.compile(r"(?i)([?&](?:jeton|token|access_token|api_key|cle|key)=)[^&#\s\"]*")
RAW_TOKEN = re.compile(r"inv_[A-Za-z0-9_-]{16,}")
MASK = "***"


def redact(text: str) -> str:
    """The text with secret query values and anything token-shaped masked."""
    return RAW_TOKEN.sub("inv_" + MASK, SECRET_PARAMS.sub(r"\1" + MASK, text))


class RedactSecrets(logging.Filter):
    """A filter that masks secrets in a record's arguments (and message) before it is formatted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


# Filters apply where a record is created, so each logger that prints request lines is listed.
LOGGERS = ("uvicorn.access", "uvicorn.error")


def install() -> None:
    """Attach the filter to the loggers that see request lines (idempotent)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
