"""Slack and Discord incoming webhooks: a short French message with the counts and the critical lines."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import httpx

from inventaire.kit.config import Settings
from inventaire.kit.quantities import count
from inventaire.notifications.digest import Digest
from inventaire.notifications.exceptions import DeliveryError

MAX_LINES = 10
RED = 0xC62828


def _lines(digest: Digest, escape) -> list[str]:
    """The critical lines (at most MAX_LINES, then how many more)."""
    critical = digest.critiques
    lines = [f"• {escape(digest.line(a))}" for a in critical[:MAX_LINES]]
    if len(critical) > MAX_LINES:
        lines.append(f"… et {count(len(critical) - MAX_LINES, 'autre')}")
    return lines


def slack_escape(text: str) -> str:
    """Slack's mrkdwn needs only &, < and > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(digest: Digest) -> dict:
    """Slack: `text` (the notification's fallback) and blocks."""
    title = f"Inventaire — vérification du {digest.when} ({digest.scope})"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{slack_escape(digest.headline())}*"}},
    ]
    lines = _lines(digest, slack_escape)
    if lines:
        body = "*Alertes critiques*\n" + "\n".join(lines)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}})
    blocks.append({"type": "context", "elements": [
        {"type": "mrkdwn", "text": f"<{digest.lien}|Vérification n° {digest.verification_id}>"}]})
    return {"text": f"{slack_escape(digest.subject())} — {digest.lien}", "blocks": blocks}


_DISCORD_MARKUP = re.compile(r"([\\*_~`|\[\]])")


def discord_escape(text: str) -> str:
    """Discord markdown: backslash its special characters."""
    return _DISCORD_MARKUP.sub(r"\\\1", text)


def discord_payload(digest: Digest) -> dict:
    """Discord: `content`, an embed for the critical lines, and no mention ever pinging anyone."""
    content = (f"**Inventaire** — {discord_escape(digest.headline())} ({discord_escape(digest.scope)}, {digest.when})"
               f"\n{digest.lien}")
    payload: dict = {"content": content[:2000], "allowed_mentions": {"parse": []}}
    lines = _lines(digest, discord_escape)
    if lines:
        payload["embeds"] = [{
            "title": "Alertes critiques", "description": "\n".join(lines)[:4096], "color": RED, "url": digest.lien,
            "footer": {"text": f"Vérification n° {digest.verification_id}"},
        }]
    return payload


def dashboard_link(settings: Settings) -> str | None:
    """The dashboard (`/`: where the office serves requests and sees the syncs), when the public address is known."""
    base = settings.base_url or settings.render_external_url
    return f"{base.rstrip('/')}/" if base else None


def slack_message(subject: str, text: str, *, link: str | None) -> dict:
    """A plain announcement for Slack: what people typed escaped (no <!channel>, no disguised link),
    then the one link we write ourselves, to the dashboard."""
    body = f"*{slack_escape(subject)}*\n{slack_escape(text)}"
    if link:
        body += f"\n<{link}|Ouvrir le tableau de bord>"
    return {"text": body}


def discord_message(subject: str, text: str, *, link: str | None) -> dict:
    """The same for Discord: markdown escaped, and no mention (@everyone included) pinging anyone."""
    body = f"**{discord_escape(subject)}**\n{discord_escape(text)}"
    tail = f"\n{link}" if link else ""
    return {"content": body[:2000 - len(tail)] + tail, "allowed_mentions": {"parse": []}}


@cache
def _tls_context():
    """httpx's default verification (certifi), built once: building it costs ~0.1 s per request."""
    return httpx.create_ssl_context()


def post(url: str | None, payload: dict, *, service: str, timeout: float) -> None:
    """POST the payload; DeliveryError on a network error or a non-2xx answer (the URL is never shown)."""
    if not url:
        raise DeliveryError(f"webhook {service} non configuré", retryable=False)
    try:
        response = httpx.post(url, json=payload, timeout=timeout, verify=_tls_context())
    except httpx.HTTPError as exc:
        detail = str(exc).replace(url, "<webhook>")
        raise DeliveryError(f"webhook {service} injoignable : {exc.__class__.__name__}: {detail}") from exc
    if not response.is_success:
        # 4xx means the payload or the URL is wrong (trying again will not help), except 429.
        retryable = response.status_code >= 500 or response.status_code == 429
        raise DeliveryError(
            f"webhook {service} : réponse {response.status_code} {response.text[:200]}".rstrip(), retryable=retryable
        )
