"""Imports every model so that the metadata (and Alembic) sees all tables."""

from inventaire.ateliers.models import Workshop
from inventaire.audit.models import AuditEntry
from inventaire.auth.models import ApiToken, AuthFailure
from inventaire.catalogue.models import Product
from inventaire.chargement.models import LoadNotice
from inventaire.checks.models import Notification, Verification
from inventaire.commandes.models import Order, OrderLine
from inventaire.deductions.models import DeductedService, Deduction
from inventaire.demandes.models import StockRequest
from inventaire.emplacements.models import Location
from inventaire.entreprise.models import Company
from inventaire.fournisseurs.models import Supplier
from inventaire.gazelle.models import GazelleSync, GazelleToken, OAuthState, SchemaCheck
from inventaire.idempotency.models import IdempotencyKey
from inventaire.kit.database import Base
from inventaire.pianos.models import PianoService
from inventaire.previsions.models import BookedSnapshot
from inventaire.regles.models import ConsumptionRule
from inventaire.rendezvous.models import Appointment
from inventaire.stock.models import StockLine, Transaction
from inventaire.techniciens.models import Technician
from inventaire.web.models import WebSession

__all__ = [
    "ApiToken", "Appointment", "AuditEntry", "AuthFailure", "Base", "BookedSnapshot", "Company", "ConsumptionRule",
    "DeductedService", "Deduction", "GazelleSync", "GazelleToken", "IdempotencyKey", "LoadNotice", "Location",
    "Notification", "OAuthState", "Order", "OrderLine", "PianoService", "Product", "SchemaCheck", "StockLine",
    "StockRequest", "Supplier", "Technician", "Transaction", "Verification", "WebSession", "Workshop",
]
