"""HTTP routes of stock lines, changes, counts, the ledger and per-location figures.

Wherever a route takes a technician's name for stock, a workshop's name works too."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import AfterValidator, BeforeValidator

from inventaire.catalogue import service as catalogue
from inventaire.deps import AdminUser, SessionDep, SettingsDep, StaffUser, ensure_own_stock
from inventaire.emplacements import service as locations
from inventaire.idempotency.routing import IdempotentRoute
from inventaire.kit.dates import YEAR_PATTERN, checked
from inventaire.kit.enums import MovementCause, Role, TransactionType
from inventaire.kit.errors import CONFLICT, NOT_FOUND
from inventaire.kit.schemas import CODE_PATTERN, PersonText
from inventaire.stock import ledger, service
from inventaire.stock import reading as stock_lines
from inventaire.stock.schemas import (
    AdjustRequest,
    CountRequest,
    LevelsRequest,
    StatsRead,
    StockLineRead,
    TransactionPage,
    TransactionRead,
    TransferRead,
    TransferRequest,
)

# Every POST of this router changes stock, so each takes an Idempotency-Key.
router = APIRouter(tags=["stock"], route_class=IdempotentRoute)
# Path keys are looked up as given: a name or code that cannot exist is unknown (404), not invalid.
NomPath = Path(description="Nom du technicien (toute casse)", examples=["Allan"])
CodePath = Path(description="Code produit", examples=["CORD-001"])


def _end_of_day(value: object) -> object:
    """`jusqu_a=2025-12-09` means until the end of that day, not its first instant."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time.max)
        except ValueError:
            return value  # pydantic then reports the invalid date in French
    return value


@router.get("/stock/{technicien}", summary="Stock d'un véhicule", response_model=list[StockLineRead], responses=NOT_FOUND)
def get_stock(db_session: SessionDep, settings: SettingsDep, user: StaffUser, technicien: str = NomPath) -> list[dict[str, Any]]:
    location = locations.get_or_404(db_session=db_session, nom=technicien)
    ensure_own_stock(user, location.id)
    cent, nom = Decimal("0.01"), location.nom
    return [  # dicts: FastAPI validates them against StockLineRead once, on the way out
        {"technicien": nom, "code_produit": code, "nom_produit": name, "unite": unit, "quantite": qty,
         "seuil": seuil, "seuil_min": minimum, "niveau_par": par, "valeur": (qty * price).quantize(cent),
         "updated_at": updated}
        for code, name, unit, price, qty, seuil, minimum, par, updated
        in stock_lines.line_rows(db_session=db_session, location=location, default=settings.seuil_defaut)
    ]


@router.post("/stock/ajuster", summary="Ajuster le stock", response_model=TransactionRead, responses={**NOT_FOUND, **CONFLICT})
def adjust_stock(body: AdjustRequest, db_session: SessionDep, user: StaffUser) -> TransactionRead:
    location = locations.get_or_404(db_session=db_session, nom=body.technicien)
    ensure_own_stock(user, location.id)
    product = catalogue.get_or_404(db_session=db_session, code_produit=body.code_produit)
    entry = service.adjust(
        db_session=db_session, location=location, product=product, kind=body.type,
        delta=body.ajustement, motif=body.motif, reference=body.reference, auteur=user.nom, cause=MovementCause.MANUEL,
    )
    return TransactionRead.of(entry)


@router.post("/stock/compter", summary="Compter le stock", response_model=TransactionRead, responses={**NOT_FOUND, **CONFLICT})
def count_stock(body: CountRequest, db_session: SessionDep, user: StaffUser) -> TransactionRead:
    location = locations.get_or_404(db_session=db_session, nom=body.technicien)
    ensure_own_stock(user, location.id)
    product = catalogue.get_or_404(db_session=db_session, code_produit=body.code_produit)
    entry = service.count(
        db_session=db_session, location=location, product=product, counted=body.quantite,
        seen=body.quantite_vue, motif=body.motif, auteur=user.nom,
    )
    return TransactionRead.of(entry)


@router.post("/stock/transferer", summary="Transférer du stock", response_model=TransferRead, status_code=201,
             responses={**NOT_FOUND, **CONFLICT})
