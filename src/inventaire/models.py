"""Imports every model so that the metadata (and Alembic) sees all tables."""

from inventaire.audit.models import AuditEntry
from inventaire.audit.service import track
from inventaire.auth.models import ApiToken
from inventaire.catalogue.models import Product
from inventaire.checks.models import Notification, Verification
from inventaire.database import Base
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.gazelle.models import GazelleSync, GazelleToken
from inventaire.idempotency.models import IdempotencyKey
from inventaire.regles.models import ConsumptionRule
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician
from inventaire.web.models import WebSession

__all__ = [
    "ApiToken", "AuditEntry", "Base", "ConsumptionRule", "DeductedService", "Deduction", "GazelleSync",
    "GazelleToken", "IdempotencyKey", "Notification", "Product", "StockLine", "Technician", "Transaction",
    "Verification", "WebSession",
]


track()  # the audit trail follows the catalogue, technicians, levels, tokens and rules (audit/service.py)
