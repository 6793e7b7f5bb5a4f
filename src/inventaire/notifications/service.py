"""Who a run's notifications reach, and the deliveries it prepares (one per channel and recipient)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from inventaire.checks.models import Notification, Verification
from inventaire.checks.service import report_of
from inventaire.kit.config import Settings
from inventaire.kit.enums import Channel, DeliveryStatus
from inventaire.notifications import chat, email
from inventaire.notifications.digest import Digest
from inventaire.techniciens.models import Technician


@dataclass(frozen=True)
class Audience:
    """The configured channels: office-wide ones, and technicians reachable by their own e-mail."""

    office_emails: tuple[str, ...] = ()
    slack: bool = False
    discord: bool = False
    technician_emails: dict[str, str] = field(default_factory=dict)

    @property
    def office(self) -> bool:
        return bool(self.office_emails) or self.slack or self.discord

    def reaches(self, nom: str) -> bool:
        """Whether a notification about this technician's alerts reaches anyone."""
        return self.office or nom in self.technician_emails


NO_CHANNEL = "Aucun canal configuré (courriel, Slack, Discord) : rien n'est envoyé."


def channels(settings: Settings) -> list[str]:
    """The channels a notifying run can use, as a person names them (empty: nothing can be sent)."""
    return [name for name, on in (("courriel", settings.smtp_host), ("Slack", settings.slack_webhook_url),
                                  ("Discord", settings.discord_webhook_url)) if on]


def audience(*, db_session: Session, settings: Settings) -> Audience:
    """The channels configured in settings, and the active technicians with an e-mail address."""
    emails = {}
    if settings.smtp_host:
        rows = db_session.execute(
            select(Technician.nom, Technician.email).where(Technician.actif.is_(True), Technician.email.is_not(None))
        )
        emails = {nom: address for nom, address in rows if address}
    return Audience(
        office_emails=tuple(settings.office_emails) if settings.smtp_host else (),
        slack=bool(settings.slack_webhook_url), discord=bool(settings.discord_webhook_url),
        technician_emails=emails,
    )


def prepare(
    *, db_session: Session, settings: Settings, verification: Verification, audience: Audience
) -> list[Notification]:
    """Store what this run will send (nothing when it has nothing new to say); sending comes later."""
    digest = Digest.of(report_of(verification), verification_id=verification.id, tz=settings.tz,
                       base_url=settings.base_url)
    if digest.empty:
        return []
    rows = []
    if audience.office_emails:
        rows.append(_email(digest, list(audience.office_emails), settings))
    for nom, address in sorted(audience.technician_emails.items()):
        mine = digest.only(nom)
        if not mine.empty:
            rows.append(_email(mine, [address], settings, technicien=nom))
    if audience.slack:
        rows.append(Notification(canal=Channel.SLACK, destinataires=["Slack"], sujet=digest.subject(),
                                 contenu=chat.slack_payload(digest)))
    if audience.discord:
        rows.append(Notification(canal=Channel.DISCORD, destinataires=["Discord"], sujet=digest.subject(),
                                 contenu=chat.discord_payload(digest)))
    for row in rows:
        row.statut, row.tentatives = DeliveryStatus.EN_ATTENTE, 0
    verification.notifications.extend(rows)
    db_session.flush()
    return rows


def _email(digest: Digest, recipients: list[str], settings: Settings, technicien: str | None = None) -> Notification:
    content = email.render(digest, recipients=recipients, rappel_jours=settings.rappel_jours)
    return Notification(canal=Channel.EMAIL, destinataires=recipients, technicien=technicien,
                        sujet=content["subject"], contenu=content)
