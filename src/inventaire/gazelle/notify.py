"""Telling the office when Gazelle could not be read several runs in a row (e-mail, Slack, Discord)."""

from __future__ import annotations

import logging
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.gazelle.models import GazelleSync
from inventaire.kit.config import Settings
from inventaire.kit.enums import Channel, SyncStatus
from inventaire.notifications import chat, email
from inventaire.notifications.exceptions import DeliveryError

log = logging.getLogger(__name__)


def failures_in_a_row(*, db_session: Session) -> list[GazelleSync]:
    """The failed runs since the last successful one, newest first."""
    failed = []
    for run in db_session.scalars(select(GazelleSync).where(GazelleSync.statut != SyncStatus.EN_COURS)
                                  .order_by(GazelleSync.started_at.desc(), GazelleSync.id.desc()).limit(100)):
        if run.statut == SyncStatus.REUSSIE:
            break
        failed.append(run)
    return failed


def after_failure(*, db_session: Session, settings: Settings, run: GazelleSync) -> None:
    """At the `gazelle_alert_after`-th failure in a row, tell the office once (until a run succeeds)."""
    failed = failures_in_a_row(db_session=db_session)
    if len(failed) < settings.gazelle_alert_after or any(r.notifiee for r in failed):
        return
    subject = f"Synchronisation Gazelle en échec ({len(failed)} fois de suite)"
    body = (f"Dernière erreur : {run.erreur}\n\n"
            "Les factures ne sont plus déduites du stock des véhicules tant que Gazelle ne peut pas être lu. "
            "Consultez la page «\u00a0Déductions\u00a0» du tableau de bord.")
    sent = []
    for channel, send in _channels(settings, subject, body):
        try:
            send()
            sent.append(channel)
        except DeliveryError as exc:
            log.warning("gazelle failure notice not sent by %s: %s", channel, exc)
    run.notifiee = bool(sent)
    db_session.flush()


def _channels(settings: Settings, subject: str, body: str):
    timeout, text = settings.notify_timeout, f"{subject}.\n\n{body}"
    if settings.smtp_host and settings.office_emails:
        html = "<p>" + escape(text).replace("\n\n", "</p><p>") + "</p>"
        content = {"to": settings.office_emails, "subject": subject, "text": text, "html": html}
        yield Channel.EMAIL, lambda: email.send(content, settings=settings)
    # Gazelle's error text is not ours: escaped like anything typed, with no mention pinging anyone.
    link = chat.dashboard_link(settings)
    if settings.slack_webhook_url:
        yield Channel.SLACK, lambda: chat.post(settings.slack_webhook_url, chat.slack_message(subject, body, link=link),
                                         service="Slack", timeout=timeout)
    if settings.discord_webhook_url:
        yield Channel.DISCORD, lambda: chat.post(settings.discord_webhook_url, chat.discord_message(subject, body, link=link),
                                           service="Discord", timeout=timeout)
