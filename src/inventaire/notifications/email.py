"""E-mail: the digest rendered as plain text and HTML, sent with the standard library's smtplib."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from jinja2 import Environment, PackageLoader, StrictUndefined

from inventaire.kit.config import Settings
from inventaire.kit.enums import SmtpSecurity
from inventaire.kit.quantities import count, quantity, unit_for, with_unit
from inventaire.notifications.digest import Digest, severity_label
from inventaire.notifications.exceptions import DeliveryError

COLUMNS = ("Gravité", "Technicien", "Produit", "Quantité", "Seuil", "À commander")
_loader = PackageLoader("inventaire.notifications", "templates")
# Text in HTML is escaped (product names are typed by people); plain text is not.
html_env = Environment(loader=_loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
text_env = Environment(loader=_loader, autoescape=False, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
for _env in (html_env, text_env):
    _env.filters["compte"] = count  # « 1 critique », « 3 critiques »


def text_table(alerts) -> str:
    """The alerts as an aligned plain-text table."""
    rows = [COLUMNS] + [
        (severity_label(a), a.technicien, f"{a.code_produit} {a.nom_produit}",
         with_unit(a.quantite_actuelle, a.unite), quantity(a.seuil), quantity(a.quantite_a_commander))
        for a in alerts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=False)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def render(digest: Digest, *, recipients: list[str], rappel_jours: int) -> dict:
    """The stored content of one e-mail: recipients, subject, plain text and HTML."""
    context = {"d": digest, "qty": quantity, "unit_for": unit_for, "severity": severity_label, "table": text_table,
               "rappel_jours": rappel_jours}
    return {
        "to": recipients,
        "subject": digest.subject(),
        "text": text_env.get_template("digest.txt").render(context),
        "html": html_env.get_template("digest.html").render(context),
    }


def build_message(content: dict, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = content["subject"]
    message["From"] = sender
    message["To"] = ", ".join(content["to"])
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(content["text"])
    message.add_alternative(content["html"], subtype="html")
    return message


def _connect(settings: Settings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    host, port, timeout = settings.smtp_host or "", settings.smtp_port, settings.notify_timeout  # set: e-mail is on
    if settings.smtp_security == SmtpSecurity.SSL:
        return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    client = smtplib.SMTP(host, port, timeout=timeout)
    if settings.smtp_security == SmtpSecurity.STARTTLS:
        client.starttls(context=context)
    return client


def send(content: dict, *, settings: Settings) -> str | None:
    """Send one e-mail; a partial refusal is returned as a note, anything else raises DeliveryError."""
    if not settings.smtp_host:
        raise DeliveryError("e-mail non configuré (INVENTAIRE_SMTP_HOST vide)", retryable=False)
    message = build_message(content, sender=settings.smtp_from)  # before connecting: a bad message is ours
    return deliver(message, settings=settings)


def deliver(message: EmailMessage, *, settings: Settings) -> str | None:
    """Hand a built message to the configured relay (supplier orders use it too); errors as in `send`."""
    if not settings.smtp_host:
        raise DeliveryError("e-mail non configuré (INVENTAIRE_SMTP_HOST vide)", retryable=False)
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with _connect(settings) as client:
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password or "")
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"authentification refusée par {where} ({exc.smtp_code})", retryable=False) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise DeliveryError(f"{where} ne le permet pas : {exc}", retryable=False) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"destinataires refusés par {where} : {_refusals(exc.recipients)}", retryable=False) from exc
    except smtplib.SMTPResponseException as exc:
        detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise DeliveryError(f"{where} a répondu {exc.smtp_code} : {detail}", retryable=exc.smtp_code < 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"serveur SMTP {where} injoignable : {exc.__class__.__name__}: {exc}") from exc
    return f"refusés : {_refusals(refused)}" if refused else None


def _refusals(recipients: dict) -> str:
    return ", ".join(f"{addr} ({code})" for addr, (code, _msg) in recipients.items())
