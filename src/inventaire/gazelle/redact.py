"""Gazelle's own text, made safe to show: a Gazelle (or a proxy) that echoes a token or the key
in an error message must not publish it in an answer, an alert, a report or a log."""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"
# What looks like a credential whatever it belongs to: a bearer value, a named token or key,
# and any long unbroken run of token characters with a digit (Gazelle's ids are far shorter;
# a field's name such as « PrivateInvoiceItem.masterServiceItem » has no digit).
_PATTERNS = (
    re.compile(r"(?i)\bbearer\s+[^\s\"',;]+"),
    re.compile(r"(?i)\b(access_token|refresh_token|client_secret|api[_-]?key|x-gazelle-api-key|code)"
               r"(\"?\s*[:=]\s*\"?)[^\s\"',;&]+"),
    re.compile(r"(?<![\w\-+/=~])(?=[\w\-+/=~]*\d)[\w\-+/=~]{24,}"),
)
LIMIT = 300


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """`text` without the known secrets nor anything shaped like one, cut to a readable length."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    text = _PATTERNS[0].sub(f"Bearer {MASK}", text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _PATTERNS[2].sub(MASK, text)
    return text if len(text) <= LIMIT else text[:LIMIT] + "…"
