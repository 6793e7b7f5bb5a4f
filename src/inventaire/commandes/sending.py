"""Sending an order (the API's and the page's « Envoyer »): mark it sent, e-mail it when its supplier
has an address, or leave it a draft with the error.

The e-mail leaves while the order's row is locked and its new state is not committed yet: a
send that fails is rolled back, then the error is recorded on the draft in a transaction of its
own (so the page shows it) and EmailFailed (502, French) is raised. The supplier is found by the
order's supplier name, whatever its case or accents.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from inventaire.commandes import courriel, service
from inventaire.commandes.models import Order
from inventaire.entreprise import service as company
from inventaire.fournisseurs import service as suppliers
from inventaire.kit.config import Settings
from inventaire.kit.exceptions import DomainError
from inventaire.notifications.exceptions import DeliveryError


class EmailFailed(DomainError):
    status_code = 502


def send_order(*, db_session: Session, order_id: int, settings: Settings) -> tuple[Order, bool]:
    """The order sent, and whether it was e-mailed (False: its supplier has no address)."""
    order = service.get_or_404(db_session=db_session, order_id=order_id, lock=True)
    service.send(db_session=db_session, order=order)
    supplier = suppliers.get_by_name(db_session=db_session, nom=order.fournisseur)
    if supplier is None or not supplier.courriel:
        return order, False
    try:
        sent = courriel.send(order=order, supplier=supplier, settings=settings,
                             entreprise=company.identity(db_session=db_session, settings=settings))
    except DeliveryError as exc:
        address, numero = supplier.courriel, order.numero
        db_session.rollback()
        draft = service.get_or_404(db_session=db_session, order_id=order_id, lock=True)
        service.record_email_failure(db_session=db_session, order=draft, error=f"{address} : {exc.detail}")
        db_session.commit()
        raise EmailFailed(f"La commande {numero} n'a pas pu être envoyée par courriel à {address} : {exc.detail}. "
                          "Elle reste un brouillon : réessayez, ou corrigez le courriel du fournisseur.") from exc
    service.record_email(order=order, recipients=sent.recipients)
    db_session.flush()
    return order, True