def transfer_stock(body: TransferRequest, db_session: SessionDep, user: AdminUser) -> TransferRead:
    """Move stock between two locations (a workshop and a van, or two of either): two linked rows."""
    source = locations.get_or_404(db_session=db_session, nom=body.de)
    target = locations.get_or_404(db_session=db_session, nom=body.vers)
    product = catalogue.get_or_404(db_session=db_session, code_produit=body.code_produit)
    moved = service.transfer(db_session=db_session, source=source, target=target, product=product,
                             quantity=body.quantite, motif=body.motif, auteur=user.nom)
    return TransferRead(sortie=TransactionRead.of(moved.sortie), entree=TransactionRead.of(moved.entree))


@router.put("/stock/{technicien}/{code}", summary="Fixer le seuil et le niveau de remplissage",
            response_model=StockLineRead, responses={**NOT_FOUND, **CONFLICT})
def set_levels(
    body: LevelsRequest, db_session: SessionDep, settings: SettingsDep, _: AdminUser,
    technicien: str = NomPath, code: str = CodePath,
) -> StockLineRead:
    """Minimum and par level of a line: the office's decision, so admin only."""
    location = locations.get_or_404(db_session=db_session, nom=technicien)
    product = catalogue.get_or_404(db_session=db_session, code_produit=code)
    line = service.set_levels(
        db_session=db_session, location=location, product=product,
        changes=body.model_dump(exclude_unset=True),
    )
    return StockLineRead.of(line, seuil=stock_lines.threshold_of(line, settings.seuil_defaut))


@router.get("/transactions", summary="Journal des mouvements", response_model=TransactionPage, responses=NOT_FOUND)
def list_transactions(
    db_session: SessionDep,
    user: StaffUser,
    technicien: str | None = Query(None, min_length=1, max_length=60),
    code_produit: str | None = Query(None, pattern=CODE_PATTERN),
    type: TransactionType | None = Query(None),
    cause: MovementCause | None = Query(None, description="Ce qui a causé les mouvements"),
    depuis: Annotated[dt.datetime | None, AfterValidator(checked), Query(
        description="ISO 8601, inclus", json_schema_extra={"pattern": YEAR_PATTERN})] = None,
    jusqu_a: Annotated[dt.datetime | None, BeforeValidator(_end_of_day), AfterValidator(checked), Query(
        json_schema_extra={"pattern": YEAR_PATTERN},
        description="ISO 8601, inclus ; une date seule (2025-12-09) inclut toute la journée")] = None,
    reference: Annotated[Annotated[str, PersonText(120)] | None,
                         Query(description="Référence exacte, ex. : Facture #7140")] = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> TransactionPage:
    flt = ledger.LedgerFilter(type=type, cause=cause, depuis=_aware(depuis), jusqu_a=_aware(jusqu_a), reference=reference)
    if technicien is not None:
        flt.emplacement_id = locations.get_or_404(db_session=db_session, nom=technicien).id
    if user.role == Role.TECHNICIEN:
        if flt.emplacement_id not in (None, user.technicien_id):
            ensure_own_stock(user, flt.emplacement_id)
        flt.emplacement_id = user.technicien_id
    if code_produit is not None:
        flt.produit_id = catalogue.get_or_404(db_session=db_session, code_produit=code_produit).id
    rows, total = ledger.list_transactions(db_session=db_session, flt=flt, limit=limit, offset=offset)
    return TransactionPage(items=[TransactionRead.of(r) for r in rows], total=total, limit=limit, offset=offset)


@router.get("/stats/{technicien}", summary="Statistiques d'un véhicule", response_model=StatsRead, responses=NOT_FOUND)
def technician_stats(
    db_session: SessionDep, user: StaffUser, technicien: str = NomPath,
    jours: int = Query(30, ge=1, le=3650),
) -> StatsRead:
    location = locations.get_or_404(db_session=db_session, nom=technicien)
    ensure_own_stock(user, location.id)
    stats = ledger.technician_stats(db_session=db_session, location=location, jours=jours)
    return StatsRead.model_validate(stats, from_attributes=True)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Dates without an offset are read in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value

