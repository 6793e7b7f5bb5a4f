"""Login links a person receives for a token: the address, and a QR code a phone can scan."""

from __future__ import annotations

from urllib.parse import urlencode

import segno

LOCAL = "http://127.0.0.1:8000"  # `make run`'s address, when INVENTAIRE_BASE_URL is not set


def public_base(*, configured: str | None, fallback: str | None = None) -> str:
    """The address links start with: INVENTAIRE_BASE_URL when set, else the one the page was reached at."""
    return (configured or fallback or LOCAL).rstrip("/")


def login_link(*, base: str, raw: str) -> str:
    """The dashboard's login link for a token (opens the session, then leaves the URL)."""
    return f"{base}/connexion?{urlencode({'jeton': raw})}"


def qr_svg(*, link: str) -> str:
    """The link as an inline SVG QR code (error correction M: readable from a screen)."""
    return segno.make(link, error="m").svg_inline(scale=5, border=2, title="Lien de connexion")
