"""A Gazelle invoice as a completed service: statuses, hundredths and the technician, as the contract says.

Each invoice is checked on its own: a malformed one raises BadInvoice with the reason in
French, and the run reports it (its number when it has one) and goes on with the others.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from inventaire.deductions.schemas import ServiceIn
from inventaire.kit.enums import ServiceStatus
from inventaire.kit.quantities import MAX_QUANTITY
from inventaire.techniciens.models import Technician

SOURCE = "gazelle"
STATUSES = {"OPEN": ServiceStatus.ACTIF, "OVERDUE": ServiceStatus.ACTIF, "PAID": ServiceStatus.ACTIF,
            "DELETED": ServiceStatus.ANNULE, "CANCELED": ServiceStatus.ANNULE}
DRAFT = "DRAFT"  # being written: not deducted yet
HUNDREDTHS = Decimal(100)


class BadInvoice(ValueError):
    """An invoice the connector cannot read; the message (French) says why."""


def is_draft(invoice: dict) -> bool:
    return invoice.get("status") == DRAFT


def known_status(invoice: dict) -> bool:
    return invoice.get("status") in STATUSES or is_draft(invoice)


def name_of(invoice: Any) -> str:
    """How a person finds the invoice in Gazelle: « n° 7140 », else its id, else « sans identifiant »."""
    if isinstance(invoice, dict):
        if isinstance(invoice.get("number"), int | str) and not isinstance(invoice.get("number"), bool):
            return f"n° {str(invoice['number'])[:40]}"
        if isinstance(invoice.get("id"), str):
            return invoice["id"][:80]
    return "sans identifiant"


def client_name(invoice: dict) -> str | None:
    """The company, else the default contact's name."""
    client: dict = invoice["client"] if isinstance(invoice.get("client"), dict) else {}
    if isinstance(client.get("companyName"), str) and client["companyName"].strip():
        return str(client["companyName"]).strip()[:200]
    contact: dict = client["defaultContact"] if isinstance(client.get("defaultContact"), dict) else {}
    parts = (contact.get("firstName"), contact.get("lastName"))
    name = " ".join(p for p in parts if isinstance(p, str) and p).strip()
    return name[:200] or None


def label(value: Any) -> str | None:
    """An I18nString (a JSON object of languages) in French when it has it."""
    if isinstance(value, dict):
        found = value.get("fr_CA") or value.get("fr") or next((v for v in value.values() if v), None)
        return found if isinstance(found, str) else None
    return value if isinstance(value, str) else None


def assignee(invoice: dict) -> str | None:
    """The Gazelle user id of the technician, None when unassigned; BadInvoice when misshapen."""
    assigned = invoice.get("assignedTo")
    if assigned is None:
        return None
    if not isinstance(assigned, dict) or not isinstance(assigned.get("id"), str):
        raise BadInvoice("technicien assigné (assignedTo) illisible")
    return assigned["id"]


def _moment(value: Any, what: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadInvoice(f"{what} n'est pas une date") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _quantity(value: Any) -> Decimal:
    """Gazelle's hundredths as units; a credit line (negative) takes nothing."""
    if value is None:
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInvoice(f"quantité illisible : {json.dumps(value, ensure_ascii=False)[:40]}")
    units = max(Decimal(str(value)), Decimal(0)) / HUNDREDTHS
    if units > MAX_QUANTITY:
        raise BadInvoice(f"quantité démesurée : {value}")
    return units.quantize(Decimal("0.001"))


def _line(item: Any) -> dict:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise BadInvoice("une ligne sans identifiant")
    service = item.get("masterServiceItem")
    if service is not None and not (isinstance(service, dict) and isinstance(service.get("id"), str)):
        raise BadInvoice(f"ligne {item['id'][:40]} : service (masterServiceItem) illisible")
    service = service or {}
    description = item.get("description") if isinstance(item.get("description"), str) else None
    text = (description or label(service.get("name")) or "").strip()[:500] or None
    piano = item.get("piano")  # the PLS cycle (pianos/): which piano the line was for
    piano_id = piano.get("id") if isinstance(piano, dict) and isinstance(piano.get("id"), str) else None
    return {"id_externe": item["id"], "service_id": service.get("id"), "description": text,
            "quantite": _quantity(item.get("quantity")), "piano_id": piano_id}


def to_service(invoice: Any, *, technician: Technician | None, tz: ZoneInfo) -> ServiceIn:
    """The service to deduct for this (non-draft, known-status) invoice; BadInvoice when it cannot be read."""
    if not isinstance(invoice, dict) or not isinstance(invoice.get("id"), str) or not invoice["id"]:
        raise BadInvoice("facture sans identifiant")
    if invoice.get("status") not in STATUSES:
        raise BadInvoice(f"statut inconnu : {json.dumps(invoice.get('status'), ensure_ascii=False)[:40]}")
    if not isinstance(invoice.get("items"), list):
        raise BadInvoice("lignes (allInvoiceItems) illisibles")
    created = _moment(invoice.get("createdAt"), "createdAt")
    number = invoice.get("number")
    try:
        return ServiceIn(
            source=SOURCE, id_externe=invoice["id"],
            numero=str(number) if isinstance(number, int | str) and not isinstance(number, bool) and number else None,
            statut=STATUSES[invoice["status"]], technicien=technician.nom if technician else None,
            client=client_name(invoice), date=created.astimezone(tz).date() if created else None,
            version=_moment(invoice.get("updatedAt"), "updatedAt"), lignes=[_line(i) for i in invoice["items"]],
        )
    except ValidationError as exc:
        where = ".".join(str(p) for p in exc.errors()[0]["loc"])
        raise BadInvoice(f"valeur refusée pour « {where[:80]} »") from exc


def unique(invoices: list[Any]) -> tuple[list[Any], list[str]]:
    """One version of each invoice: the latest `updatedAt`, then the greatest content (deterministic)."""
    chosen: dict[str, Any] = {}
    doubles: list[str] = []
    rest = []
    for invoice in invoices:
        key = invoice.get("id") if isinstance(invoice, dict) else None
        if not isinstance(key, str):
            rest.append(invoice)
            continue
        if key in chosen:
            doubles.append(name_of(invoice))
            chosen[key] = max(chosen[key], invoice, key=_rank)
        else:
            chosen[key] = invoice
    return list(chosen.values()) + rest, sorted(set(doubles))


def _rank(invoice: dict) -> tuple[str, str]:
    return str(invoice.get("updatedAt") or ""), json.dumps(invoice, sort_keys=True, default=str)
