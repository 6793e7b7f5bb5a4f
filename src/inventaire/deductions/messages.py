"""What a deduction writes for a person: the ledger row's motif, and the entries of a service's
`non_deduites` (a product archived since, a van short of stock), in French."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from inventaire.deductions.models import DeductedService, Deduction
from inventaire.kit.enums import NotDeducted
from inventaire.kit.names import de
from inventaire.kit.quantities import quantity


def motif(service: DeductedService, description: str | None, note: str | None = None) -> str:
    """« Facture #7140 — Lina Vanelli — Entretien annuel du système PLS », and why when giving back."""
    parts = [service.reference, service.client, description]
    text = " — ".join(p for p in parts if p)
    return (f"{text} ({note})" if note else text)[:500]


def archived(key: tuple[Any, ...], want: Any, row: Deduction, quantite: Decimal) -> dict[str, Any]:
    """What the service's `non_deduites` says of a line whose product was archived since it was deducted."""
    return {"id_externe": key[0], "service_id": None, "description": want.description,
            "code_produit": row.produit.code_produit, "quantite": str(quantite),
            "raison": str(NotDeducted.PRODUIT_ARCHIVE),
            "message": f"produit archivé : « {row.produit.code_produit} » n'est plus déduit"}


def short(key: tuple[Any, ...], row: Deduction) -> dict[str, Any]:
    """What the service's `non_deduites` says of a line the van could not cover (an open shortfall)."""
    return {"id_externe": key[0], "service_id": None, "description": row.description,
            "code_produit": row.produit.code_produit, "quantite": str(row.manque),
            "raison": str(NotDeducted.STOCK_INSUFFISANT),
            "message": f"stock insuffisant : il manque {quantity(row.manque, grouped=True)} de « {row.produit.code_produit} » "
                       f"dans le véhicule {de(row.technicien.nom)}"}
