"""Telling the office of a new request, once, through the configured channels (e-mail, Slack, Discord).

Job-level code, run after the request that opened the demand has committed: it claims the
demand (`notifiee_le` set in one UPDATE, committed) before sending, so a demand is announced
at most once even if two processes try; a channel that fails is logged, not retried.
"""

from __future__ import annotations

import html
import logging
from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session, sessionmaker

from inventaire.demandes.models import StockRequest
from inventaire.kit.config import Settings
from inventaire.kit.database import session_scope, utcnow
from inventaire.kit.enums import Channel
from inventaire.kit.quantities import NBSP, with_unit
from inventaire.notifications import chat, email
from inventaire.notifications.exceptions import DeliveryError

log = logging.getLogger(__name__)


def message(request: StockRequest) -> tuple[str, str]:
    """The subject and the plain text of the announcement (the link to the dashboard is added per channel)."""
    qty = with_unit(request.quantite, request.produit.unite, grouped=True)
    subject = f"Demande de stock n° {request.id} : {request.technicien.nom} — {qty} de {request.produit.code_produit}"
    lines = [f"{request.technicien.nom} demande {qty} de «{NBSP}{request.produit.code_produit}{NBSP}» "
             f"({request.produit.nom_produit})."]
    if request.note:
        lines.append(f"Note : {request.note}")
    return subject, "\n".join(lines)


def _claim(db_session: Session, request_id: int) -> bool:
    claimed = db_session.execute(
        update(StockRequest).where(StockRequest.id == request_id, StockRequest.notifiee_le.is_(None))
        .values(notifiee_le=utcnow()).execution_options(synchronize_session=False)
    )
    return cast(CursorResult, claimed).rowcount == 1


def announce(*, factory: sessionmaker[Session], settings: Settings, request_id: int) -> list[str]:
    """Send the announcement of one request once; returns the channels it reached."""
    if not (settings.smtp_host and settings.office_emails) and not settings.slack_webhook_url \
            and not settings.discord_webhook_url:
        return []
    with session_scope(factory) as db_session:
        if not _claim(db_session, request_id):
            return []
    with session_scope(factory) as db_session:
        request = db_session.get(StockRequest, request_id)
        assert request is not None  # it was just claimed
        subject, text = message(request)
    link = chat.dashboard_link(settings)
    reached: list[str] = []
    sends = []
    if settings.smtp_host and settings.office_emails:
        plain = f"{text}\nServir ou refuser : {link}" if link else text
        content = {"to": settings.office_emails, "subject": subject, "text": plain,
                   "html": "<p>" + html.escape(plain).replace("\n", "<br>") + "</p>"}
        sends.append((Channel.EMAIL, lambda: email.send(content, settings=settings)))
    if settings.slack_webhook_url:
        sends.append((Channel.SLACK, lambda: chat.post(settings.slack_webhook_url, chat.slack_message(subject, text, link=link),
                                                  service="Slack", timeout=settings.notify_timeout)))
    if settings.discord_webhook_url:
        sends.append((Channel.DISCORD, lambda: chat.post(settings.discord_webhook_url,
                                                    chat.discord_message(subject, text, link=link),
                                                    service="Discord", timeout=settings.notify_timeout)))
    for channel, send in sends:
        try:
            send()
            reached.append(channel)
        except DeliveryError as exc:
            log.warning("request %s: announcement by %s failed: %s", request_id, channel, exc.detail)
    return reached
