"""A supplier order e-mailed to its supplier: the PDF and the CSV attached, the office in copy.

The message leaves from INVENTAIRE_SMTP_FROM to the supplier's `courriel`; the office's addresses
(INVENTAIRE_EMAILS) are in copy and are the Reply-To, so the supplier's answer reaches a person,
not the service's sending address. Delivery goes through notifications.email.deliver (the same
relay, security and French errors as the alerts), once: a failure is the caller's to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from inventaire.commandes import document
from inventaire.commandes.models import Order
from inventaire.entreprise.service import Identity
from inventaire.fournisseurs.models import Supplier
from inventaire.kit import quantities
from inventaire.kit.config import Settings
from inventaire.kit.dates import Clock
from inventaire.notifications.email import deliver
from inventaire.notifications.exceptions import DeliveryError


@dataclass(frozen=True)
class Sent:
    """Who the order went to: the supplier first, then the office in copy."""

    to: str
    cc: list[str]

    @property
    def recipients(self) -> str:
        return ", ".join([self.to, *self.cc])


def _body(order: Order, settings: Settings, entreprise: Identity) -> str:
    lines = [
        "Bonjour,",
        "",
        f"Veuillez trouver ci-joint notre bon de commande {order.numero} du "
        f"{Clock(settings.tz).date(document.order_date(order))} "
        f"({quantities.count(len(order.lignes), 'ligne')}, {quantities.money(order.total)} avant taxes), "
        f"à livrer à {entreprise.nom}, {order.atelier.nom}.",
        "",
        f"Merci de rappeler le numéro {order.numero} sur le bordereau de livraison et sur la facture, "
        "et de nous confirmer la commande et son délai en répondant à ce courriel.",
        "",
        entreprise.nom,
        *entreprise.lignes,
    ]
    return "\n".join(lines) + "\n"


def message(*, order: Order, supplier: Supplier, settings: Settings, entreprise: Identity) -> tuple[EmailMessage, Sent]:
    """The e-mail of a sent order (its state already `envoyee`, so the PDF bears its sending date),
    signed with the company's name and address (entreprise/service.py)."""
    if not supplier.courriel:
        raise ValueError("a supplier without an address is not e-mailed")
    office = settings.office_emails
    sent = Sent(to=supplier.courriel, cc=[a for a in office if a.casefold() != supplier.courriel.casefold()])
    mail = EmailMessage()
    mail["Subject"] = f"Bon de commande {order.numero} — {entreprise.nom}"
    mail["From"] = settings.smtp_from
    mail["To"] = sent.to
    if sent.cc:
        mail["Cc"] = ", ".join(sent.cc)
        mail["Reply-To"] = ", ".join(sent.cc)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    mail.set_content(_body(order, settings, entreprise))
    pdf = document.pdf(order=order, entreprise=entreprise, tz=settings.tz)
    mail.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{order.numero}.pdf")
    mail.add_attachment(document.csv(order=order).encode("utf-8"), maintype="text", subtype="csv",
                        filename=f"{order.numero}.csv")
    return mail, sent


def send(*, order: Order, supplier: Supplier, settings: Settings, entreprise: Identity) -> Sent:
    """E-mail the order to its supplier; DeliveryError (French) when the relay refuses or cannot be reached."""
    mail, sent = message(order=order, supplier=supplier, settings=settings, entreprise=entreprise)
    refused = deliver(mail, settings=settings)  # the office's copy alone refused: the supplier has it
    if refused and sent.to in refused:
        raise DeliveryError(f"le fournisseur n'a pas reçu la commande ({refused})", retryable=False)
    return sent
