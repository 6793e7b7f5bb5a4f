"""What a service's latest version consumes under the rules: pure computation, no database.

Keys are (line, product, van): a line consuming two products, or a service moved to another
technician, are separate keys, each reconciled on its own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from inventaire.deductions.schemas import ServiceIn
from inventaire.kit.enums import NotDeducted, ServiceStatus
from inventaire.regles.models import ConsumptionRule
from inventaire.techniciens.models import Technician

Key = tuple[str, int, int]  # (line's external id, product id, technician id)
RuleBook = dict[str, list[ConsumptionRule]]


@dataclass
class Want:
    """What one key should have taken, and what the ledger rows will say about it."""

    quantite: Decimal
    description: str | None
    archived: bool  # the product is archived: take nothing more, give nothing back unless cancelled


@dataclass
class Plan:
    wants: dict[Key, Want] = field(default_factory=dict)
    not_deducted: list[dict] = field(default_factory=list)


def plan(*, entry: ServiceIn, technician: Technician | None, rules: RuleBook) -> Plan:
    """What each line of the service consumes; the lines that consume nothing known, with why."""
    result = Plan()
    if entry.statut == ServiceStatus.ANNULE:
        return result
    for line in entry.lignes:
        applying = rules.get(line.service_id, []) if line.service_id else []
        if not applying:
            result.not_deducted.append(_not_deducted(line, NotDeducted.SANS_REGLE, (
                "ligne libre, sans service" if not line.service_id
                else f"aucune règle de consommation pour le service « {line.service_id} »")))
            continue
        if technician is None:
            result.not_deducted.append(_not_deducted(line, NotDeducted.TECHNICIEN_INCONNU, (
                "technicien inconnu : associez son utilisateur Gazelle à un technicien" if entry.technicien is None
                else f"technicien inconnu : « {entry.technicien} »")))
            continue
        for rule in applying:
            key = (line.id_externe, rule.produit_id, technician.id)
            want = result.wants.setdefault(key, Want(Decimal(0), line.description, not rule.produit.actif))
            want.quantite += line.quantite * rule.quantite
    return result


def _not_deducted(line, raison: NotDeducted, message: str) -> dict:
    return {"id_externe": line.id_externe, "service_id": line.service_id, "description": line.description,
            "code_produit": None, "quantite": None, "raison": str(raison), "message": message}


def fingerprint(*, entry: ServiceIn, technician: Technician | None, rules: RuleBook) -> str:
    """A digest of the input and of what it resolves to: equal digests consume the same."""
    services = sorted({line.service_id for line in entry.lignes if line.service_id})
    content = {
        "statut": str(entry.statut), "numero": entry.numero, "client": entry.client,
        "date": entry.date.isoformat() if entry.date else None, "technicien": technician.id if technician else None,
        "nom": entry.technicien,
        "lignes": [[line.id_externe, line.service_id, str(line.quantite.normalize()), line.description]
                   for line in entry.lignes],
        "regles": {s: sorted([r.produit_id, str(r.quantite.normalize()), r.produit.actif] for r in rules.get(s, []))
                   for s in services},
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
