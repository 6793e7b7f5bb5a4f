"""A Gazelle invoice as a completed service: statuses, hundredths and the technician, as the contract says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from inventaire.deductions.models import ServiceStatus
from inventaire.deductions.schemas import ServiceIn
from inventaire.techniciens.models import Technician

SOURCE = "gazelle"
STATUSES = {"OPEN": ServiceStatus.ACTIF, "OVERDUE": ServiceStatus.ACTIF, "PAID": ServiceStatus.ACTIF,
            "DELETED": ServiceStatus.ANNULE, "CANCELED": ServiceStatus.ANNULE}  # DRAFT: not deducted yet
HUNDREDTHS = Decimal(100)


def is_draft(invoice: dict) -> bool:
    return invoice.get("status") not in STATUSES


def client_name(invoice: dict) -> str | None:
    """The company, else the default contact's name."""
    client = invoice.get("client") or {}
    if client.get("companyName"):
        return client["companyName"].strip()[:200] or None
    contact = client.get("defaultContact") or {}
    name = " ".join(p for p in (contact.get("firstName"), contact.get("lastName")) if p).strip()
    return name[:200] or None


def label(value) -> str | None:
    """An I18nString (a JSON object of languages) in French when it has it."""
    if isinstance(value, dict):
        return value.get("fr_CA") or value.get("fr") or next((v for v in value.values() if v), None)
    return value


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def to_service(invoice: dict, *, technician: Technician | None, tz: ZoneInfo) -> ServiceIn:
    """The service to deduct for this (non-draft) invoice."""
    created = _moment(invoice.get("createdAt"))
    lines = []
    for item in invoice["items"]:
        service = item.get("masterServiceItem") or {}
        quantity = max(Decimal(item.get("quantity") or 0), Decimal(0)) / HUNDREDTHS  # a credit line takes nothing
        description = (item.get("description") or label(service.get("name")) or "").strip()[:500] or None
        lines.append({"id_externe": item["id"], "service_id": service.get("id"), "description": description,
                      "quantite": quantity.quantize(Decimal("0.001")),
                      "piano_id": (item.get("piano") or {}).get("id")})  # the PLS cycle (pianos/)
    return ServiceIn(
        source=SOURCE, id_externe=invoice["id"], numero=str(invoice["number"]) if invoice.get("number") else None,
        statut=STATUSES[invoice["status"]], technicien=technician.nom if technician else None,
        client=client_name(invoice), date=created.astimezone(tz).date() if created else None,
        version=_moment(invoice.get("updatedAt")), lignes=lines,
    )
